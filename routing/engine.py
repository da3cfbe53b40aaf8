"""The decision table (``docs/decision-table.md``) as a pure function.

``decide`` maps where the two parents live, plus the answers to follow-up questions, to one
outcome code with the contacts and facts its message needs. No I/O: the reciprocity data and
the day are arguments, so the same inputs always give the same decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from routing import federal
from routing.federal import Contact
from routing.reference import Jurisdiction, Place, PlaceKind, ReferenceData, UsState


class Outcome(StrEnum):
    """Stable outcome codes; tests, the API and analytics use these, never the wording."""

    DOMESTIC_SAME_STATE = "domestic_same_state"
    DOMESTIC_INTERSTATE = "domestic_interstate"
    DOMESTIC_LOCATE = "domestic_locate"
    US_CALLER_TREATY_COUNTRY = "us_caller_treaty_country"
    US_CALLER_STATE_RECIPROCITY = "us_caller_state_reciprocity"
    US_CALLER_NO_ARRANGEMENT = "us_caller_no_arrangement"
    US_CALLER_NO_ARRANGEMENT_US_TIES = "us_caller_no_arrangement_us_ties"
    ABROAD_CALLER_TREATY_COUNTRY = "abroad_caller_treaty_country"
    ABROAD_CALLER_STATE_RECIPROCITY = "abroad_caller_state_reciprocity"
    ABROAD_CALLER_DIRECT_APPLICATION = "abroad_caller_direct_application"
    ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY = "abroad_caller_locate_via_central_authority"
    ABROAD_CALLER_LOCATE_NO_TREATY = "abroad_caller_locate_no_treaty"
    OUTSIDE_US_PROGRAM = "outside_us_program"
    CHILD_ABDUCTION = "child_abduction"
    HANDOFF_REQUESTED = "handoff_requested"


class Modifier(StrEnum):
    """Additions to an outcome's message (they never change the code)."""

    OTHER_PARENT_MILITARY = "other_parent_military"
    THIRD_COUNTRY_ORDER = "third_country_order"
    NO_CITIZENSHIP_NEEDED = "no_citizenship_needed"


class FollowUp(StrEnum):
    """A yes/no question whose answer would add to or change this decision."""

    US_TIES = "us_ties"
    THIRD_COUNTRY_ORDER = "third_country_order"


FAQ_REFERENCES: dict[Outcome, tuple[str, ...]] = {
    Outcome.DOMESTIC_SAME_STATE: ("USAGov",),
    Outcome.DOMESTIC_INTERSTATE: ("USAGov",),
    Outcome.DOMESTIC_LOCATE: ("USAGov",),
    Outcome.US_CALLER_TREATY_COUNTRY: ("Q4", "Q8"),
    Outcome.US_CALLER_STATE_RECIPROCITY: ("Q5",),
    Outcome.US_CALLER_NO_ARRANGEMENT: ("Q6",),
    Outcome.US_CALLER_NO_ARRANGEMENT_US_TIES: ("Q9",),
    Outcome.ABROAD_CALLER_TREATY_COUNTRY: ("Q10",),
    Outcome.ABROAD_CALLER_STATE_RECIPROCITY: ("Q11",),
    Outcome.ABROAD_CALLER_DIRECT_APPLICATION: ("Q11", "Q1", "Q2"),
    Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY: ("Q13",),
    Outcome.ABROAD_CALLER_LOCATE_NO_TREATY: ("Q13", "Q11"),
    Outcome.OUTSIDE_US_PROGRAM: (),
    Outcome.CHILD_ABDUCTION: ("Q15",),
    Outcome.HANDOFF_REQUESTED: (),
}

#: Outcomes that send the caller to a U.S. state agency: a check-in asks later if it worked.
AGENCY_OUTCOMES = frozenset(
    {
        Outcome.DOMESTIC_SAME_STATE,
        Outcome.DOMESTIC_INTERSTATE,
        Outcome.DOMESTIC_LOCATE,
        Outcome.US_CALLER_TREATY_COUNTRY,
        Outcome.US_CALLER_STATE_RECIPROCITY,
        Outcome.US_CALLER_NO_ARRANGEMENT,
        Outcome.US_CALLER_NO_ARRANGEMENT_US_TIES,
        Outcome.ABROAD_CALLER_DIRECT_APPLICATION,
    }
)

_MODIFIER_FAQ = {
    Modifier.OTHER_PARENT_MILITARY: "Q14",
    Modifier.THIRD_COUNTRY_ORDER: "Q12",
    Modifier.NO_CITIZENSHIP_NEEDED: "Q1",
}


@dataclass(frozen=True, slots=True)
class Case:
    """What the caller told us. ``None`` for a follow-up means "not asked yet"."""

    caller: Place
    other_parent: Place
    other_parent_military: bool = False
    us_ties: bool | None = None
    third_country_order: bool | None = None


class CaseError(ValueError):
    """The case cannot be decided yet: ``field`` names the answer that is missing or unusable."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the decision table, resolved against the data."""

    outcome: Outcome
    faq: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    state: UsState | None = None
    other_state: UsState | None = None
    jurisdiction: Jurisdiction | None = None
    other_jurisdiction: Jurisdiction | None = None
    follow_up: FollowUp | None = None

    @property
    def agency_state(self) -> UsState | None:
        """The U.S. state whose agency the caller should contact or whose agency is named."""
        return self.state or self.other_state


def agency_contact(state: UsState) -> Contact:
    """A state's agency; with no known phone, the OCSS map is how to find it."""
    return Contact(
        kind="state_agency",
        name=state.agency_name,
        phone=state.agency_phone,
        url=state.agency_url or federal.OCSS_AGENCY_MAP.url,
    )


def _agency_contacts(state: UsState) -> tuple[Contact, ...]:
    if state.agency_phone:
        return (agency_contact(state),)
    return agency_contact(state), federal.OCSS_AGENCY_MAP


def central_authority_contacts(
    jurisdiction: Jurisdiction, today: datetime.date
) -> tuple[Contact, ...]:
    """Where to find a treaty jurisdiction's Central Authority: its own row, then the lists."""
    contacts = []
    if jurisdiction.central_authority_name or jurisdiction.central_authority_url:
        contacts.append(
            Contact(
                kind="central_authority",
                name=jurisdiction.central_authority_name
                or f"Central Authority of {jurisdiction.name}",
                phone=jurisdiction.central_authority_phone,
                url=jurisdiction.central_authority_url,
            )
        )
    if jurisdiction.hague_in_force_on(today):
        contacts.append(federal.HCCH_CENTRAL_AUTHORITIES)
    if jurisdiction.frc:
        contacts.append(federal.OCSS_INTERNATIONAL)
    return tuple(contacts)


def decide_abduction() -> Decision:
    """Row 13: a child taken to or kept in another country (main menu 2)."""
    return Decision(
        outcome=Outcome.CHILD_ABDUCTION,
        faq=FAQ_REFERENCES[Outcome.CHILD_ABDUCTION],
        contacts=(federal.STATE_DEPARTMENT_ABDUCTION,),
    )


def decide_handoff() -> Decision:
    """Row 14: the caller asked for a person."""
    return Decision(outcome=Outcome.HANDOFF_REQUESTED)


def decide(case: Case, *, reference: ReferenceData, today: datetime.date) -> Decision:
    """Rows 1-12 and the modifiers; raises ``CaseError`` naming what is still needed."""
    other = _effective_other_parent(case)
    if case.caller.kind is PlaceKind.US_STATE:
        state = _state(case.caller, reference, "caller")
        return _decide_caller_in_us(case, state, other, reference, today)
    if case.caller.kind is PlaceKind.FOREIGN:
        jurisdiction = _jurisdiction(case.caller, reference, "caller")
        return _decide_caller_abroad(case, jurisdiction, other, reference, today)
    if case.caller.kind is PlaceKind.US_UNKNOWN:
        raise CaseError("caller", "which U.S. state or territory does the caller live in?")
    raise CaseError("caller", "the caller's own place is needed (a U.S. state or a country).")


def _effective_other_parent(case: Case) -> Place:
    """A service member is handled through a U.S. home state (Q14), which may be unknown."""
    other = case.other_parent
    if other.kind is PlaceKind.MILITARY:
        return Place(PlaceKind.US_UNKNOWN, "US")
    if case.other_parent_military and other.kind is not PlaceKind.US_STATE:
        return Place(PlaceKind.US_UNKNOWN, "US")
    return other


def _is_military(case: Case) -> bool:
    return case.other_parent_military or case.other_parent.kind is PlaceKind.MILITARY


def _state(place: Place, reference: ReferenceData, field_name: str) -> UsState:
    state = reference.states.get(place.state_code)
    if state is None:
        raise CaseError(field_name, f"{place.code} is not a known U.S. state or territory.")
    return state


def _jurisdiction(place: Place, reference: ReferenceData, field_name: str) -> Jurisdiction:
    jurisdiction = reference.jurisdictions.get(place.code)
    if jurisdiction is None:
        raise CaseError(field_name, f"{place.code} is not a known country or jurisdiction.")
    if reference.subdivisions_of(jurisdiction.code):
        raise CaseError(field_name, f"which part of {jurisdiction.name}? Each has its own status.")
    return jurisdiction


def _decide_caller_in_us(
    case: Case, state: UsState, other: Place, reference: ReferenceData, today: datetime.date
) -> Decision:
    military = (Modifier.OTHER_PARENT_MILITARY,) if _is_military(case) else ()
    contacts = _agency_contacts(state)
    if other.kind is PlaceKind.US_STATE:
        other_state = _state(other, reference, "other_parent")
        outcome = (
            Outcome.DOMESTIC_SAME_STATE
            if other_state.code == state.code
            else Outcome.DOMESTIC_INTERSTATE
        )
        return _decision(
            outcome, contacts=contacts, modifiers=military, state=state, other_state=other_state
        )
    if other.kind in (PlaceKind.US_UNKNOWN, PlaceKind.DONT_KNOW):
        return _decision(
            Outcome.DOMESTIC_LOCATE, contacts=contacts, modifiers=military, state=state
        )
    country = _jurisdiction(other, reference, "other_parent")
    if country.is_treaty_on(today):
        return _decision(
            Outcome.US_CALLER_TREATY_COUNTRY,
            contacts=contacts + central_authority_contacts(country, today),
            state=state,
            other_jurisdiction=country,
        )
    if reference.has_state_arrangement(state.code, country.code):
        return _decision(
            Outcome.US_CALLER_STATE_RECIPROCITY,
            contacts=contacts,
            state=state,
            other_jurisdiction=country,
        )
    if case.us_ties:
        return _decision(
            Outcome.US_CALLER_NO_ARRANGEMENT_US_TIES,
            contacts=contacts,
            state=state,
            other_jurisdiction=country,
        )
    return _decision(
        Outcome.US_CALLER_NO_ARRANGEMENT,
        contacts=(*contacts, federal.STATE_DEPARTMENT_FOREIGN_ATTORNEY),
        state=state,
        other_jurisdiction=country,
        follow_up=FollowUp.US_TIES if case.us_ties is None else None,
    )


def _decide_caller_abroad(
    case: Case,
    country: Jurisdiction,
    other: Place,
    reference: ReferenceData,
    today: datetime.date,
) -> Decision:
    if other.kind is PlaceKind.FOREIGN:
        other_country = _jurisdiction(other, reference, "other_parent")
        contacts = central_authority_contacts(country, today) if country.is_treaty_on(today) else ()
        return _decision(
            Outcome.OUTSIDE_US_PROGRAM,
            contacts=contacts,
            jurisdiction=country,
            other_jurisdiction=other_country,
        )
    modifiers = [Modifier.NO_CITIZENSHIP_NEEDED]
    if _is_military(case):
        modifiers.append(Modifier.OTHER_PARENT_MILITARY)
    if case.third_country_order:
        modifiers.append(Modifier.THIRD_COUNTRY_ORDER)
    follow_up = FollowUp.THIRD_COUNTRY_ORDER if case.third_country_order is None else None
    treaty = country.is_treaty_on(today)
    if other.kind is not PlaceKind.US_STATE:
        if treaty:
            return _decision(
                Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY,
                contacts=central_authority_contacts(country, today),
                modifiers=tuple(modifiers),
                jurisdiction=country,
                follow_up=follow_up,
            )
        return _decision(
            Outcome.ABROAD_CALLER_LOCATE_NO_TREATY,
            contacts=(federal.OCSS_AGENCY_MAP,),
            modifiers=tuple(modifiers),
            jurisdiction=country,
            follow_up=follow_up,
        )
    other_state = _state(other, reference, "other_parent")
    agency = _agency_contacts(other_state)
    if treaty:
        outcome = Outcome.ABROAD_CALLER_TREATY_COUNTRY
        contacts = central_authority_contacts(country, today) + agency
    elif reference.has_state_arrangement(other_state.code, country.code):
        outcome = Outcome.ABROAD_CALLER_STATE_RECIPROCITY
        contacts = agency
    else:
        outcome = Outcome.ABROAD_CALLER_DIRECT_APPLICATION
        contacts = agency
    return _decision(
        outcome,
        contacts=contacts,
        modifiers=tuple(modifiers),
        jurisdiction=country,
        other_state=other_state,
        follow_up=follow_up,
    )


def _decision(outcome: Outcome, *, modifiers: tuple[Modifier, ...] = (), **fields) -> Decision:
    faq = FAQ_REFERENCES[outcome] + tuple(
        _MODIFIER_FAQ[m] for m in modifiers if _MODIFIER_FAQ[m] not in FAQ_REFERENCES[outcome]
    )
    return Decision(outcome=outcome, faq=faq, modifiers=modifiers, **fields)
