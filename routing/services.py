"""Write paths for the reciprocity data. Each edit is recorded in the history with its author."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from routing import hcch
from routing.models import (
    VERIFICATION_FIELDS,
    HcchImport,
    Jurisdiction,
    SourcedFacts,
    StateArrangement,
    UsState,
    territories_of,
)
from routing.seed import US_ISO_CODES
from routing.selectors import reference_data_get
from staff.errors import Conflict

Facts = TypeVar("Facts", bound=SourcedFacts)

HCCH_STATUS_TABLE = (
    "HCCH status table https://www.hcch.net/en/instruments/conventions/status-table/?cid=131"
)

Actor = AbstractBaseUser | AnonymousUser | None


def _attribute(instance, actor: Actor) -> None:
    """The change history names who made this change."""
    if actor is not None and actor.is_authenticated:
        instance._history_user = actor


def _save(instance, *, actor: Actor) -> None:
    instance.full_clean()
    _attribute(instance, actor)
    instance.save()


@transaction.atomic
def jurisdiction_create(*, actor: Actor, **fields: Any) -> Jurisdiction:
    jurisdiction = Jurisdiction(**fields)
    _save(jurisdiction, actor=actor)
    return jurisdiction


def jurisdiction_update(*, jurisdiction: Jurisdiction, actor: Actor, **fields: Any) -> Jurisdiction:
    return facts_update(row=jurisdiction, actor=actor, **fields)


@transaction.atomic
def jurisdiction_delete(*, jurisdiction: Jurisdiction, actor: Actor) -> None:
    """Refused (``Conflict``) while territories follow it: they would point at nothing."""
    territories = territories_of(jurisdiction.code)
    if territories:
        raise Conflict(
            f"Territories follow {jurisdiction} ({', '.join(territories)}): make them follow "
            "another jurisdiction, or delete them, first."
        )
    _attribute(jurisdiction, actor)
    jurisdiction.delete()


def state_update(*, state: UsState, actor: Actor, **fields: Any) -> UsState:
    return facts_update(row=state, actor=actor, **fields)


@transaction.atomic
def arrangement_create(
    *, state: UsState, country: Jurisdiction, actor: Actor, **fields: Any
) -> StateArrangement:
    """An arrangement with its sourced facts (researched, source, source_date, notes)."""
    arrangement = StateArrangement(state=state, country=country, **fields)
    _save(arrangement, actor=actor)
    return arrangement


@transaction.atomic
def arrangement_delete(*, arrangement: StateArrangement, actor: Actor) -> None:
    _attribute(arrangement, actor)
    arrangement.delete()


@transaction.atomic
def facts_update(*, row: Facts, actor: Actor, **fields: Any) -> Facts:
    """Any reference row (a federal contact, say), validated and attributed; a new, unsaved
    row too (the admin's form has put its values on it), which this saves as given."""
    for name, value in fields.items():
        setattr(row, name, value)
    _save(row, actor=actor)
    return row


@transaction.atomic
def facts_mark_verified(*, rows, actor: Actor) -> int:
    """Staff confirmed these rows: record who and when (in the history too). A confirmed row
    counts as researched from then on, even after the confirmation grows stale."""
    now = timezone.now()
    count = 0
    for row in rows:
        row.researched = True
        row.verified_by = actor if actor is not None and actor.is_authenticated else None
        row.verified_at = now
        _attribute(row, actor)
        row.save(update_fields=VERIFICATION_FIELDS)
        count += 1
    return count


def hcch_import_create(*, file_name: str, text: str, table_as_of: datetime.date) -> HcchImport:
    """Compare a saved HCCH status table with the data and keep the result for staff to
    review; raises ``HcchFileError`` when the file is not a status table."""
    entries = hcch.parse_status_table(text)
    diff = hcch.hcch_diff(entries, dict(reference_data_get().jurisdictions), us_codes=US_ISO_CODES)
    return HcchImport.objects.create(
        file_name=file_name,
        table_as_of=table_as_of,
        changes=[dataclasses.asdict(change) for change in diff.changes],
        unmatched=list(diff.unmatched),
        not_in_table=list(diff.not_in_table),
    )


class HcchImportDecided(Conflict):
    """The import was applied or discarded meanwhile (by someone else, say)."""


@transaction.atomic
def hcch_import_apply(*, hcch_import: HcchImport, actor: Actor) -> int:
    """Staff confirmed the changes: write them, each row attributed in its history, sourced
    to the table and as of its date (no longer counted as verified: its facts changed, which
    ``SourcedFacts.save`` judges).
    Returns how many jurisdictions changed; raises ``HcchImportDecided`` when the import is
    no longer pending."""
    hcch_import = HcchImport.objects.select_for_update().get(pk=hcch_import.pk)
    if hcch_import.status != HcchImport.Status.PENDING:
        raise HcchImportDecided(f"This import is already {hcch_import.get_status_display()}.")
    by_code: dict[str, dict[str, Any]] = {}
    for change in hcch_import.changes:
        value: Any = change["new"] == "yes"
        if change["field"] == "hague_in_force_for_country":
            value = datetime.date.fromisoformat(change["new"])
        by_code.setdefault(change["code"], {})[change["field"]] = value
    source = f"{HCCH_STATUS_TABLE} (saved {hcch_import.table_as_of}, {hcch_import.file_name})"
    for jurisdiction in Jurisdiction.objects.filter(code__in=by_code):
        for name, value in by_code[jurisdiction.code].items():
            setattr(jurisdiction, name, value)
        if HCCH_STATUS_TABLE not in jurisdiction.source:
            jurisdiction.source = "; ".join(filter(None, [jurisdiction.source, source]))
        jurisdiction.researched = True
        jurisdiction.source_date = hcch_import.table_as_of
        # django-simple-history writes the row's _change_reason into its history entry.
        jurisdiction._change_reason = f"HCCH status table import #{hcch_import.pk}"  # type: ignore[attr-defined]
        _save(jurisdiction, actor=actor)
    hcch_import.status = HcchImport.Status.APPLIED
    _decide(hcch_import, actor)
    return len(by_code)


@transaction.atomic
def hcch_import_discard(*, hcch_import: HcchImport, actor: Actor) -> None:
    if hcch_import.status == HcchImport.Status.PENDING:
        hcch_import.status = HcchImport.Status.DISCARDED
        _decide(hcch_import, actor)


def _decide(hcch_import: HcchImport, actor: Actor) -> None:
    # request.user is typed as the abstract base; the user model is Django's own.
    hcch_import.decided_by = actor if actor is not None and actor.is_authenticated else None  # type: ignore[assignment]
    hcch_import.decided_at = timezone.now()
    hcch_import.save(update_fields=["status", "decided_by", "decided_at"])
