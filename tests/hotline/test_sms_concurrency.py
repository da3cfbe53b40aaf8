"""Texts from one number that arrive at the same moment are processed one after another."""

import threading
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client

from cases.models import Contact, Conversation, Handoff, Message
from tests.twilio_helpers import signed_post, text_params

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]

SENDER = "+15125550177"


def _send_together(bodies: list[str], sid: str | None = None) -> list:
    """POST every body at once from its own thread and connection; return the responses.

    With ``sid``, every POST carries that ``MessageSid``: Twilio delivering one text twice.
    """
    barrier = threading.Barrier(len(bodies))
    responses: list = [None] * len(bodies)

    def post(index: int, body: str) -> None:
        try:
            barrier.wait()
            params = text_params(body, sender=SENDER, sid=sid)
            responses[index] = signed_post(Client(), "/twilio/sms/", params)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=pair) for pair in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_simultaneous_texts_lose_no_answer(twilio_settings):
    signed_post(Client(), "/twilio/sms/", text_params("hi", sender=SENDER))
    responses = _send_together(["9", "8", "7"])
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(list(ET.fromstring(r.content).iter("Message")) for r in responses)
    # Three wrong menu answers in a row offer a person; a lost update would leave fewer.
    conversation = Conversation.objects.get()
    assert conversation.step == "offer_person"
    assert Message.objects.filter(direction="inbound").count() == 4


def test_first_texts_from_a_new_number_at_once_make_one_contact(twilio_settings):
    responses = _send_together(["hi", "hello"])
    assert [r.status_code for r in responses] == [200, 200]
    assert Contact.objects.filter(phone=SENDER).count() == 1
    assert Message.objects.filter(direction="inbound").count() == 2
    assert Conversation.objects.exclude(status="closed").count() == 1


def test_one_text_delivered_twice_at_once_is_processed_once(twilio_settings):
    """The second delivery waits for the contact lock, then hits the unique MessageSid, and
    is answered with the first one's replies (the same rows)."""
    signed_post(Client(), "/twilio/sms/", text_params("hi", sender=SENDER))
    responses = _send_together(["AGENT", "AGENT"], sid="SM" + "d" * 32)
    assert [r.status_code for r in responses] == [200, 200]
    answered = [list(ET.fromstring(r.content).iter("Message")) for r in responses]
    assert all(len(messages) > 0 for messages in answered)
    assert responses[0].content == responses[1].content
    assert Message.objects.filter(direction="inbound").count() == 2
    assert Handoff.objects.count() == 1
