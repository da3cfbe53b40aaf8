"""Storing a turn of the pure flow: the conversation's new state, its outcome and handoffs.

Texts and calls both end a step here, so a channel never decides what an effect means.
"""

from __future__ import annotations

import datetime

from cases.check_ins import check_in_build
from cases.flow import EffectKind, Turn
from cases.handoffs import handoff_open
from cases.models import Contact, Conversation, Message
from routing.reference import ReferenceData


def turn_apply(
    turn: Turn,
    *,
    conversation: Conversation,
    contact: Contact,
    reference: ReferenceData,
    now: datetime.datetime,
) -> Message | None:
    """Store the new state and carry out the turn's effects.

    Returns the check-in to schedule, unsaved, when an outcome asks for one and this
    conversation has none yet (None otherwise): the channel saves it with or after the turn's
    own messages, so transcripts read in order. Only a conversation that already had an
    outcome can have a check-in, so the first outcome needs no query to know there is none.
    """
    first_outcome = not conversation.outcome
    state = turn.state
    conversation.state = state.to_json()
    conversation.step = state.step.value
    conversation.language = state.language
    conversation.last_inbound_at = now
    check_in = False
    for effect in turn.effects:
        if effect.kind is EffectKind.OUTCOME and effect.outcome:
            conversation.outcome = effect.outcome
            check_in = check_in or effect.check_in
            if conversation.status == Conversation.Status.ACTIVE:
                conversation.status = Conversation.Status.COMPLETED
    handoffs = [effect for effect in turn.effects if effect.kind is EffectKind.HANDOFF]
    if handoffs:
        conversation.status = Conversation.Status.HANDED_OFF
    conversation.save()
    for effect in handoffs:
        assert effect.reason is not None, "every handoff effect names its reason"
        handoff_open(conversation=conversation, reason=effect.reason, priority=effect.priority)
    if contact.language != state.language:
        contact.language = state.language
        contact.save(update_fields=["language", "updated_at"])
    due = check_in and (
        first_outcome or not conversation.messages.filter(purpose=Message.Purpose.CHECK_IN).exists()
    )
    return check_in_build(conversation=conversation, reference=reference, now=now) if due else None
