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
