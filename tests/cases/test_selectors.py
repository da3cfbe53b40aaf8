"""Reads behind the staff workspace: overdue handoffs, dashboard numbers."""

import datetime

import pytest
from django.utils import timezone

from cases import selectors
from cases.models import Contact, Conversation, Handoff

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_business_days_skip_weekends():
    friday_noon = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    monday_noon = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert selectors.business_days_between(friday_noon, monday_noon) == pytest.approx(1.0)
    assert selectors.business_days_between(monday_noon, friday_noon) == 0.0


@pytest.fixture
def contact():
    return Contact.objects.create(phone="+15125550100")


def handoff_at(contact, created, priority="normal", status="open"):
    handoff = Handoff.objects.create(contact=contact, reason="requested", priority=priority)
    Handoff.objects.filter(pk=handoff.pk).update(created_at=created, status=status)
    handoff.refresh_from_db()
    return handoff


def test_urgent_overdue_after_fifteen_minutes(contact, settings):
    settings.HANDOFF_URGENT_OVERDUE_MINUTES = 15
    now = timezone.now()
    fresh = handoff_at(contact, now - datetime.timedelta(minutes=10), priority="urgent")
    late = handoff_at(contact, now - datetime.timedelta(minutes=16), priority="urgent")
    done = handoff_at(contact, now - datetime.timedelta(hours=5), "urgent", status="resolved")
    assert not selectors.handoff_overdue(fresh, now=now)
    assert selectors.handoff_overdue(late, now=now)
    assert not selectors.handoff_overdue(done, now=now)


def test_normal_overdue_after_one_business_day(contact, settings):
    settings.HANDOFF_NORMAL_OVERDUE_BUSINESS_DAYS = 1
    friday = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    handoff = handoff_at(contact, friday)
    assert not selectors.handoff_overdue(handoff, now=friday + datetime.timedelta(days=3))
    assert selectors.handoff_overdue(handoff, now=friday + datetime.timedelta(days=3, hours=2))


def test_dashboard_counts_leave_the_simulator_out(contact):
    tester = Contact.objects.create(phone="+15550000001", simulated=True)
    for who, outcome in ((contact, "domestic_same_state"), (tester, "child_abduction")):
        Conversation.objects.create(
            contact=who,
            channel="sms",
            step="done",
            outcome=outcome,
            state={"caller": "us_state:US-TX", "other_parent": "foreign:DE"},
        )
    handoff_at(contact, timezone.now() - datetime.timedelta(minutes=30), priority="urgent")
    stats = selectors.dashboard_stats(days=7)
    assert stats.outcomes == [("domestic_same_state", 1)]
    assert stats.countries == [("DE", 1)]
    assert sum(stats.per_day["sms"]) == 1
    assert dict(stats.handoff_ages)["< 1 hour"] == {"urgent": 1, "normal": 0}
