"""Reads of conversations, handoffs and the message log."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.flow import HandoffPriority
from cases.models import Channel, Contact, Conversation, Handoff, Message
from cases.phones import phone_normalize


def by_phone(rows: QuerySet, phone: str) -> QuerySet:
    """A contact's rows (conversations, texts), the number written however the caller likes."""
    return rows.filter(contact__phone=phone_normalize(phone))


def conversation_list(*, phone: str = "") -> QuerySet[Conversation]:
    conversations = Conversation.objects.select_related("contact").order_by("-updated_at")
    return by_phone(conversations, phone) if phone else conversations


#: Open before claimed before resolved, urgent before normal, oldest first.
HANDOFF_QUEUE_ORDER = ("status_rank", "priority_rank", "created_at", "id")


def handoff_queue() -> QuerySet[Handoff]:
    """Open work first, urgent before normal, oldest first within each."""
    handoffs = Handoff.objects.select_related("contact", "assigned_to").annotate(
        status_rank=Case(
            When(status=Handoff.Status.OPEN, then=Value(0)),
            When(status=Handoff.Status.CLAIMED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        priority_rank=Case(
            When(priority=HandoffPriority.URGENT, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    return handoffs.order_by(*HANDOFF_QUEUE_ORDER)


def handoff_reply_warning(handoff: Handoff, user) -> str:
    """Why texting this caller now needs a second thought ("" when it does not): the handoff
    is resolved, or someone else has claimed it and may be texting them too."""
    if handoff.status == Handoff.Status.RESOLVED:
        return "This handoff is resolved: the caller may not expect another text."
    if handoff.status == Handoff.Status.CLAIMED and handoff.assigned_to_id not in (None, user.pk):
        return f"{handoff.assigned_to} has claimed this handoff and may be texting the caller."
    return ""


def message_list(*, phone: str = "") -> QuerySet[Message]:
    messages = Message.objects.select_related("contact").order_by("-created_at", "-id")
    return by_phone(messages, phone) if phone else messages


def business_days_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Working time from ``start`` to ``end`` in days, Saturdays and Sundays not counted."""
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = (cursor + datetime.timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        stop = min(next_midnight, end)
        if cursor.weekday() < 5:
            total += (stop - cursor).total_seconds() / 86400
        cursor = stop
    return total


def handoff_overdue(handoff: Handoff, *, now: datetime.datetime | None = None) -> bool:
    """Waiting too long: urgent after ``HANDOFF_URGENT_OVERDUE_MINUTES``, normal after
    ``HANDOFF_NORMAL_OVERDUE_BUSINESS_DAYS`` working days (in the hotline's time zone)."""
    if handoff.status == Handoff.Status.RESOLVED:
        return False
    now = now or timezone.now()
    if handoff.priority == HandoffPriority.URGENT:
        limit = datetime.timedelta(minutes=settings.HANDOFF_URGENT_OVERDUE_MINUTES)
        return now - handoff.created_at > limit
    local = timezone.get_current_timezone()
    waited = business_days_between(handoff.created_at.astimezone(local), now.astimezone(local))
    return waited > settings.HANDOFF_NORMAL_OVERDUE_BUSINESS_DAYS


@dataclass(frozen=True)
class DashboardStats:
    """What the staff dashboard shows; simulator traffic is left out."""

    days: list[datetime.date]
    per_day: dict[str, list[int]]
    outcomes: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    handoff_ages: list[tuple[str, dict[str, int]]]


HANDOFF_AGE_BUCKETS = (
    ("< 15 min", datetime.timedelta(minutes=15)),
    ("< 1 hour", datetime.timedelta(hours=1)),
    ("< 1 day", datetime.timedelta(days=1)),
    ("< 3 days", datetime.timedelta(days=3)),
    ("older", None),
)


def dashboard_stats(*, days: int = 30, now: datetime.datetime | None = None) -> DashboardStats:
    """Conversations per day by channel, outcomes, countries named, open handoffs by age."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=days - 1)
    # A bound on the column itself (not on its date), so the started_at index serves it.
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    conversations = Conversation.objects.filter(started_at__gte=since).exclude(
        contact_id__in=_simulated_contacts()
    )
    day_list = [first + datetime.timedelta(days=n) for n in range(days)]
    per_day = {channel: [0] * days for channel in Channel.values}
    for row in (
        conversations.annotate(day=TruncDate("started_at"))
        .values("day", "channel")
        .annotate(count=Count("id"))
    ):
        per_day[row["channel"]][(row["day"] - first).days] = row["count"]
    outcomes = [
        (row["outcome"], row["count"])
        for row in conversations.exclude(outcome="")
        .values("outcome")
        .annotate(count=Count("id"))
        .order_by("-count", "outcome")
    ]
    return DashboardStats(
        days=day_list,
        per_day=per_day,
        outcomes=outcomes,
        countries=_countries_named(conversations),
        handoff_ages=_open_handoffs_by_age(now),
    )


def _simulated_contacts() -> QuerySet[Contact, Any]:
    """The simulator's few numbers (a partial index), so no join reads every caller."""
    return Contact.objects.filter(simulated=True).values("pk")


def _countries_named(conversations: QuerySet[Conversation], limit: int = 10) -> list:
    """Foreign places in the answers (either parent), most frequent first."""
    counts: Counter[str] = Counter()
    for key in ("caller", "other_parent"):
        for row in conversations.values(f"state__{key}").annotate(count=Count("id")):
            place = row[f"state__{key}"] or ""
            if place.startswith("foreign:"):
                counts[place.removeprefix("foreign:")] += row["count"]
    return counts.most_common(limit)


def _open_handoffs_by_age(now: datetime.datetime) -> list[tuple[str, dict[str, int]]]:
    buckets = {label: {"urgent": 0, "normal": 0} for label, _ in HANDOFF_AGE_BUCKETS}
    waiting = Handoff.objects.exclude(status=Handoff.Status.RESOLVED).exclude(
        contact_id__in=_simulated_contacts()
    )
    for created_at, priority in waiting.values_list("created_at", "priority"):
        age = now - created_at
        label = next(label for label, limit in HANDOFF_AGE_BUCKETS if limit is None or age < limit)
        buckets[label][priority] += 1
    return list(buckets.items())
