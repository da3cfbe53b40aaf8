"""How the workspace words what is stored: message statuses and a handoff's summary."""

from __future__ import annotations

from dataclasses import dataclass

from cases.calls import SPOKEN
from cases.flow import FlowState, place_from_key
from cases.models import Channel, Conversation, Message
from cases.outbox import SENDING, status_for_staff
from routing.outcomes import outcome_label
from routing.places import place_name
from routing.selectors import reference_data_get

#: A TwiML reply was handed to Twilio in the webhook's answer; only a status callback says more.
ANSWERED_IN_TWIML = "answered in TwiML"


def message_status_label(*, status: str, via: str, error_code: str = "") -> str:
    """The status as it is true for staff: a TwiML reply never "sends" in our outbox, and an
    outbox text that failed before is "retrying" until it is sent or given up."""
    if via == Message.Via.TWIML and status == SENDING:
        return ANSWERED_IN_TWIML
    if status == SPOKEN:
        return "spoken on the call"
    return status_for_staff(status=status, error_code=error_code)


@dataclass(frozen=True)
class ConversationSummary:
    """What staff need before reading a transcript."""

    caller_place: str
    other_parent_place: str
    outcome: str
    language: str
    channel: str

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Caller lives in", self.caller_place),
            ("Other parent lives in", self.other_parent_place),
            ("Outcome", self.outcome),
            ("Language", self.language),
            ("Channel", self.channel),
        ]


def conversation_summary(conversation: Conversation) -> ConversationSummary:
    """The conversation's answers named in English, its outcome in words, language, channel."""
    state = FlowState.from_json(conversation.state)
    reference = reference_data_get()

    def named(key: str) -> str:
        if not key:
            return "not given"
        return place_name(place_from_key(key), reference=reference, language="en")

    return ConversationSummary(
        caller_place=named(state.caller),
        other_parent_place=named(state.other_parent),
        outcome=outcome_label(conversation.outcome) if conversation.outcome else "none yet",
        language=conversation.get_language_display(),
        channel=Channel(conversation.channel).label,
    )
