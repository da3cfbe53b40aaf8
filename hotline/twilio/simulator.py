"""Texting the hotline without Twilio, through the real webhook view and signature check.

Used by ``manage.py chat`` and the staff simulator page, so what staff try is exactly what a
texter gets.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from django.conf import settings
from django.test import RequestFactory
from twilio.request_validator import RequestValidator

from hotline.twilio.sms import sms_inbound

SMS_PATH = "/twilio/sms/"
HOTLINE_NUMBER = "+18005550199"


class SimulationError(RuntimeError):
    """The webhook refused the simulated text (no token configured, or a bad request)."""


def text_through_webhook(*, sender: str, body: str, host: str) -> list[str]:
    """Post ``body`` from ``sender`` to /twilio/sms/ signed as Twilio would; return the replies.

    ``host`` is the host name the request claims (one ``ALLOWED_HOSTS`` accepts).
    """
    token = settings.TWILIO_AUTH_TOKEN
    if not token:
        raise SimulationError("Set TWILIO_AUTH_TOKEN (or DEBUG=true) so requests can be signed.")
    params = {
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "From": sender,
        "To": HOTLINE_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }
    url = f"{settings.PUBLIC_BASE_URL or f'http://{host}'}{SMS_PATH}"
    signature = RequestValidator(token).compute_signature(url, params)
    request = RequestFactory().post(
        SMS_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature, HTTP_HOST=host
    )
    response = sms_inbound(request)
    if response.status_code != 200:
        raise SimulationError(f"The webhook answered {response.status_code}.")
    return [message.text or "" for message in ET.fromstring(response.content).iter("Message")]
