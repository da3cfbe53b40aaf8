"""Finding 6: Twilio unreachable for a while does not lose a staff reply: transient failures
are retried for OUTBOX_RETRY_HOURS (capped backoff), the sweep resends them when due, and
staff see "retrying" apart from "failed"."""

import datetime

import pytest
from django.utils import timezone

from cases import outbox
from cases.admin import transcript_html
from cases.models import Contact, Conversation, Message
from cases.sending import TransientSendError
from tests.cases.test_outbox import ScriptedSender

pytestmark = pytest.mark.django_db

UNREACHABLE = TransientSendError("connection", "Twilio unreachable")


@pytest.fixture
def reply():
    contact = Contact.objects.create(phone="+15125550100")
    conversation = Conversation.objects.create(contact=contact, channel="sms", step="done")
    return outbox.message_queue(
        contact=contact,
        conversation=conversation,
        channel="sms",
        body="We can help",
        purpose="staff_reply",
    )


def _attempt_when_due(message_id: int, now: datetime.datetime) -> outbox.SendOutcome:
    """What beat and the worker do: the sweep finds the due retry and sends it."""
    assert message_id in outbox.outbox_sweep(now=now)
    return outbox.message_send(message_id=message_id, now=now)


def test_a_reply_outlives_a_long_twilio_outage_and_is_sent_when_it_returns(
    reply, monkeypatch, settings
):
    settings.OUTBOX_RETRY_MAX_SECONDS = 300
    fake = ScriptedSender(*[UNREACHABLE] * 12)
    monkeypatch.setattr(outbox, "sender_get", lambda: fake)
    now = timezone.now()
    outbox.message_send(message_id=reply.pk, now=now)
    for _ in range(11):
        now = Message.objects.get(pk=reply.pk).send_after + datetime.timedelta(seconds=1)
        assert _attempt_when_due(reply.pk, now).status == Message.Status.QUEUED
    reply.refresh_from_db()
    assert reply.status == Message.Status.QUEUED
    assert "retrying" in transcript_html(reply.conversation)
    now = reply.send_after + datetime.timedelta(seconds=1)
    assert _attempt_when_due(reply.pk, now).status == Message.Status.SENT
    reply.refresh_from_db()
    assert reply.twilio_sid
    assert len(fake.sent) == 13


def test_the_backoff_is_capped(reply, monkeypatch, settings):
    settings.OUTBOX_RETRY_MAX_SECONDS = 300
    monkeypatch.setattr(outbox, "sender_get", lambda: ScriptedSender(UNREACHABLE))
    Message.objects.filter(pk=reply.pk).update(attempts=40)
    outcome = outbox.message_send(message_id=reply.pk)
    assert outcome.retry_in is not None
    assert outcome.retry_in <= 300


def test_after_the_retry_period_the_reply_fails_and_staff_see_it(reply, monkeypatch, settings):
    settings.OUTBOX_RETRY_HOURS = 24
    monkeypatch.setattr(outbox, "sender_get", lambda: ScriptedSender(*[UNREACHABLE] * 2))
    start = timezone.now()
    outbox.message_send(message_id=reply.pk, now=start)
    later = start + datetime.timedelta(hours=24, minutes=1)
    assert _attempt_when_due(reply.pk, later).status == Message.Status.FAILED
    assert outbox.outbox_sweep(now=later + datetime.timedelta(hours=1)) == []
    page = transcript_html(Message.objects.get(pk=reply.pk).conversation)
    assert "failed" in page
    assert "retrying" not in page
