"""Write paths for phone calls: each step of the phone menu, transfers, voicemail, hang-up.

A call is a conversation on the ``voice`` channel keyed by Twilio's CallSid. Every
``<Gather>`` names the step Twilio will post next; a request for any other step (a Twilio
retry) is answered with the TwiML already given, so nothing advances twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.db import transaction
from django.utils import timezone

from cases import flow, outbox
from cases.contacts import contact_locked
from cases.flow import EffectKind, FlowState, HandoffPriority, HandoffReason, Inbound, Prompt, Turn
from cases.handoffs import handoff_open
from cases.models import Channel, Conversation, Handoff, Message
from cases.phones import phone_normalize
from cases.prompts import prompt_render
from cases.turns import turn_apply
from routing.messages import MAX_TEXT_LENGTH, guidance_message
from routing.reference import ReferenceData
from routing.selectors import reference_data_get

logger = logging.getLogger(__name__)

#: Twilio's final call statuses: the call is over.
CALL_ENDED = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
#: ``DialCallStatus`` values meaning staff took the call.
DIAL_ANSWERED = frozenset({"completed", "answered"})


@dataclass(frozen=True)
class CallStep:
    """What the adapter renders: the turn, the call, the next step number, the data."""

    turn: Turn
    conversation: Conversation
    next_step: int
    reference: ReferenceData


Render = Callable[[CallStep], str]


@transaction.atomic
def call_step_handle(
    *, call_sid: str, address: str, step: int, inbound: Inbound, render: Render
) -> str:
    """Advance the call by one answer and return its TwiML (the stored one for a repeat).

    The answer and what the hotline says back are logged as messages of the call, in the
    same insert as a check-in, so staff read a call's transcript like a text's.
    """
    now = timezone.now()
    conversation = _call_locked(call_sid)
    if conversation is None:
        contact, _ = contact_locked(phone_normalize(address), now)
        # Twilio may deliver a new call's first webhook twice at once: the other delivery
        # held the contact lock we waited for, and has made the call by now.
        conversation = _call_locked(call_sid)
        if conversation is None:
            conversation = Conversation(
                contact=contact,
                channel=Channel.VOICE,
                call_sid=call_sid,
                language=contact.language,
            )
    if conversation.pk is not None and step != conversation.call_step:
        return conversation.last_twiml
    reference = reference_data_get()
    heard = conversation.pk is not None
    if not heard:
        turn = flow.start(voice=True, language=conversation.contact.language)
    else:
        state = FlowState.from_json(conversation.state)
        turn = flow.advance(
            state, inbound, voice=True, reference=reference, today=timezone.localdate(now)
        )
    if any(effect.kind is EffectKind.SEND_SUMMARY for effect in turn.effects):
        conversation.summary_requested = True
    conversation.call_step += 1
    twiml = render(CallStep(turn, conversation, conversation.call_step, reference))
    conversation.last_twiml = twiml
    check_in = turn_apply(
        turn,
        conversation=conversation,
        contact=conversation.contact,
        reference=reference,
        now=now,
    )
    log = call_turn_messages(
        conversation=conversation, inbound=inbound if heard else None, twiml=twiml
    )
    log += [check_in] if check_in is not None else []
    Message.objects.bulk_create(log)
    return twiml


def _call_locked(call_sid: str) -> Conversation | None:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .filter(call_sid=call_sid)
        .first()
    )


#: How the caller's keys and silence read in a call's transcript.
PRESSED = "[pressed {}]"
NO_ANSWER = "[no answer]"
#: What TwiML does besides speaking, as staff read it in the transcript.
TWIML_ACTIONS = {"Dial": "[put through to staff]", "Record": "[recording a voicemail]"}


def call_turn_messages(
    *, conversation: Conversation, inbound: Inbound | None, twiml: str
) -> list[Message]:
    """The caller's answer (keys or words) and what the hotline said, as unsaved messages."""
    rows = []
    if inbound is not None:
        heard = [PRESSED.format(inbound.digits)] if inbound.digits else []
        heard += [inbound.text] if inbound.text else []
        rows.append(
            Message(
                contact=conversation.contact,
                conversation=conversation,
                direction=Message.Direction.INBOUND,
                channel=Channel.VOICE,
                body=" ".join(heard) or NO_ANSWER,
                status=Message.Status.RECEIVED,
            )
        )
    rows.append(
        Message(
            contact=conversation.contact,
            conversation=conversation,
            direction=Message.Direction.OUTBOUND,
            channel=Channel.VOICE,
            body=twiml_said(twiml),
            status=Message.Status.SPOKEN,
            via=Message.Via.TWIML,
            purpose=Message.Purpose.REPLY,
        )
    )
    return rows


def twiml_said(twiml: str) -> str:
    """The words a TwiML answer speaks, and a note of a transfer or a recording."""
    parts = []
    for node in ElementTree.fromstring(twiml).iter():
        if node.tag == "Say" and node.text:
            parts.append(node.text.strip())
        elif node.tag in TWIML_ACTIONS:
            parts.append(TWIML_ACTIONS[node.tag])
    return " ".join(parts)


def recording_url_valid(url: str) -> bool:
    """Only Twilio's own media over https is a recording staff may be linked to (a signed
    request could still carry a ``javascript:`` or a phishing address)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return (
        parts.scheme == "https"
        and (host == "api.twilio.com" or host.endswith(".twilio.com"))
        and not parts.username
        and parts.path.startswith("/2010-04-01/Accounts/")
    )


@transaction.atomic
def call_voicemail_record(*, call_sid: str, recording_url: str) -> Handoff | None:
    """The caller left a message: the call's handoff becomes a voicemail with the recording
    (a recording address that is not Twilio's is not kept; the voicemail handoff still is)."""
    conversation = Conversation.objects.select_for_update().filter(call_sid=call_sid).first()
    if conversation is None:
        return None
    handoff = conversation.handoffs.exclude(status=Handoff.Status.RESOLVED).order_by("-pk").first()
    if handoff is None:
        handoff = handoff_open(
            conversation=conversation,
            reason=HandoffReason.VOICEMAIL,
            priority=HandoffPriority.NORMAL,
        )
    elif handoff.reason == HandoffReason.REQUESTED:
        handoff.reason = HandoffReason.VOICEMAIL
    if recording_url_valid(recording_url) and len(recording_url) <= 500:
        handoff.recording_url = recording_url
    else:
        logger.warning(
            "Voicemail on conversation %s: the recording address is not Twilio's, not kept",
            conversation.pk,
        )
    handoff.save(update_fields=["reason", "recording_url"])
    return handoff


@transaction.atomic
def call_status_record(*, call_sid: str, status: str) -> Conversation | None:
    """A finished call closes its conversation and queues the summary the caller asked for."""
    if status not in CALL_ENDED:
        return None
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .filter(call_sid=call_sid)
        .first()
    )
    if conversation is None:
        return None
    if conversation.status in (Conversation.Status.ACTIVE, Conversation.Status.COMPLETED):
        conversation.status = Conversation.Status.CLOSED
        conversation.save(update_fields=["status", "updated_at"])
    if conversation.summary_requested:
        summary_queue(conversation=conversation)
    return conversation


def summary_queue(*, conversation: Conversation) -> Message | None:
    """Text the call's guidance to the caller (once), through the outbox."""
    if conversation.messages.filter(purpose=Message.Purpose.SUMMARY).exists():
        return None
    reference = reference_data_get()
    state = FlowState.from_json(conversation.state)
    decision = flow.current_decision(state, reference=reference, today=timezone.localdate())
    if decision is None:
        return None
    language = state.language
    heading = prompt_render(Prompt("summary"), language=language, voice=False, reference=reference)
    body = f"{heading}\n\n{guidance_message(decision, language=language)}"
    return outbox.message_queue(
        contact=conversation.contact,
        conversation=conversation,
        channel=Channel.SMS,
        body=body[:MAX_TEXT_LENGTH],
        purpose=Message.Purpose.SUMMARY,
    )
