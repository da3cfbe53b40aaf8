"""The decision table (``docs/decision-table.md``) as a pure function.

``decide`` maps where the two parents live, plus the answers to follow-up questions, to one
outcome code with the contacts and facts its message needs. No I/O: the reciprocity data and
the day are arguments, so the same inputs always give the same decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from enum import StrEnum

from routing.federal import Contact
from routing.reference import (
    UNRESEARCHED,
    Jurisdiction,
    Knowledge,
    Place,
    PlaceKind,
    Provenance,
    ReferenceData,
    UsState,
)


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
class Fact:
    """One row the decision rests on, and how far it can be trusted on the day decided.

    ``role``: what the row is for this answer (``caller_state``, ``other_parent_jurisdiction``,
    ``sovereign``, ``state_arrangement``, ``contact``); ``code``: the row (``TX``, ``MQ``,
    ``MA-CA-QC``, ``ocss_irg``).
    """

    role: str
    code: str
    knowledge: Knowledge
    provenance: Provenance


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
    #: Every row this answer rests on, with its state of knowledge.
    facts: tuple[Fact, ...] = ()
    #: Federal pages the wording may cite (the OCSS map, the IRG…), as the data keeps them.
    references: tuple[Contact, ...] = ()
    #: The jurisdiction's status is not settled: a Hague party whose relation with the U.S.
    #: nobody could establish.
    hague_with_us_unknown: bool = False
    #: For a territory (Martinique), the country whose status it follows (France).
    sovereign: Jurisdiction | None = None

    @property
    def agency_state(self) -> UsState | None:
        """The U.S. state whose agency the caller should contact or whose agency is named."""
        return self.state or self.other_state

    @property
    def unconfirmed(self) -> bool:
        """Some row behind this answer is not verified (or its verification is stale)."""
        return any(fact.knowledge is not Knowledge.VERIFIED for fact in self.facts)

    def reference(self, kind: str) -> Contact | None:
        return next((c for c in self.references if c.kind == kind), None)


#: Federal pages a message may cite without listing them as contacts (the OCSS map, where
#: callers confirm an answer that rests on an unverified row).
_REFERENCE_KINDS = ("ocss_agency_map",)

#: Contacts built from a state's or a jurisdiction's row (that row is the fact behind them);
#: every other contact is a federal contact row of its own.
_ROW_CONTACT_KINDS = frozenset({"state_agency", "central_authority"})

#: Outcomes that depend on whether the state has its own arrangement with the country.
_ARRANGEMENT_OUTCOMES = frozenset(
    {
        Outcome.US_CALLER_STATE_RECIPROCITY,
        Outcome.US_CALLER_NO_ARRANGEMENT,
        Outcome.US_CALLER_NO_ARRANGEMENT_US_TIES,
        Outcome.ABROAD_CALLER_STATE_RECIPROCITY,
        Outcome.ABROAD_CALLER_DIRECT_APPLICATION,
    }
)


def agency_contact(state: UsState, reference: ReferenceData) -> Contact:
    """A state's agency; with no known phone, the OCSS map is how to find it."""
    return Contact(
        kind="state_agency",
        name=state.agency_name,
        phone=state.agency_phone,
        phone_abroad=state.agency_phone_abroad,
        url=state.agency_url or reference.contact("ocss_agency_map").url,
    )


def _agency_contacts(state: UsState, reference: ReferenceData) -> tuple[Contact, ...]:
    if state.agency_phone:
        return (agency_contact(state, reference),)
    return agency_contact(state, reference), reference.contact("ocss_agency_map")


def central_authority_contacts(
    jurisdiction: Jurisdiction, today: datetime.date, reference: ReferenceData
) -> tuple[Contact, ...]:
    """Where to find a treaty jurisdiction's Central Authority (its sovereign's, for a
    territory): its own row, then the lists."""
    jurisdiction = reference.status_row(jurisdiction)
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
        contacts.append(reference.contact("hcch_central_authorities"))
    if jurisdiction.frc:
        contacts.append(reference.contact("ocss_international"))
    return tuple(contacts)


def decide_abduction(*, reference: ReferenceData, today: datetime.date) -> Decision:
    """Row 13: a child taken to or kept in another country (main menu 2), with the State
    Department's numbers as staff keep them."""
    contact = reference.contact("state_department_abduction")
    decision = _decision(Outcome.CHILD_ABDUCTION, contacts=(contact,))
    return _with_facts(decision, reference, today)


def decide(case: Case, *, reference: ReferenceData, today: datetime.date) -> Decision:
    """Rows 1-12 and the modifiers; raises ``CaseError`` naming what is still needed.

    The decision lists every row it rests on with that row's state of knowledge on ``today``
    (a verification older than ``reference.stale_days`` no longer counts)."""
    other = _effective_other_parent(case)
    if case.caller.kind is PlaceKind.US_STATE:
        state = _state(case.caller, reference, "caller")
        decision = _decide_caller_in_us(case, state, other, reference, today)
        return _with_facts(decision, reference, today)
    if case.caller.kind is PlaceKind.FOREIGN:
        jurisdiction = _jurisdiction(case.caller, reference, "caller")
        decision = _decide_caller_abroad(case, jurisdiction, other, reference, today)
        return _with_facts(decision, reference, today)
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
    contacts = _agency_contacts(state, reference)
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
    if reference.status_row(country).is_treaty_on(today):
        return _decision(
            Outcome.US_CALLER_TREATY_COUNTRY,
            contacts=contacts + central_authority_contacts(country, today, reference),
            state=state,
            other_jurisdiction=country,
        )
    if _arrangement(reference, state, country):
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
        contacts=(
            *contacts,
            reference.contact("ocss_irg"),
            reference.contact("state_department_foreign_attorney"),
        ),
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
        treaty = reference.status_row(country).is_treaty_on(today)
        contacts = central_authority_contacts(country, today, reference) if treaty else ()
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
    treaty = reference.status_row(country).is_treaty_on(today)
    if other.kind is not PlaceKind.US_STATE:
        if treaty:
            return _decision(
                Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY,
                contacts=central_authority_contacts(country, today, reference),
                modifiers=tuple(modifiers),
                jurisdiction=country,
                follow_up=follow_up,
            )
        return _decision(
            Outcome.ABROAD_CALLER_LOCATE_NO_TREATY,
            contacts=(reference.contact("ocss_agency_map"),),
            modifiers=tuple(modifiers),
            jurisdiction=country,
            follow_up=follow_up,
        )
    other_state = _state(other, reference, "other_parent")
    agency = _agency_contacts(other_state, reference)
    if treaty:
        outcome = Outcome.ABROAD_CALLER_TREATY_COUNTRY
        contacts = central_authority_contacts(country, today, reference) + agency
    elif _arrangement(reference, other_state, country):
        outcome = Outcome.ABROAD_CALLER_STATE_RECIPROCITY
        contacts = agency
    else:
        outcome = Outcome.ABROAD_CALLER_DIRECT_APPLICATION
        contacts = (*agency, reference.contact("ocss_irg"))
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


def _arrangement(reference: ReferenceData, state: UsState, country: Jurisdiction) -> str:
    """The code of the arrangement between ``state`` and ``country`` (a territory's own, or its
    sovereign's), or empty."""
    for code in (country.code, country.part_of):
        if code and reference.has_state_arrangement(state.code, code):
            return code
    return ""


def _knowledge(provenance: Provenance, reference: ReferenceData, today: datetime.date) -> Knowledge:
    return provenance.knowledge_on(today, stale_days=reference.stale_days)


def _contact_fact(contact: Contact, reference: ReferenceData, today: datetime.date) -> Fact:
    provenance = reference.contact_provenance.get(contact.kind, UNRESEARCHED)
    return Fact("contact", contact.kind, _knowledge(provenance, reference, today), provenance)


def _row_fact(role: str, row, reference: ReferenceData, today: datetime.date) -> Fact:
    return Fact(role, row.code, _knowledge(row.provenance, reference, today), row.provenance)


def _with_facts(decision: Decision, reference: ReferenceData, today: datetime.date) -> Decision:
    """The decision with the rows it rests on, the pages its wording cites, and whether the
    status it used is settled."""
    facts = []
    rows = (
        ("caller_state", decision.state),
        ("other_parent_state", decision.other_state),
        ("caller_jurisdiction", decision.jurisdiction),
        ("other_parent_jurisdiction", decision.other_jurisdiction),
    )
    foreign = decision.jurisdiction or decision.other_jurisdiction
    for role, row in rows:
        if row is not None:
            facts.append(_row_fact(role, row, reference, today))
    status = reference.status_row(foreign) if foreign is not None else None
    if status is not None and status is not foreign:
        facts.append(_row_fact("sovereign", status, reference, today))
    us_state = decision.agency_state
    code = ""
    if foreign is not None and us_state is not None and decision.outcome in _ARRANGEMENT_OUTCOMES:
        code = _arrangement(reference, us_state, foreign)
    if code and us_state is not None:
        # No arrangement has no row staff could verify: that answer rests on the state's and
        # the country's rows, listed above.
        provenance = reference.arrangement_provenance.get((us_state.code, code), UNRESEARCHED)
        knowledge = _knowledge(provenance, reference, today)
        facts.append(Fact("state_arrangement", f"{us_state.code}-{code}", knowledge, provenance))
    references = tuple(reference.contact(kind) for kind in _REFERENCE_KINDS)
    facts.extend(
        _contact_fact(contact, reference, today)
        for contact in decision.contacts
        if contact.kind not in _ROW_CONTACT_KINDS
    )
    return replace(
        decision,
        facts=tuple(facts),
        references=references,
        hague_with_us_unknown=status is not None and status.hague_with_us_unknown_on(today),
        sovereign=status if status is not foreign else None,
    )
