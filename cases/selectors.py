"""Reads of conversations, handoffs and the message log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from cases.models import Conversation, Handoff, Message
from cases.phones import phone_normalize


def conversation_list(*, phone: str = "", channel: str = "") -> QuerySet[Conversation]:
    conversations = Conversation.objects.select_related("contact").order_by("-updated_at")
    if phone:
        conversations = conversations.filter(contact__phone=phone_normalize(phone))
    if channel:
        conversations = conversations.filter(channel=channel)
    return conversations


def handoff_queue(*, status: str = "") -> QuerySet[Handoff]:
    """Open work first, urgent before normal, oldest first within each."""
    handoffs = Handoff.objects.select_related("contact", "assigned_to").annotate(
        status_rank=Case(
            When(status=Handoff.Status.OPEN, then=Value(0)),
            When(status=Handoff.Status.CLAIMED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        priority_rank=Case(
            When(priority=Handoff.Priority.URGENT, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    if status:
        handoffs = handoffs.filter(status=status)
    return handoffs.order_by("status_rank", "priority_rank", "created_at")


def message_list(*, phone: str = "") -> QuerySet[Message]:
    messages = Message.objects.select_related("contact").order_by("-created_at", "-id")
    if phone:
        messages = messages.filter(contact__phone=phone_normalize(phone))
    return messages


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
    if handoff.priority == Handoff.Priority.URGENT:
        limit = datetime.timedelta(minutes=settings.HANDOFF_URGENT_OVERDUE_MINUTES)
        return now - handoff.created_at > limit
    local = timezone.get_current_timezone()
    waited = business_days_between(handoff.created_at.astimezone(local), now.astimezone(local))
    return waited > settings.HANDOFF_NORMAL_OVERDUE_BUSINESS_DAYS
