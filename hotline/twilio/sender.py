"""Sends one text: through Twilio's REST API, or to the console on the embedded set-up.

Errors are sorted into what the outbox should do next: retry later (transient), never retry
(permanent), or wait, because Twilio may have taken the message (ambiguous).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from urllib3.exceptions import NameResolutionError, NewConnectionError

from cases.phones import phone_mask
from hotline.twilio.client import twilio_client

#: Twilio error codes that no retry will fix.
PERMANENT_CODES = frozenset(
    {
        21211,  # invalid 'To' number
        21408,  # permission to send to this region not enabled
        21610,  # recipient replied STOP (unsubscribed)
        21612,  # cannot route to this number
        21614,  # 'To' is not a mobile number
        20003,  # authentication failed
        20404,  # resource not found (wrong account or sender)
        63016,  # WhatsApp: outside the 24-hour window without a template
    }
)
UNSUBSCRIBED = 21610


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
    sid: str
    status: str


class SendError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message[:200]


class TransientSendError(SendError):
    """Worth retrying: rate limits, Twilio 5xx, connection failures before sending."""


class PermanentSendError(SendError):
    """Will fail the same way every time."""


class AmbiguousSendError(SendError):
    """The request may have reached Twilio (a read timeout): do not resend blindly."""


class Sender(Protocol):
    def send(self, outgoing: Outgoing) -> Sent: ...


class ConsoleSender:
    """The embedded set-up: prints the text (number masked) instead of sending it."""

    def __init__(self) -> None:
        self._count = 0

    def send(self, outgoing: Outgoing) -> Sent:
        self._count += 1
        channel = "WhatsApp" if outgoing.whatsapp else "SMS"
        sys.stdout.write(f"\n--- {channel} to {phone_mask(outgoing.to)} ---\n{outgoing.body}\n")
        sys.stdout.flush()
        return Sent(sid=f"SMconsole{self._count:024d}", status="sent")


class TwilioSender:
    """Twilio's Messages API through the official client."""

    def __init__(self) -> None:
        self._client = twilio_client()

    def send(self, outgoing: Outgoing) -> Sent:
        params: dict[str, str] = {"to": outgoing.to}
        if outgoing.whatsapp:
            params["to"] = f"whatsapp:{outgoing.to}"
            params["from_"] = settings.TWILIO_WHATSAPP_FROM
        elif settings.TWILIO_MESSAGING_SERVICE_SID:
            params["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            params["from_"] = settings.TWILIO_FROM_NUMBER
        if outgoing.content_sid:
            params["content_sid"] = outgoing.content_sid
            params["content_variables"] = outgoing.content_variables
        else:
            params["body"] = outgoing.body
        if outgoing.status_callback:
            params["status_callback"] = outgoing.status_callback
        try:
            message = self._client.messages.create(**params)
        except TwilioRestException as error:
            raise _classify(error) from error
        except requests.RequestException as error:
            if _never_connected(error):
                raise TransientSendError("connection", "could not reach Twilio") from error
            raise AmbiguousSendError("network", f"no answer from Twilio ({error})") from error
        return Sent(sid=message.sid or "", status=message.status or "queued")


def _never_connected(error: requests.RequestException) -> bool:
    """True when the request cannot have reached Twilio (refused, DNS, connect timeout)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(error, requests.ConnectionError) and isinstance(
        reason, NewConnectionError | NameResolutionError
    )


def _classify(error: TwilioRestException) -> SendError:
    code = str(error.code or error.status)
    message = str(error.msg or "")
    if error.code in PERMANENT_CODES:
        return PermanentSendError(code, message)
    if error.status == 429 or error.code == 20429 or (error.status or 0) >= 500:
        return TransientSendError(code, message)
    return PermanentSendError(code, message)


_console = ConsoleSender()


def sender_get() -> Sender:
    """Twilio when credentials are set, else the console.

    One Twilio sender per process and configuration, so the HTTP connection to Twilio is
    kept open from one message to the next instead of opened for each.
    """
    if settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN:
        return _twilio_sender(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            settings.TWILIO_API_BASE_URL,
            settings.TWILIO_TIMEOUT_SECONDS,
        )
    return _console


@functools.lru_cache(maxsize=4)
def _twilio_sender(
    account_sid: str, auth_token: str, api_base_url: str, timeout: float
) -> TwilioSender:
    """Keyed by every setting the client is built from: a changed setting gets a new one."""
    return TwilioSender()
