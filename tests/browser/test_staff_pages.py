"""The workspace as staff meet it (issue 16): the queue's order, what a handoff shows,
search by number, outcome labels, page widths and the offline API docs."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Contact, Conversation, Handoff
from tests.browser.conftest import log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _handoff(phone: str, *, reason: str, priority: str, status: str, minutes_ago: int) -> Handoff:
    contact = Contact.objects.create(phone=phone)
    conversation = Conversation.objects.create(contact=contact, channel="sms", step="handoff")
    handoff = Handoff.objects.create(
        conversation=conversation, contact=contact, reason=reason, priority=priority, status=status
    )
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Handoff.objects.filter(pk=handoff.pk).update(created_at=created)
    return handoff


def test_queue_lists_open_urgent_oldest_first(page, hotline_staff):
    made = {
        "resolved_old": _handoff(
            "+15125550101",
            reason="requested",
            priority="normal",
            status="resolved",
            minutes_ago=500,
        ),
        "claimed_old": _handoff(
            "+15125550102", reason="requested", priority="normal", status="claimed", minutes_ago=400
        ),
        "normal_old": _handoff(
            "+15125550103", reason="requested", priority="normal", status="open", minutes_ago=300
        ),
        "normal_new": _handoff(
            "+15125550104", reason="unrecognized", priority="normal", status="open", minutes_ago=5
        ),
        "urgent_new": _handoff(
            "+15125550105", reason="abduction", priority="urgent", status="open", minutes_ago=2
        ),
        "urgent_old": _handoff(
            "+15125550106", reason="abduction", priority="urgent", status="open", minutes_ago=20
        ),
    }
    log_in(page, "hana")
    page.goto("/admin/cases/handoff/")
    rows = page.locator("#result_list tbody tr th a").all_inner_texts()
    expected = [
        "urgent_old",
        "urgent_new",
        "normal_old",
        "normal_new",
        "claimed_old",
        "resolved_old",
    ]
    assert rows == [str(made[name].pk) for name in expected]
    expect(page.locator("#result_list tbody tr").first).to_contain_text("Urgent")
    shot(page, "handoff_queue_order")
