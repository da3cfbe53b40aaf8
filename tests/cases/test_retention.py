"""The retention purge, at the service level: what it erases, and that nothing is missed."""

import datetime

import pytest
from django.utils import timezone

from cases import retention
from cases.models import Contact, Message

pytestmark = pytest.mark.django_db

PHONE = "+15125550100"


@pytest.fixture
def long_ago(settings):
    settings.RETENTION_DAYS = 30
    return timezone.now() - datetime.timedelta(days=31)


def _message(contact, *, created_at, **fields):
    fields = {"direction": "outbound", "channel": "sms", "status": "sent", **fields}
    message = Message.objects.create(contact=contact, **fields)
    Message.objects.filter(pk=message.pk).update(created_at=created_at)
    return message


def test_the_purge_erases_an_old_messages_error_text_and_keeps_its_code(long_ago):
    """Twilio's error text can name the number (21211); the code alone is a statistic."""
    contact = Contact.objects.create(phone=PHONE)
    message = _message(
        contact,
        created_at=long_ago,
        body="hi",
        status="failed",
        error_code="21211",
        error_message=f"The 'To' number {PHONE} is not a valid phone number.",
    )
    retention.personal_data_purge()
    message.refresh_from_db()
    assert (message.body, message.error_message, message.error_code) == ("", "", "21211")


def test_a_caller_with_no_messages_at_all_is_erased(long_ago):
    contact = Contact.objects.create(phone=PHONE)
    Contact.objects.filter(pk=contact.pk).update(created_at=long_ago)
    assert retention.personal_data_purge() == 1
    contact.refresh_from_db()
    assert contact.phone == f"erased-{contact.pk}"


def test_a_purge_that_died_after_erasing_the_messages_is_finished_by_the_next(long_ago):
    """The first run erased the messages and died before the callers: their numbers are still
    erased by the next run, which has no message left to erase."""
    contact = Contact.objects.create(phone=PHONE)
    Contact.objects.filter(pk=contact.pk).update(created_at=long_ago)
    _message(contact, created_at=long_ago, body="")  # erased by the run that died
    assert retention.personal_data_purge() == 1
    contact.refresh_from_db()
    assert contact.phone.startswith("erased-")


def test_callers_heard_from_lately_keep_their_numbers(long_ago, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    quiet = [Contact.objects.create(phone=f"+1512555010{n}") for n in range(5)]
    texting = Contact.objects.create(phone="+15125550199")
    Contact.objects.update(created_at=long_ago)
    _message(texting, created_at=long_ago, body="")
    _message(texting, created_at=timezone.now(), body="hi")
    new = Contact.objects.create(phone="+15125550198")
    assert retention.personal_data_purge() == 5
    kept = set(Contact.objects.exclude(phone__startswith="erased-").values_list("pk", flat=True))
    assert kept == {texting.pk, new.pk}
    assert not {c.pk for c in quiet} & kept
