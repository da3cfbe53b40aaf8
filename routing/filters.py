"""Query filters of the reciprocity data lists (contract §5: /countries/, /states/, …)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from routing.models import Jurisdiction, StateArrangement, UsState
from routing.reference import Knowledge
from routing.selectors import knowledge_condition
from staff.filters import GivenChoiceFilter, YesNoFilter


class ReferenceRowFilterSet(django_filters.FilterSet):
    """What every reference row can be found by: its name, and how far it can be trusted."""

    search = django_filters.CharFilter(
        method="filter_search", help_text="Code, or part of the English/Spanish name"
    )
    knowledge = GivenChoiceFilter(
        choices=[(knowledge.value, knowledge.value) for knowledge in Knowledge],
        method="filter_knowledge",
        help_text="State of knowledge today",
    )
    needs_verification = YesNoFilter(
        method="filter_needs_verification",
        help_text="True: rows staff have not verified within REFERENCE_STALE_DAYS.",
    )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(code__iexact=value) | Q(name__icontains=value) | Q(name_es__icontains=value)
        )

    def filter_knowledge(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(knowledge_condition(value, today=timezone.localdate()))

    def filter_needs_verification(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        verified = knowledge_condition(Knowledge.VERIFIED, today=timezone.localdate())
        return queryset.exclude(verified) if value else queryset.filter(verified)


class JurisdictionFilterSet(ReferenceRowFilterSet):
    frc = YesNoFilter(help_text="A U.S. Foreign Reciprocating Country.")
    hague_party = YesNoFilter(help_text="A party to the 2007 Hague Convention.")

    class Meta:
        model = Jurisdiction
        fields: list[str] = []


class UsStateFilterSet(ReferenceRowFilterSet):
    class Meta:
        model = UsState
        fields: list[str] = []


class ArrangementFilterSet(django_filters.FilterSet):
    """By either end, whatever the code's case (``?country=ca-qc``)."""

    state = django_filters.CharFilter(
        method="filter_code", strip=False, help_text="Postal code, e.g. MA"
    )
    country = django_filters.CharFilter(
        method="filter_code", strip=False, help_text="Jurisdiction code, e.g. CA-QC"
    )

    class Meta:
        model = StateArrangement
        fields: list[str] = []

    def filter_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{name}__code": value.upper()})
