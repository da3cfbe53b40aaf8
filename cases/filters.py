"""Query filters of the conversation, handoff and message lists (contract §5)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import PermissionDenied

from cases import selectors
from cases.models import Channel, Conversation, Handoff, Message
from staff.api import can_see_personal_data
from staff.filters import GivenChoiceFilter


class ByPhoneFilterSet(django_filters.FilterSet):
    """``?phone=`` tells whether a number contacted the hotline, so it needs the same
    permission as seeing numbers: without it the request is refused before anything else."""

    phone = django_filters.CharFilter(
        method="filter_phone", strip=False, help_text="The caller's number, e.g. +15125550100"
    )

    def is_valid(self) -> bool:
        if self.data.get("phone") and not can_see_personal_data(self.request.user):
            raise PermissionDenied(
                "Filtering by phone needs the permission to see callers' numbers."
            )
        return super().is_valid()

    def filter_phone(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.by_phone(queryset, value)


class ConversationFilterSet(ByPhoneFilterSet):
    channel = GivenChoiceFilter(choices=Channel.choices)

    class Meta:
        model = Conversation
        fields: list[str] = []


class MessageFilterSet(ByPhoneFilterSet):
    class Meta:
        model = Message
        fields: list[str] = []


class HandoffFilterSet(django_filters.FilterSet):
    status = GivenChoiceFilter(choices=Handoff.Status.choices)

    class Meta:
        model = Handoff
        fields: list[str] = []
