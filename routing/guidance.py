"""Guidance without a conversation: two place answers in, the outcome and its message out.

Serves the staff API (and anything else that has both answers at once); the conversation
flow reaches the same engine and wording one question at a time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from routing.engine import Case, CaseError, Decision, decide
from routing.messages import guidance_message
from routing.places import (
    Ambiguous,
    Recognition,
    Recognized,
    Unrecognized,
    place_name,
    recognize_place,
    resolve_code,
)
from routing.reference import Place, PlaceKind, ReferenceData
from routing.selectors import reference_data_get


@dataclass(frozen=True)
class PlaceProblem:
    """Why one answer could not be used, with the places it might have meant."""

    field: str
    message: str
    candidates: tuple[Place, ...] = ()


class GuidanceInputError(ValueError):
    """One or both answers cannot be used; carries the data they were checked against."""

    def __init__(self, problems: list[PlaceProblem], reference: ReferenceData) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems
        self.reference = reference


@dataclass(frozen=True)
class Guidance:
    decision: Decision
    caller: Place
    other_parent: Place
    message: str
    language: str
    reference: ReferenceData


def place_resolve(text: str, *, reference: ReferenceData) -> Recognition:
    """A code typed by staff (``US-TX``, ``DE``, ``CA-QC``) first, then free text."""
    return resolve_code(text, reference=reference) or recognize_place(text, reference=reference)


def guidance_get(
    *,
    caller: str,
    other_parent: str,
    language: str = "en",
    us_ties: bool | None = None,
    third_country_order: bool | None = None,
    other_parent_military: bool = False,
    today: datetime.date | None = None,
) -> Guidance:
    """Resolve both places against the current data and decide; raises GuidanceInputError."""
    reference = reference_data_get()
    problems: list[PlaceProblem] = []
    places = {}
    for field, text in (("caller", caller), ("other_parent", other_parent)):
        recognition = place_resolve(text, reference=reference)
        if isinstance(recognition, Recognized):
            places[field] = recognition.place
        else:
            problems.append(_problem(field, text, recognition, reference))
    if problems:
        raise GuidanceInputError(problems, reference)
    case = Case(
        caller=places["caller"],
        other_parent=places["other_parent"],
        other_parent_military=other_parent_military,
        us_ties=us_ties,
        third_country_order=third_country_order,
    )
    try:
        decision = decide(case, reference=reference, today=today or timezone.localdate())
    except CaseError as error:
        raise GuidanceInputError([_case_problem(error, case, reference)], reference) from error
    return Guidance(
        decision=decision,
        caller=case.caller,
        other_parent=case.other_parent,
        message=guidance_message(decision, language=language),
        language=language,
        reference=reference,
    )


def _problem(
    field: str, text: str, recognition: Recognition, reference: ReferenceData
) -> PlaceProblem:
    if isinstance(recognition, Ambiguous):
        candidates = recognition.candidates
        if recognition.needs_subdivision:
            message = f"'{text}' needs the province or territory: each has its own status."
        else:
            message = f"'{text}' could mean more than one place."
        return PlaceProblem(field, f"{message} Send one of the codes listed.", candidates)
    suggestions = recognition.suggestions if isinstance(recognition, Unrecognized) else ()
    hint = " Did you mean one of the codes listed?" if suggestions else ""
    return PlaceProblem(
        field,
        f"'{text}' is not a place we recognise. Use a U.S. state (US-TX), a country (DE)"
        f" or a part of one (CA-QC).{hint}",
        suggestions,
    )


def _case_problem(error: CaseError, case: Case, reference: ReferenceData) -> PlaceProblem:
    candidates: tuple[Place, ...] = ()
    place = case.caller if error.field == "caller" else case.other_parent
    if place.kind is PlaceKind.US_UNKNOWN:
        candidates = tuple(Place.us_state(code) for code in sorted(reference.states))
    elif place.kind is PlaceKind.FOREIGN:
        candidates = tuple(Place.foreign(j.code) for j in reference.subdivisions_of(place.code))
    return PlaceProblem(error.field, error.reason, candidates)


def place_describe(
    place: Place, *, reference: ReferenceData, language: str
) -> dict[str, str | None]:
    """A place as the API shows it: kind, code and name in the caller's language."""
    return {
        "kind": place.kind.value,
        "code": place.code or None,
        "name": place_name(place, reference=reference, language=language),
    }
