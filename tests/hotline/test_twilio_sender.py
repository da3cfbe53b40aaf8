"""Twilio's sender: its errors reach the outbox (and staff) without the caller's number."""

from types import SimpleNamespace

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from cases import outbox
from cases.models import Contact, Message
from cases.sending import AmbiguousSendError
from hotline.twilio.sender import TwilioSender

pytestmark = pytest.mark.django_db

PHONE = "+15125550100"


def _sender_failing_with(error: Exception) -> TwilioSender:
    """A TwilioSender whose client raises ``error`` for every message."""

    def create(**params):
        raise error

    sender = TwilioSender.__new__(TwilioSender)
    sender._client = SimpleNamespace(messages=SimpleNamespace(create=create))
    return sender


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (21211, f"The 'To' number {PHONE} is not a valid phone number."),
        (
            21408,
            "Permission to send an SMS has not been enabled for the region indicated by the "
            f"'To' number: {PHONE}.",
        ),
        (30001, f"Queue overflow for whatsapp:{PHONE}"),
    ],
)
def test_twilios_error_text_is_stored_without_the_number(monkeypatch, code, text):
    error = TwilioRestException(400, "/Messages.json", text, code)
    monkeypatch.setattr(outbox, "sender_get", lambda: _sender_failing_with(error))
    contact = Contact.objects.create(phone=PHONE)
    message = outbox.message_queue(contact=contact, channel="sms", body="hi", purpose="staff_reply")
    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.error_code == str(code)
    assert message.error_message
    assert "5550100" not in message.error_message
    assert "[redacted]" in message.error_message


def test_a_network_error_text_is_stored_without_the_number():
    sender = _sender_failing_with(requests.ReadTimeout(f"read timed out sending to {PHONE}"))
    with pytest.raises(AmbiguousSendError) as raised:
        sender.send(outbox.Outgoing(to=PHONE, body="hi"))
    assert "5550100" not in raised.value.message
    assert Message.objects.count() == 0
