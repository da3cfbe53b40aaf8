"""Every row and modifier of docs/decision-table.md, against the project's data."""

import dataclasses
import datetime

import pytest

from routing.engine import (
    Case,
    CaseError,
    FollowUp,
    Modifier,
    Outcome,
    decide,
    decide_abduction,
)
from routing.reference import Knowledge, Place, PlaceKind, Provenance
from routing.seed import reference_data_from_files
from tests.reference_helpers import all_verified

TODAY = datetime.date(2026, 11, 24)
US = Place(PlaceKind.US_UNKNOWN, "US")
DONT_KNOW = Place(PlaceKind.DONT_KNOW)
MILITARY = Place(PlaceKind.MILITARY)
state = Place.us_state
country = Place.foreign


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


ROWS = [
    # (row, caller, other parent, extra case fields, outcome)
    ("1", state("TX"), state("TX"), {}, Outcome.DOMESTIC_SAME_STATE),
    ("1 territory", state("PR"), state("PR"), {}, Outcome.DOMESTIC_SAME_STATE),
    ("2", state("TX"), state("CA"), {}, Outcome.DOMESTIC_INTERSTATE),
    ("3 unknown state", state("TX"), US, {}, Outcome.DOMESTIC_LOCATE),
    ("3 don't know", state("NY"), DONT_KNOW, {}, Outcome.DOMESTIC_LOCATE),
    ("4 hague", state("TX"), country("DE"), {}, Outcome.US_CALLER_TREATY_COUNTRY),
    ("4 frc only", state("TX"), country("AU"), {}, Outcome.US_CALLER_TREATY_COUNTRY),
    ("4 province", state("WA"), country("CA-BC"), {}, Outcome.US_CALLER_TREATY_COUNTRY),
    ("5 quebec", state("NY"), country("CA-QC"), {}, Outcome.US_CALLER_STATE_RECIPROCITY),
    ("6 none", state("TX"), country("MX"), {}, Outcome.US_CALLER_NO_ARRANGEMENT),
    ("6 quebec no deal", state("TX"), country("CA-QC"), {}, Outcome.US_CALLER_NO_ARRANGEMENT),
    ("6 guyana objected", state("TX"), country("GY"), {}, Outcome.US_CALLER_NO_ARRANGEMENT),
    ("6 azerbaijan objected", state("TX"), country("AZ"), {}, Outcome.US_CALLER_NO_ARRANGEMENT),
    ("6 no", state("TX"), country("MX"), {"us_ties": False}, Outcome.US_CALLER_NO_ARRANGEMENT),
    (
        "6a",
        state("TX"),
        country("MX"),
        {"us_ties": True},
        Outcome.US_CALLER_NO_ARRANGEMENT_US_TIES,
    ),
    ("7 hague", country("DE"), state("TX"), {}, Outcome.ABROAD_CALLER_TREATY_COUNTRY),
    ("7 frc", country("CH"), state("TX"), {}, Outcome.ABROAD_CALLER_TREATY_COUNTRY),
    ("8", country("CA-QC"), state("FL"), {}, Outcome.ABROAD_CALLER_STATE_RECIPROCITY),
    ("9", country("MX"), state("TX"), {}, Outcome.ABROAD_CALLER_DIRECT_APPLICATION),
    ("9 quebec", country("CA-QC"), state("TX"), {}, Outcome.ABROAD_CALLER_DIRECT_APPLICATION),
    ("10", country("FR"), US, {}, Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY),
    ("10 dk", country("NO"), DONT_KNOW, {}, Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY),
    ("11", country("MX"), US, {}, Outcome.ABROAD_CALLER_LOCATE_NO_TREATY),
    ("11 dk", country("GY"), DONT_KNOW, {}, Outcome.ABROAD_CALLER_LOCATE_NO_TREATY),
    ("12", country("MX"), country("DE"), {}, Outcome.OUTSIDE_US_PROGRAM),
    ("12 same country", country("FR"), country("FR"), {}, Outcome.OUTSIDE_US_PROGRAM),
]


@pytest.mark.parametrize(
    ("caller", "other", "extra", "outcome"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_every_row_of_the_table(reference, caller, other, extra, outcome):
    decision = decide(Case(caller, other, **extra), reference=reference, today=TODAY)
    assert decision.outcome is outcome


def test_every_outcome_code_is_reachable(reference):
    reached = {
        decide(Case(c, o, **e), reference=reference, today=TODAY).outcome for _, c, o, e, _ in ROWS
    }
    abduction = decide_abduction(reference=reference, today=TODAY)
    reached.add(abduction.outcome)
    # The flow records a request for a person itself (cases.flow, tested in test_flow).
    assert set(Outcome) - reached == {Outcome.HANDOFF_REQUESTED}


def test_row_4_names_state_agency_and_central_authority_sources(reference):
    decision = decide(Case(state("TX"), country("DE")), reference=reference, today=TODAY)
    kinds = [contact.kind for contact in decision.contacts]
    assert kinds == ["state_agency", "hcch_central_authorities"]
    assert decision.contacts[0].phone == reference.states["TX"].agency_phone
    assert decision.faq == ("Q4", "Q8")


def test_frc_country_points_to_ocss_international_page(reference):
    decision = decide(Case(country("AU"), state("TX")), reference=reference, today=TODAY)
    assert "ocss_international" in [contact.kind for contact in decision.contacts]
    assert "hcch_central_authorities" not in [contact.kind for contact in decision.contacts]


def test_row_6_asks_about_us_ties_and_names_foreign_attorney_page(reference):
    decision = decide(Case(state("TX"), country("MX")), reference=reference, today=TODAY)
    assert decision.follow_up is FollowUp.US_TIES
    assert "state_department_foreign_attorney" in [c.kind for c in decision.contacts]
    answered = decide(
        Case(state("TX"), country("MX"), us_ties=False), reference=reference, today=TODAY
    )
    assert answered.follow_up is None


def test_agency_without_phone_points_to_the_ocss_map(reference):
    decision = decide(Case(state("OH"), state("OH")), reference=reference, today=TODAY)
    assert [contact.kind for contact in decision.contacts] == ["state_agency", "ocss_agency_map"]


def test_caller_abroad_always_told_citizenship_not_required(reference):
    for other in (state("TX"), US, DONT_KNOW):
        for caller in (country("DE"), country("MX"), country("CA-QC")):
            decision = decide(Case(caller, other), reference=reference, today=TODAY)
            assert Modifier.NO_CITIZENSHIP_NEEDED in decision.modifiers, (caller, other)


def test_third_country_order_is_asked_then_added_for_callers_abroad(reference):
    asked = decide(Case(country("MX"), state("TX")), reference=reference, today=TODAY)
    assert asked.follow_up is FollowUp.THIRD_COUNTRY_ORDER
    assert Modifier.THIRD_COUNTRY_ORDER not in asked.modifiers
    yes = decide(
        Case(country("MX"), state("TX"), third_country_order=True),
        reference=reference,
        today=TODAY,
    )
    assert Modifier.THIRD_COUNTRY_ORDER in yes.modifiers
    assert "Q12" in yes.faq
    assert yes.follow_up is None
    domestic = decide(Case(state("TX"), state("TX")), reference=reference, today=TODAY)
    assert domestic.follow_up is None


def test_military_member_uses_home_state_abroad(reference):
    decision = decide(
        Case(country("MX"), state("VA"), other_parent_military=True),
        reference=reference,
        today=TODAY,
    )
    assert decision.outcome is Outcome.ABROAD_CALLER_DIRECT_APPLICATION
    assert decision.other_state.code == "VA"
    assert Modifier.OTHER_PARENT_MILITARY in decision.modifiers
    assert "Q14" in decision.faq


def test_military_member_with_unknown_home_state(reference):
    abroad = decide(Case(country("DE"), MILITARY), reference=reference, today=TODAY)
    assert abroad.outcome is Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY
    assert Modifier.OTHER_PARENT_MILITARY in abroad.modifiers
    home = decide(Case(state("TX"), MILITARY), reference=reference, today=TODAY)
    assert home.outcome is Outcome.DOMESTIC_LOCATE
    stationed = decide(
        Case(state("TX"), country("DE"), other_parent_military=True),
        reference=reference,
        today=TODAY,
    )
    assert stationed.outcome is Outcome.DOMESTIC_LOCATE


def test_military_member_caller_in_us_rows_1_to_3(reference):
    decision = decide(
        Case(state("TX"), state("GA"), other_parent_military=True),
        reference=reference,
        today=TODAY,
    )
    assert decision.outcome is Outcome.DOMESTIC_INTERSTATE
    assert Modifier.OTHER_PARENT_MILITARY in decision.modifiers


def test_hague_party_without_force_with_us_is_not_treaty(reference):
    guyana = reference.jurisdictions["GY"]
    assert guyana.hague_party
    assert not guyana.is_treaty_on(TODAY)


def test_convention_not_yet_in_force_is_not_treaty(reference):
    future = dataclasses.replace(
        reference.jurisdictions["MX"],
        hague_party=True,
        hague_in_force_with_us=TODAY + datetime.timedelta(days=1),
    )
    data = dataclasses.replace(reference, jurisdictions={**reference.jurisdictions, "MX": future})
    before = decide(Case(state("TX"), country("MX")), reference=data, today=TODAY)
    on_the_day = decide(
        Case(state("TX"), country("MX")),
        reference=data,
        today=TODAY + datetime.timedelta(days=1),
    )
    assert before.outcome is Outcome.US_CALLER_NO_ARRANGEMENT
    assert on_the_day.outcome is Outcome.US_CALLER_TREATY_COUNTRY


def test_treaty_wins_over_state_arrangement(reference):
    # Massachusetts lists Germany, but the Convention applies, so the treaty row is used.
    assert reference.has_state_arrangement("MA", "DE")
    decision = decide(Case(state("MA"), country("DE")), reference=reference, today=TODAY)
    assert decision.outcome is Outcome.US_CALLER_TREATY_COUNTRY


def test_new_state_arrangement_changes_the_answer(reference):
    data = dataclasses.replace(reference, arrangements=reference.arrangements | {("TX", "MX")})
    decision = decide(Case(country("MX"), state("TX")), reference=data, today=TODAY)
    assert decision.outcome is Outcome.ABROAD_CALLER_STATE_RECIPROCITY


def test_outside_us_names_central_authority_only_for_treaty_country(reference):
    treaty = decide(Case(country("FR"), country("MX")), reference=reference, today=TODAY)
    assert [c.kind for c in treaty.contacts] == ["hcch_central_authorities"]
    none = decide(Case(country("MX"), country("FR")), reference=reference, today=TODAY)
    assert none.contacts == ()


def test_central_authority_from_data_comes_first(reference):
    germany = dataclasses.replace(
        reference.jurisdictions["DE"],
        central_authority_name="Bundesamt für Justiz",
        central_authority_url="https://www.bundesjustizamt.de/",
        central_authority_phone="+49 228 99 410 40",
    )
    data = dataclasses.replace(reference, jurisdictions={**reference.jurisdictions, "DE": germany})
    decision = decide(Case(country("DE"), state("TX")), reference=data, today=TODAY)
    assert decision.contacts[0].kind == "central_authority"
    assert decision.contacts[0].phone == "+49 228 99 410 40"


def test_abduction_gives_state_department_numbers(reference):
    decision = decide_abduction(reference=reference, today=TODAY)
    assert decision.outcome is Outcome.CHILD_ABDUCTION
    assert decision.contacts[0].phone == "1-888-407-4747"
    assert decision.contacts[0].phone_abroad == "+1-202-501-4444"
    assert decision.faq == ("Q15",)


@pytest.mark.parametrize(
    ("caller", "other", "field"),
    [
        (US, state("TX"), "caller"),
        (DONT_KNOW, state("TX"), "caller"),
        (country("CA"), state("TX"), "caller"),
        (state("TX"), country("CA"), "other_parent"),
        (state("ZZ"), state("TX"), "caller"),
        (state("TX"), country("XX"), "other_parent"),
    ],
)
def test_undecidable_cases_name_the_field(reference, caller, other, field):
    with pytest.raises(CaseError) as raised:
        decide(Case(caller, other), reference=reference, today=TODAY)
    assert raised.value.field == field


# --- territories, unsettled treaty status, states of knowledge ------------------------------


@pytest.mark.parametrize(
    ("territory", "sovereign"),
    [
        *((code, "FR") for code in ("MQ", "GP", "RE", "GF", "YT", "MF")),
        ("AX", "FI"),
        ("IC", "ES"),
        ("GI", "GB"),
    ],
)
def test_a_territory_follows_its_sovereign(reference, territory, sovereign):
    to = decide(Case(state("TX"), country(territory)), reference=reference, today=TODAY)
    assert to.outcome is Outcome.US_CALLER_TREATY_COUNTRY
    assert to.sovereign.code == sovereign
    assert ("sovereign", sovereign) in [(fact.role, fact.code) for fact in to.facts]
    from_there = decide(Case(country(territory), state("TX")), reference=reference, today=TODAY)
    assert from_there.outcome is Outcome.ABROAD_CALLER_TREATY_COUNTRY


def test_a_territory_loses_the_treaty_with_its_sovereign(reference):
    france = dataclasses.replace(reference.jurisdictions["FR"], hague_in_force_with_us=None)
    data = dataclasses.replace(reference, jurisdictions={**reference.jurisdictions, "FR": france})
    decision = decide(Case(state("TX"), country("MQ")), reference=data, today=TODAY)
    assert decision.outcome is Outcome.US_CALLER_NO_ARRANGEMENT


@pytest.mark.parametrize(
    ("code", "own_date"),
    [("BW", "2023-11-16"), ("CV", "2025-01-12"), ("DO", "2025-03-23")],
)
def test_recent_parties_without_an_established_us_relation_are_not_a_settled_no(
    reference, code, own_date
):
    row = reference.jurisdictions[code]
    assert row.hague_in_force_for_country == datetime.date.fromisoformat(own_date)
    decision = decide(Case(state("TX"), country(code)), reference=reference, today=TODAY)
    assert decision.outcome is Outcome.US_CALLER_NO_ARRANGEMENT
    assert decision.hague_with_us_unknown
    assert "ocss_irg" in [contact.kind for contact in decision.contacts]


def test_corrected_dates_and_objections(reference):
    jurisdictions = reference.jurisdictions
    assert jurisdictions["NZ"].hague_in_force_with_us == datetime.date(2021, 11, 1)
    assert jurisdictions["GE"].hague_in_force_for_country == datetime.date(2024, 9, 1)
    assert jurisdictions["GY"].hague_us_objection == datetime.date(2020, 3, 5)
    assert jurisdictions["AZ"].hague_us_objection == datetime.date(2024, 2, 27)
    for code in ("GY", "AZ"):
        decision = decide(Case(state("TX"), country(code)), reference=reference, today=TODAY)
        assert not decision.hague_with_us_unknown


def test_every_row_behind_an_answer_is_listed_with_its_knowledge(reference):
    decision = decide(Case(state("TX"), country("MX")), reference=reference, today=TODAY)
    facts = {(fact.role, fact.code): fact.knowledge for fact in decision.facts}
    assert facts == {
        ("caller_state", "TX"): Knowledge.SOURCED_UNVERIFIED,
        ("other_parent_jurisdiction", "MX"): Knowledge.UNRESEARCHED,
        ("contact", "ocss_irg"): Knowledge.SOURCED_UNVERIFIED,
        ("contact", "state_department_foreign_attorney"): Knowledge.SOURCED_UNVERIFIED,
    }
    assert decision.unconfirmed


@pytest.mark.parametrize(
    ("case", "outcome"),
    [
        (Case(state("TX"), country("MX")), Outcome.US_CALLER_NO_ARRANGEMENT),
        (Case(country("MX"), state("TX")), Outcome.ABROAD_CALLER_DIRECT_APPLICATION),
    ],
)
def test_no_arrangement_is_confirmed_once_the_rows_it_rests_on_are_verified(
    reference, case, outcome
):
    """There is no arrangement row to verify: the state's and the country's rows say it."""
    decision = decide(case, reference=all_verified(reference, on=TODAY), today=TODAY)
    assert decision.outcome is outcome
    assert not decision.unconfirmed
    assert "state_arrangement" not in {fact.role for fact in decision.facts}


def test_a_verification_counts_for_the_stale_days_counted_from_the_day_decided(reference):
    data = dataclasses.replace(all_verified(reference, on=TODAY), stale_days=365)
    case = Case(state("NY"), country("CA-QC"))
    fresh = decide(case, reference=data, today=TODAY + datetime.timedelta(days=365))
    stale = decide(case, reference=data, today=TODAY + datetime.timedelta(days=366))
    assert {fact.knowledge for fact in fresh.facts} == {Knowledge.VERIFIED}
    assert not fresh.unconfirmed
    assert {fact.knowledge for fact in stale.facts} == {Knowledge.SOURCED_UNVERIFIED}
    assert stale.unconfirmed
    shorter = dataclasses.replace(data, stale_days=30)
    assert decide(case, reference=shorter, today=TODAY + datetime.timedelta(days=31)).unconfirmed


def test_an_unresearched_row_stays_unresearched_when_its_verification_is_stale():
    stamp = Provenance(verified_by="ana", verified_on=TODAY)
    later = TODAY + datetime.timedelta(days=400)
    assert stamp.knowledge_on(TODAY, stale_days=365) is Knowledge.VERIFIED
    assert stamp.knowledge_on(later, stale_days=365) is Knowledge.UNRESEARCHED
    assert Provenance().knowledge_on(TODAY, stale_days=365) is Knowledge.UNRESEARCHED


def test_abduction_uses_the_state_department_row_as_staff_keep_it(reference):
    edited = dataclasses.replace(
        reference.contacts["state_department_abduction"], phone="1-888-000-0000"
    )
    data = dataclasses.replace(
        reference, contacts={**reference.contacts, "state_department_abduction": edited}
    )
    decision = decide_abduction(reference=data, today=TODAY)
    assert decision.contacts[0].phone == "1-888-000-0000"
    assert [(fact.role, fact.code) for fact in decision.facts] == [
        ("contact", "state_department_abduction")
    ]


def test_abduction_cites_the_agency_map_as_staff_keep_it(reference):
    """Built like every other decision, so messages need no defaults of their own."""
    edited = dataclasses.replace(
        reference.contacts["ocss_agency_map"], url="https://example.org/map"
    )
    data = dataclasses.replace(
        reference, contacts={**reference.contacts, "ocss_agency_map": edited}
    )
    decision = decide_abduction(reference=data, today=TODAY)
    assert decision.reference("ocss_agency_map") == edited
    assert decision.faq == ("Q15",)
