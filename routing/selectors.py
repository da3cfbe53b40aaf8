"""Reads of the reciprocity data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from routing.federal import Contact
from routing.models import FederalContact, ReferenceVersion, SourcedFacts, StateArrangement, UsState
from routing.models import Jurisdiction as JurisdictionRow
from routing.reference import (
    CONTACT_FACTS,
    JURISDICTION_FACTS,
    US_STATE_FACTS,
    Jurisdiction,
    Knowledge,
    Provenance,
    ReferenceData,
)
from routing.reference import UsState as UsStateView

#: A row's provenance columns, in the order ``Provenance.from_columns`` takes them.
_PROVENANCE_FIELDS = ("source", "source_date", "researched", "verified_by__username", "verified_at")

#: The last snapshot this process read: (database name, version token, data).
_snapshot: tuple[str, str, ReferenceData] | None = None


def stale_days() -> int:
    return settings.REFERENCE_STALE_DAYS


def reference_data_get() -> ReferenceData:
    """The reciprocity data as it stands now, for the pure core.

    One query for the version token; the full read (four queries and a few hundred objects)
    only when the token differs from the one this process last read with, so the first
    message after any staff edit gets the new answer. The token is read before the data: data
    newer than its token only causes one extra reread, never a stale answer.
    """
    global _snapshot
    database = connection.settings_dict["NAME"]
    token = ReferenceVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    kept = _snapshot
    if (
        token is not None
        and kept is not None
        and kept[:2] == (database, token)
        and kept[2].stale_days == stale_days()
    ):
        return kept[2]
    reference = _reference_data_read()
    if token is not None:
        _snapshot = (database, token, reference)
    return reference


def _split(values: tuple, count: int) -> tuple[tuple, Provenance]:
    """A row's own values, then its provenance (the ``_PROVENANCE_FIELDS``, read last)."""
    return values[:count], Provenance.from_columns(*values[count:])


def _reference_data_read() -> ReferenceData:
    """The reciprocity data straight from the tables (four queries), read-only."""
    jurisdictions = {}
    for values in JurisdictionRow.objects.values_list(*JURISDICTION_FACTS, *_PROVENANCE_FIELDS):
        own, provenance = _split(values, len(JURISDICTION_FACTS))
        jurisdictions[own[0]] = Jurisdiction(
            **dict(zip(JURISDICTION_FACTS, own, strict=True)), provenance=provenance
        )
    states = {}
    for values in UsState.objects.values_list(*US_STATE_FACTS, *_PROVENANCE_FIELDS):
        own, provenance = _split(values, len(US_STATE_FACTS))
        states[own[0]] = UsStateView(
            **dict(zip(US_STATE_FACTS, own, strict=True)), provenance=provenance
        )
    arrangement_provenance = {}
    for values in StateArrangement.objects.values_list(
        "state__code", "country__code", *_PROVENANCE_FIELDS
    ):
        own, provenance = _split(values, 2)
        arrangement_provenance[own] = provenance
    contacts, contact_provenance = {}, {}
    for values in FederalContact.objects.values_list(*CONTACT_FACTS, *_PROVENANCE_FIELDS):
        own, provenance = _split(values, len(CONTACT_FACTS))
        contacts[own[0]] = Contact(*own)
        contact_provenance[own[0]] = provenance
    return ReferenceData(
        jurisdictions=MappingProxyType(jurisdictions),
        states=MappingProxyType(states),
        arrangements=frozenset(arrangement_provenance),
        arrangement_provenance=MappingProxyType(arrangement_provenance),
        contacts=MappingProxyType(contacts),
        contact_provenance=MappingProxyType(contact_provenance),
        stale_days=stale_days(),
    )


def _verified_since(today: datetime.date) -> datetime.datetime:
    """The earliest verification that still counts on ``today``."""
    cutoff = today - datetime.timedelta(days=stale_days())
    return datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=datetime.UTC)


#: Verified, but longer ago than ``REFERENCE_STALE_DAYS`` (a filter, not a state of its own).
STALE = "stale"


def knowledge_condition(knowledge: str, *, today: datetime.date) -> Q:
    """Rows in one state of knowledge on ``today`` ("stale": verified, but too long ago)."""
    fresh = Q(verified_at__gte=_verified_since(today))
    if knowledge == Knowledge.VERIFIED:
        return fresh
    if knowledge == Knowledge.SOURCED_UNVERIFIED:
        return ~fresh & Q(researched=True)
    if knowledge == Knowledge.UNRESEARCHED:
        return ~fresh & Q(researched=False)
    if knowledge == STALE:
        return Q(verified_at__lt=_verified_since(today))
    raise ValueError(f"Not a state of knowledge: {knowledge!r}.")


def knowledge_label(row: SourcedFacts, *, today: datetime.date) -> str:
    """What staff read in a list: the state, and who verified when or which source, as of."""
    knowledge = row.knowledge_on(today)
    if knowledge is Knowledge.VERIFIED:
        who = row.verified_by.get_username() if row.verified_by else "someone"
        return f"verified by {who} on {row.verified_at:%Y-%m-%d}"
    stale = f" (verified {row.verified_at:%Y-%m-%d}, too long ago)" if row.verified_at else ""
    if knowledge is Knowledge.SOURCED_UNVERIFIED:
        as_of = f" as of {row.source_date}" if row.source_date else ""
        return f"sourced{as_of}, not verified{stale}"
    return f"unresearched{stale}"


REVIEWED_MODELS = (JurisdictionRow, UsState, StateArrangement, FederalContact)


@dataclass(frozen=True)
class ReviewItem:
    """One row of the review queue."""

    table: str
    label: str
    knowledge: Knowledge
    status: str
    source_date: datetime.date | None
    verified_at: datetime.datetime | None
    change_url: str


def review_queue(*, today: datetime.date) -> list[ReviewItem]:
    """Rows not verified on ``today``: never verified first, then the oldest verification;
    within each, sourced rows before unresearched ones and the oldest source first."""
    items = []
    for model in REVIEWED_MODELS:
        rows: QuerySet[Any] = model.objects.exclude(
            knowledge_condition(Knowledge.VERIFIED, today=today)
        )
        if model is StateArrangement:
            rows = rows.select_related("state", "country", "verified_by")
        else:
            rows = rows.select_related("verified_by")
        meta = model._meta
        for row in rows:
            items.append(
                ReviewItem(
                    table=str(meta.verbose_name),
                    label=str(row),
                    knowledge=row.knowledge_on(today),
                    status=knowledge_label(row, today=today),
                    source_date=row.source_date,
                    verified_at=row.verified_at,
                    change_url=reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]
                    ),
                )
            )
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(
        items,
        key=lambda item: (
            item.verified_at is not None,
            item.verified_at or never,
            item.knowledge is Knowledge.UNRESEARCHED,
            item.source_date or datetime.date.min,
        ),
    )


def knowledge_counts(*, today: datetime.date) -> dict[str, dict[str, int]]:
    """Rows per table in each state of knowledge on ``today`` (one query per table)."""
    conditions = {
        knowledge.value: Count("pk", filter=knowledge_condition(knowledge, today=today))
        for knowledge in Knowledge
    }
    return {
        str(model._meta.verbose_name_plural): model.objects.aggregate(**conditions)
        for model in REVIEWED_MODELS
    }
