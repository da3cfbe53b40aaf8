"""The outbox's sender for Twilio's REST API (``TEXT_SENDER``), its errors sorted.

Twilio's error codes and the HTTP failures of its client become the outbox's three kinds of
``cases.sending.SendError``: retry later, never retry, or wait (Twilio may have it). Their
text is stored on the message and shown to staff, so numbers in it are redacted here.
"""

from __future__ import annotations

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from urllib3.exceptions import NameResolutionError, NewConnectionError

from cases.sending import (
    UNSUBSCRIBED_ERROR,
    AmbiguousSendError,
    Outgoing,
    PermanentSendError,
    SendError,
    Sent,
    TransientSendError,
)
from hotline.logging import redact_text
from hotline.twilio.client import twilio_client

#: Twilio error codes that no retry will fix.
PERMANENT_CODES = frozenset(
    {
        21211,  # invalid 'To' number
        21408,  # permission to send to this region not enabled
        int(UNSUBSCRIBED_ERROR),  # recipient replied STOP
        21612,  # cannot route to this number
        21614,  # 'To' is not a mobile number
        20003,  # authentication failed
        20404,  # resource not found (wrong account or sender)
        63016,  # WhatsApp: outside the 24-hour window without a template
    }
)


class TwilioSender:
    """Twilio's Messages API through the official client (one per configuration)."""

    def __init__(self) -> None:
        self._client = twilio_client()

    def send(self, outgoing: Outgoing) -> Sent:
        params: dict[str, str] = {"to": outgoing.to}
        if outgoing.whatsapp:
            params["to"] = f"whatsapp:{outgoing.to}"
        if outgoing.whatsapp and settings.TWILIO_WHATSAPP_FROM:
            params["from_"] = settings.TWILIO_WHATSAPP_FROM
        elif settings.TWILIO_MESSAGING_SERVICE_SID:
            # A Messaging Service picks its own sender: a number for SMS, a WhatsApp sender.
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
            detail = redact_text(str(error))
            raise AmbiguousSendError("network", f"no answer from Twilio ({detail})") from error
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
    """The outbox's kind of error; its text (stored on the message, shown to staff who may
    not see numbers) without the number Twilio names in it (21211, 21408, ...)."""
    code = str(error.code or error.status)
    message = redact_text(str(error.msg or ""))
    if error.code in PERMANENT_CODES:
        return PermanentSendError(code, message)
    if error.status == 429 or error.code == 20429 or (error.status or 0) >= 500:
        return TransientSendError(code, message)
    return PermanentSendError(code, message)
