"""Handoff services: alerts queued after commit, staff replies."""

import pytest

from cases import handoffs
from cases.flow import HandoffPriority, HandoffReason
from cases.models import Contact, Conversation

pytestmark = pytest.mark.django_db


def test_an_alert_that_fails_in_process_is_logged_as_itself_not_as_the_broker(
    settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Without Redis the alert task runs in-process: a mail error is logged with its
    traceback, not as a broker outage."""
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]

    def mail_down(**kwargs):
        raise ConnectionRefusedError("mail server refused")

    monkeypatch.setattr(handoffs, "handoff_alert_send", mail_down)
    contact = Contact.objects.create(phone="+15125550100")
    conversation = Conversation.objects.create(contact=contact, channel="sms")
    with django_capture_on_commit_callbacks(execute=True):
        handoff = handoffs.handoff_open(
            conversation=conversation,
            reason=HandoffReason.ABDUCTION,
            priority=HandoffPriority.URGENT,
        )
    (record,) = [r for r in caplog.records if r.name == "cases.handoffs"]
    assert "broker" not in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is ConnectionRefusedError
    handoff.refresh_from_db()
    assert handoff.alert_due
