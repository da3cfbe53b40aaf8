"""Who contacted the hotline, what was said, and what staff must pick up."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models

from cases.flow import HandoffPriority, HandoffReason
from routing.engine import Outcome
from routing.outcomes import OUTCOME_LABELS
from routing.reference import Language

#: Staff labels that say more than the value's own name.
_LABELS: Mapping[StrEnum, str] = {
    HandoffReason.MESSAGE_CAP: "conversation too long",
    Language.EN: "English",
    Language.ES: "Spanish",
}


def choices_of(values: type[StrEnum], labels: Mapping[Any, str] = _LABELS) -> list[tuple[str, str]]:
    """A pure-core enum as a model field's choices, so the values are written once."""
    return [
        (value.value, labels.get(value, value.name.replace("_", " ").title())) for value in values
    ]


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    VOICE = "voice", "Voice"


class Contact(models.Model):
    """A caller, by E.164 phone number, across channels."""

    phone = models.CharField(max_length=20, unique=True)
    language = models.CharField(
        max_length=2, choices=choices_of(Language), default=Language.EN.value
    )
    opted_out = models.BooleanField(
        default=False, help_text="Texted STOP (or Twilio said so): nothing may be sent."
    )
    opted_out_at = models.DateTimeField(null=True, blank=True)
    simulated = models.BooleanField(
        default=False, help_text="A staff member testing in the simulator, not a caller."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("view_personal_data", "Can see callers' phone numbers")]
        indexes = [
            # The few staff numbers of the simulator, left out of the dashboard.
            models.Index(
                fields=["id"], name="contact_simulated", condition=models.Q(simulated=True)
            )
        ]

    def __str__(self) -> str:
        return f"contact {self.pk}"


class Conversation(models.Model):
    """One walk through the flow on one channel; its state is the pure flow's state."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        COMPLETED = "completed"
        HANDED_OFF = "handed_off"
        CLOSED = "closed"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="conversations")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(
        max_length=2, choices=choices_of(Language), default=Language.EN.value
    )
    step = models.CharField(max_length=40)
    state = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    outcome = models.CharField(
        max_length=60, choices=choices_of(Outcome, OUTCOME_LABELS), blank=True
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    texts_received = models.PositiveIntegerField(
        default=0, help_text="The caller's texts in this conversation (capped: see settings)."
    )
    # Calls: Twilio's CallSid, the number of the step Twilio will post next (each <Gather>
    # names its step, so a repeated request is recognised), and the TwiML last answered.
    call_sid = models.CharField(max_length=64, blank=True)
    call_step = models.PositiveIntegerField(default=0)
    last_twiml = models.TextField(blank=True)
    summary_requested = models.BooleanField(default=False)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["contact", "channel", "-updated_at"]),
            # The lists (newest first), the dashboard's days and the metrics' settled boundary.
            models.Index(fields=["-updated_at"], name="conversation_updated"),
            models.Index(fields=["started_at"], name="conversation_started"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call_sid"], condition=~models.Q(call_sid=""), name="unique_call_sid"
            )
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.channel})"


class Message(models.Model):
    """Every text in or out; outbound rows are written before they are sent (the outbox)."""

    class Direction(models.TextChoices):
        INBOUND = "inbound"
        OUTBOUND = "outbound"

    class Via(models.TextChoices):
        TWIML = "twiml", "webhook reply (TwiML)"
        REST = "rest", "outbox (REST API)"

    class Purpose(models.TextChoices):
        REPLY = "reply"
        SUMMARY = "summary"
        CHECK_IN = "check_in"
        STAFF_REPLY = "staff_reply"

    class Status(models.TextChoices):
        """Where the message is in the hotline's own hands; Twilio's word is ``delivery_status``."""

        RECEIVED = "received", "received (inbound)"
        SPOKEN = "spoken", "spoken on a call"
        SCHEDULED = "scheduled", "scheduled for later"
        QUEUED = "queued", "queued in the outbox"
        SENDING = "sending", "being handed to Twilio"
        SENT = "sent", "handed to Twilio (REST API or TwiML answer)"
        BLOCKED = "blocked", "blocked (may not be sent)"
        FAILED = "failed", "failed (the outbox gave up)"
        CANCELED = "canceled", "canceled before sending"

    class DeliveryStatus(models.TextChoices):
        """What Twilio last reported about a message it took (its own vocabulary)."""

        SCHEDULED = "scheduled"
        QUEUED = "queued"
        ACCEPTED = "accepted"
        SENDING = "sending"
        SENT = "sent"
        DELIVERED = "delivered"
        UNDELIVERED = "undelivered"
        FAILED = "failed"
        CANCELED = "canceled"
        PARTIALLY_DELIVERED = "partially_delivered"
        READ = "read"

    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    body = models.TextField(blank=True)
    twilio_sid = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    delivery_status = models.CharField(
        max_length=20,
        choices=DeliveryStatus.choices,
        blank=True,
        help_text="Twilio's last reported status; blank until Twilio reports one.",
    )
    error_code = models.CharField(max_length=10, blank=True)
    error_message = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=5, choices=Via.choices, blank=True)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, blank=True)
    send_after = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    retry_until = models.DateTimeField(
        null=True, blank=True, help_text="Transient failures are retried until this time."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["conversation", "created_at", "id"], name="message_transcript"),
            models.Index(
                fields=["status", "send_after"],
                name="outbox_pending",
                condition=models.Q(status__in=["queued", "scheduled", "sending"]),
            ),
            # The message list (newest first) and the metrics' settled boundary.
            models.Index(fields=["created_at", "id"], name="message_created"),
            # A caller's messages by date: their transcript and the retention purge's
            # "seen within the period" check.
            models.Index(fields=["contact", "created_at"], name="message_contact_created"),
            # What the retention purge still has to erase, so it never rereads erased years.
            models.Index(
                fields=["created_at"],
                name="message_personal_data",
                condition=~models.Q(body="") | ~models.Q(twilio_sid=""),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "twilio_sid"],
                condition=~models.Q(twilio_sid=""),
                name="unique_message_sid_per_direction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.direction} message {self.pk}"


class Handoff(models.Model):
    """A conversation that needs a person."""

    class Status(models.TextChoices):
        OPEN = "open"
        CLAIMED = "claimed"
        RESOLVED = "resolved"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="handoffs")
    reason = models.CharField(max_length=14, choices=choices_of(HandoffReason))
    priority = models.CharField(
        max_length=8, choices=choices_of(HandoffPriority), default=HandoffPriority.NORMAL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    notes = models.TextField(blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    alert_due = models.BooleanField(
        default=False, help_text="Staff are still to be e-mailed about this urgent handoff."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "priority", "created_at"]),
            # The queue's own order (cases.selectors.handoff_queue), read from the index.
            models.Index(
                models.Case(
                    models.When(status="open", then=models.Value(0)),
                    models.When(status="claimed", then=models.Value(1)),
                    default=models.Value(2),
                    output_field=models.IntegerField(),
                ),
                models.Case(
                    models.When(priority="urgent", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                ),
                "created_at",
                "id",
                name="handoff_queue_order",
            ),
            # Waiting work (the dashboard, the metrics' gauge): a few rows among years.
            models.Index(
                fields=["created_at"],
                name="handoff_waiting",
                condition=~models.Q(status="resolved"),
            ),
        ]

    def __str__(self) -> str:
        return f"handoff {self.pk} ({self.reason})"
