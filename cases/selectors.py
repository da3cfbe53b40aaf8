"""Reads of conversations, handoffs and the message log."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

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
