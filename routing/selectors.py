"""Reads of the reciprocity data."""

from __future__ import annotations

from routing.models import Jurisdiction as JurisdictionRow
from routing.models import StateArrangement, UsState
from routing.reference import Jurisdiction, ReferenceData
from routing.reference import UsState as UsStateView

_JURISDICTION_FIELDS = tuple(Jurisdiction.__dataclass_fields__)
_STATE_FIELDS = tuple(UsStateView.__dataclass_fields__)


def reference_data_get() -> ReferenceData:
    """The reciprocity data as it stands now (three queries), for the pure core.

    Read afresh for every message or request, never cached across an edit, so the next
    caller after a staff change gets the new answer.
    """
    jurisdictions = {
        values[0]: Jurisdiction(*values)
        for values in JurisdictionRow.objects.values_list(*_JURISDICTION_FIELDS)
    }
    states = {
        values[0]: UsStateView(*values) for values in UsState.objects.values_list(*_STATE_FIELDS)
    }
    arrangements = frozenset(StateArrangement.objects.values_list("state__code", "country__code"))
    return ReferenceData(jurisdictions=jurisdictions, states=states, arrangements=arrangements)
