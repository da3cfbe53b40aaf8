"""The check-in: a text some days after an outcome asking whether the caller reached the
agency (a NO opens a handoff), due in the number's own sending hours."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from cases import flow, outbox
from cases.flow import FlowState, Prompt
from cases.followups import send_window_next
from cases.models import Conversation, Message
from cases.prompts import prompt_render
from routing.reference import ReferenceData


def check_in_build(
    *, conversation: Conversation, reference: ReferenceData, now: datetime.datetime
) -> Message | None:
    """The check-in ("were you able to reach them?") for ``CHECK_IN_DAYS`` later, unsaved.

    Due in the number's sending hours.

    None when the number has opted out or the outcome names no agency to ask about.
    """
    contact = conversation.contact
    if contact.opted_out:
        return None
    state = FlowState.from_json(conversation.state)
    decision = flow.current_decision(state, reference=reference, today=timezone.localdate(now))
    agency = decision.agency_state if decision else None
    if agency is None:
        return None
    body = prompt_render(
        Prompt("check_in", {"agency": agency.agency_display_name(state.language)}),
        language=state.language,
        voice=False,
        reference=reference,
    )
    due = now + datetime.timedelta(days=settings.CHECK_IN_DAYS)
    return outbox.message_build(
        contact=contact,
        conversation=conversation,
        channel=conversation.channel,
        body=body,
        purpose=Message.Purpose.CHECK_IN,
        send_after=send_window_next(due, contact.phone),
    )
