"""How the workspace words what is stored: message statuses and a handoff's summary."""

from __future__ import annotations

from dataclasses import dataclass

from cases.flow import FlowState, place_from_key
from cases.models import Channel, Conversation, Message
from routing.outcomes import outcome_label
from routing.places import place_name
from routing.selectors import reference_data_get

#: A TwiML reply was handed to Twilio in the webhook's answer; only a status callback says more.
ANSWERED_IN_TWIML = "answered in TwiML"


def message_status_reported(*, status: str, delivery_status: str) -> str:
    """The one status the API shows: Twilio's word once it has reported, else the hotline's.

    A message handed to Twilio with no report yet (a TwiML reply, usually) reads ``sending``.
    """
    if delivery_status:
        return delivery_status
    if status == Message.Status.SENT:
        return Message.DeliveryStatus.SENDING
    return status


def message_status_label(
    *, status: str, delivery_status: str, via: str, error_code: str = ""
) -> str:
    """The status as it is true for staff: a TwiML reply never "sends" in our outbox, and an
    outbox text that failed before is "retrying" until it is sent or given up."""
    if via == Message.Via.TWIML and status == Message.Status.SENT and not delivery_status:
        return ANSWERED_IN_TWIML
    if status == Message.Status.SPOKEN:
        return "spoken on the call"
    reported = message_status_reported(status=status, delivery_status=delivery_status)
    if reported == Message.Status.QUEUED and error_code:
        return f"retrying (error {error_code})"
    if reported == Message.Status.FAILED and error_code:
        return f"failed (error {error_code})"
    return reported


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
