"""How the outbox sends one text, whatever carries it: the protocol, its errors, the choice.

``TEXT_SENDER`` names the class (as ``EMAIL_BACKEND`` names Django's mail backend): Twilio's
REST API in production (``hotline.twilio.sender.TwilioSender``), the console on the embedded
set-up. Errors say what the outbox should do next: retry later (transient), never retry
(permanent), or wait, because the carrier may have taken the message (ambiguous).
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from cases.phones import phone_mask

#: The carrier's error code for a number that replied STOP: the number is opted out.
UNSUBSCRIBED_ERROR = "21610"


@dataclass(frozen=True)
class Outgoing:
    to: str
    body: str
    whatsapp: bool = False
    status_callback: str = ""
    content_sid: str = ""
    content_variables: str = ""


@dataclass(frozen=True)
class Sent:
    """What the carrier answered: its id for the message and its first delivery status."""

    sid: str
    status: str


class SendError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message[:200]


class TransientSendError(SendError):
    """Worth retrying: rate limits, carrier 5xx, connection failures before sending."""


class PermanentSendError(SendError):
    """Will fail the same way every time."""


class AmbiguousSendError(SendError):
    """The request may have reached the carrier (a read timeout): do not resend blindly."""


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> Sent: ...


class ConsoleSender:
    """The embedded set-up: prints the text (number masked) instead of sending it."""

    def send(self, outgoing: Outgoing) -> Sent:
        channel = "WhatsApp" if outgoing.whatsapp else "SMS"
        sys.stdout.write(f"\n--- {channel} to {phone_mask(outgoing.to)} ---\n{outgoing.body}\n")
        sys.stdout.flush()
        return Sent(sid=f"SMconsole{uuid.uuid4().hex}", status="sent")


def sender_get() -> Sender:
    """A sender of the class ``TEXT_SENDER`` names."""
    sender_class: type[Sender] = import_string(settings.TEXT_SENDER)
    return sender_class()
