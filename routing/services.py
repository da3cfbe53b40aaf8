"""Write paths for the reciprocity data. Each edit is recorded in the history with its author."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from routing.models import Jurisdiction, SourcedFacts, StateArrangement, UsState

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


@transaction.atomic
def jurisdiction_update(*, jurisdiction: Jurisdiction, actor: Actor, **fields: Any) -> Jurisdiction:
    for name, value in fields.items():
        setattr(jurisdiction, name, value)
    _save(jurisdiction, actor=actor)
    return jurisdiction


@transaction.atomic
def jurisdiction_delete(*, jurisdiction: Jurisdiction, actor: Actor) -> None:
    _attribute(jurisdiction, actor)
    jurisdiction.delete()


@transaction.atomic
def state_update(*, state: UsState, actor: Actor, **fields: Any) -> UsState:
    for name, value in fields.items():
        setattr(state, name, value)
    _save(state, actor=actor)
    return state


@transaction.atomic
def arrangement_create(
    *, state: UsState, country: Jurisdiction, actor: Actor, notes: str = "", source: str = ""
) -> StateArrangement:
    arrangement = StateArrangement(state=state, country=country, notes=notes, source=source)
    _save(arrangement, actor=actor)
    return arrangement


@transaction.atomic
def arrangement_delete(*, arrangement: StateArrangement, actor: Actor) -> None:
    _attribute(arrangement, actor)
    arrangement.delete()


@transaction.atomic
def facts_update(*, row: SourcedFacts, actor: Actor, **fields: Any) -> SourcedFacts:
    """Any reference row (a federal contact, say), validated and attributed."""
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
        row.save()
        count += 1
    return count
