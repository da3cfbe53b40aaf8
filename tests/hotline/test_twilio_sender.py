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


def _sender_recording(sent: list[dict]) -> TwilioSender:
    def create(**params):
        sent.append(params)
        return SimpleNamespace(sid="SM" + "0" * 32, status="queued")

    sender = TwilioSender.__new__(TwilioSender)
    sender._client = SimpleNamespace(messages=SimpleNamespace(create=create))
    return sender


def test_whatsapp_goes_through_the_messaging_service_when_it_is_the_only_sender(settings):
    """A Messaging Service holds WhatsApp senders too: with no WhatsApp number of its own, a
    WhatsApp text names the service instead of an empty From, which Twilio refuses."""
    settings.TWILIO_FROM_NUMBER, settings.TWILIO_WHATSAPP_FROM = "", ""
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    sent: list[dict] = []
    _sender_recording(sent).send(outbox.Outgoing(to=PHONE, body="hi", whatsapp=True))
    assert sent == [
        {"to": f"whatsapp:{PHONE}", "messaging_service_sid": "MG" + "1" * 32, "body": "hi"}
    ]


def test_a_whatsapp_number_of_its_own_is_used_before_the_service(settings):
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+18005550199"
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    sent: list[dict] = []
    _sender_recording(sent).send(outbox.Outgoing(to=PHONE, body="hi", whatsapp=True))
    assert sent[0]["from_"] == "whatsapp:+18005550199"
    assert "messaging_service_sid" not in sent[0]
