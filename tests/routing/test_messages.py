"""Caller-facing guidance: within Twilio's limit, naming the agency, in both languages."""

import dataclasses
import datetime

import pytest

from routing.engine import (
    AGENCY_OUTCOMES,
    Case,
    FollowUp,
    Outcome,
    decide,
    decide_abduction,
)
from routing.messages import MAX_TEXT_LENGTH, guidance_brief, guidance_message, text_render
from routing.reference import Place, PlaceKind
from routing.seed import reference_data_from_files
from tests.reference_helpers import all_verified

TODAY = datetime.date(2026, 11, 24)
LANGUAGES = ("en", "es")
US = Place(PlaceKind.US_UNKNOWN, "US")


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


def _all_decisions(reference):
    """Every outcome with every state and every jurisdiction on the side that varies."""
    states = [Place.us_state(code) for code in reference.states]
    countries = [
        Place.foreign(code)
        for code in reference.jurisdictions
        if not reference.subdivisions_of(code)
    ]
    flags = {"other_parent_military": True, "third_country_order": True}
    for state in states:
        yield decide(Case(state, state), reference=reference, today=TODAY)
        yield decide(Case(state, Place.us_state("WY")), reference=reference, today=TODAY)
        yield decide(Case(state, US, other_parent_military=True), reference=reference, today=TODAY)
        for country in (Place.foreign("DE"), Place.foreign("MX"), Place.foreign("CA-QC")):
            yield decide(Case(state, country), reference=reference, today=TODAY)
            yield decide(Case(state, country, us_ties=True), reference=reference, today=TODAY)
            yield decide(Case(country, state, **flags), reference=reference, today=TODAY)
    for country in countries:
        for state in (Place.us_state("TX"), Place.us_state("LA")):
            yield decide(Case(state, country), reference=reference, today=TODAY)
            yield decide(Case(country, state, **flags), reference=reference, today=TODAY)
        yield decide(Case(country, US, **flags), reference=reference, today=TODAY)
        yield decide(Case(country, Place.foreign("FR")), reference=reference, today=TODAY)
    yield decide_abduction(reference=reference, today=TODAY)


def test_every_message_fits_one_twilio_body_and_names_the_agency(reference):
    seen_outcomes = set()
    problems = []
    for decision in _all_decisions(reference):
        seen_outcomes.add(decision.outcome)
        for language in LANGUAGES:
            text = guidance_message(decision, language=language)
            if not text or len(text) > MAX_TEXT_LENGTH:
                problems.append((decision.outcome, language, len(text)))
            state = decision.agency_state
            if state and state.agency_display_name(language) not in text:
                problems.append((decision.outcome, language, "agency name missing"))
            abroad = decision.jurisdiction is not None and state and state.agency_phone_abroad
            phone = state.agency_phone_abroad if abroad else state and state.agency_phone
            if state and state.agency_phone and phone not in text:
                problems.append((decision.outcome, language, "agency phone missing"))
            if state and not state.agency_phone and "acf.hhs.gov/css/map" not in text:
                problems.append((decision.outcome, language, "no phone and no OCSS map"))
            if "{" in text or "%(" in text:
                problems.append((decision.outcome, language, "unfilled placeholder"))
    # A request for a person gets the flow's own handoff answer, no guidance.
    assert seen_outcomes == set(Outcome) - {Outcome.HANDOFF_REQUESTED}
    assert problems == []


def test_spanish_differs_from_english_for_every_outcome(reference):
    cases = [
        decide(Case(Place.us_state("TX"), other), reference=reference, today=TODAY)
        for other in (Place.us_state("TX"), Place.foreign("DE"), Place.foreign("MX"))
    ]
    cases.append(decide_abduction(reference=reference, today=TODAY))
    for decision in cases:
        english = guidance_message(decision, language="en")
        spanish = guidance_message(decision, language="es")
        assert english != spanish
        assert "agencia" in spanish or "Departamento de Estado" in spanish


def test_spanish_uses_spanish_place_names(reference):
    decision = decide(
        Case(Place.us_state("NY"), Place.foreign("DE")), reference=reference, today=TODAY
    )
    spanish = guidance_message(decision, language="es")
    assert "Nueva York" in spanish
    assert "Alemania" in spanish
    assert "New York" not in spanish.split("\n\n")[0]


def test_abduction_message_gives_both_state_department_numbers(reference):
    decision = decide_abduction(reference=reference, today=TODAY)
    for language in LANGUAGES:
        text = guidance_message(decision, language=language)
        assert "1-888-407-4747" in text
        assert "+1-202-501-4444" in text


def test_modifiers_add_their_sentences(reference):
    plain = decide(
        Case(Place.foreign("MX"), Place.us_state("TX"), third_country_order=False),
        reference=reference,
        today=TODAY,
    )
    flagged = decide(
        Case(
            Place.foreign("MX"),
            Place.us_state("TX"),
            other_parent_military=True,
            third_country_order=True,
        ),
        reference=reference,
        today=TODAY,
    )
    plain_text = guidance_message(plain, language="en")
    flagged_text = guidance_message(flagged, language="en")
    assert "citizen" in plain_text
    assert "military" not in plain_text
    assert "third country" not in plain_text
    assert "military" in flagged_text
    assert "third country" in flagged_text


def test_message_follows_a_staff_edit_of_the_agency(reference):
    texas = dataclasses.replace(
        reference.states["TX"], agency_name="Texas OAG Child Support", agency_phone="1-800-000-0000"
    )
    data = dataclasses.replace(reference, states={**reference.states, "TX": texas})
    decision = decide(Case(Place.us_state("TX"), Place.us_state("TX")), reference=data, today=TODAY)
    text = guidance_message(decision, language="en")
    assert "Texas OAG Child Support: call 1-800-000-0000" in text


CAVEAT = {"en": "Not yet confirmed by our staff", "es": "Aún sin confirmar"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_answer_on_unverified_rows_says_to_confirm_and_gives_the_map(reference, language):
    for case in (
        Case(Place.us_state("TX"), Place.us_state("TX")),
        Case(Place.us_state("TX"), Place.foreign("MQ")),
        Case(Place.foreign("MX"), Place.us_state("CA")),
    ):
        text = guidance_message(decide(case, reference=reference, today=TODAY), language=language)
        assert CAVEAT[language] in text
        assert "acf.hhs.gov/css/map" in text
    verified = all_verified(reference, on=TODAY)
    for case in (Case(Place.us_state("TX"), Place.us_state("TX")),):
        text = guidance_message(decide(case, reference=verified, today=TODAY), language=language)
        assert CAVEAT[language] not in text
    later = TODAY + datetime.timedelta(days=verified.stale_days + 1)
    text = guidance_message(
        decide(Case(Place.us_state("TX"), Place.us_state("TX")), reference=verified, today=later),
        language=language,
    )
    assert CAVEAT[language] in text


def test_an_emergency_answer_has_no_caveat(reference):
    for language in LANGUAGES:
        text = guidance_message(
            decide_abduction(reference=reference, today=TODAY), language=language
        )
        assert CAVEAT[language] not in text


def test_where_a_state_arrangement_might_exist_the_caller_is_sent_to_the_irg(reference):
    for case in (
        Case(Place.us_state("TX"), Place.foreign("CA-QC")),
        Case(Place.us_state("TX"), Place.foreign("MX")),
        Case(Place.foreign("MX"), Place.us_state("TX")),
    ):
        decision = decide(case, reference=reference, today=TODAY)
        english = guidance_message(decision, language="en")
        assert "Intergovernmental Reference Guide" in english
        assert "ocsp.acf.hhs.gov/irg" in english
        assert "usually cannot" not in english
        spanish = guidance_message(decision, language="es")
        assert "Guía de Referencia Intergubernamental" in spanish


def test_spanish_names_keep_their_article(reference):
    decision = decide(
        Case(Place.us_state("TX"), Place.foreign("DO")), reference=reference, today=TODAY
    )
    text = guidance_message(decision, language="es")
    assert "cuenta con la adhesión de la República Dominicana" in text
    assert "en la República Dominicana" in text


def test_an_agency_number_for_callers_abroad(reference):
    abroad = decide(
        Case(Place.foreign("MX"), Place.us_state("CA")), reference=reference, today=TODAY
    )
    at_home = decide(
        Case(Place.us_state("CA"), Place.us_state("CA")), reference=reference, today=TODAY
    )
    assert "+1-408-273-0073" in guidance_message(abroad, language="en")
    assert "1-866-901-3212" in guidance_message(at_home, language="en")
    assert "408-273-0073" not in guidance_message(at_home, language="en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_military_names_one_agency_to_work_with(reference, language):
    """A caller in Virginia whose ex serves with North Carolina as home state: Virginia's
    agency is the one to work with; North Carolina is explained, never named as that agency."""
    case = Case(Place.us_state("VA"), Place.us_state("NC"), other_parent_military=True)
    text = guidance_message(decide(case, reference=reference, today=TODAY), language=language)
    virginia_phone = reference.states["VA"].agency_phone
    assert virginia_phone in text
    assert reference.states["NC"].agency_phone not in text
    the_one = {"en": "agency to work with is", "es": "la agencia que corresponde es"}[language]
    assert the_one not in text
    assert "North Carolina" in text or "Carolina del Norte" in text


#: The GSM 03.38 basic character set, and its extension table (two septets each).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€")
MAX_SEGMENTS = 4


def sms_segments(text: str) -> int:
    """How many SMS segments a text costs: GSM-7 (160, or 153 per part) when every character
    is in the GSM table, else UCS-2 (70, or 67 per part)."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        units = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        single, part = 160, 153
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, part = 70, 67
    return 1 if units <= single else -(-units // part)


def test_segments_are_counted_in_both_encodings():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("€" * 80) == 1
    assert sms_segments("€" * 81) == 2
    assert sms_segments("á" * 70) == 1
    assert sms_segments("á" * 268) == 4
    assert sms_segments("á" * 269) == 5


def _texted_outcome(decision, language: str) -> str:
    """The message a texter gets with the outcome: the brief answer and the line after it
    (the us-ties question where the outcome asks it, else the closing line)."""
    after = "follow_up_us_ties" if decision.follow_up is FollowUp.US_TIES else "after_outcome"
    closing = text_render(f"flow/{after}.txt", {"voice": False}, language=language)
    return f"{guidance_brief(decision, language=language)}\n\n{closing}"


def test_every_texted_outcome_fits_four_segments_in_both_languages(reference):
    """Every state and jurisdiction, with and without the modifiers, on the rows as they are
    (mostly unverified) and as if every row were verified."""
    worst: dict[str, int] = {}
    problems = []
    measured = 0
    for data in (reference, all_verified(reference, on=TODAY)):
        for decision in _all_decisions(data):
            measured += 1
            for language in LANGUAGES:
                segments = sms_segments(_texted_outcome(decision, language))
                worst[language] = max(worst.get(language, 0), segments)
                if segments > MAX_SEGMENTS:
                    problems.append((decision.outcome, language, segments))
    assert measured > 4000
    assert problems == []
    assert worst["es"] <= MAX_SEGMENTS


def test_the_brief_names_the_agency_and_its_phone_in_both_languages(reference):
    problems = []
    for decision in _all_decisions(reference):
        state = decision.agency_state
        if state is None or decision.outcome not in AGENCY_OUTCOMES:
            continue
        abroad = decision.jurisdiction is not None and state.agency_phone_abroad
        phone = state.agency_phone_abroad if abroad else state.agency_phone
        for language in LANGUAGES:
            brief = guidance_brief(decision, language=language)
            if state.agency_display_name(language) not in brief:
                problems.append((decision.outcome, state.code, language, "agency name"))
            if phone and phone not in brief:
                problems.append((decision.outcome, state.code, language, "phone"))
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_brief_says_when_it_rests_on_unconfirmed_rows(reference, language):
    words = {"en": "Not yet confirmed.", "es": "Aún sin confirmar."}[language]
    case = Case(Place.us_state("TX"), Place.us_state("TX"))
    unverified = decide(case, reference=reference, today=TODAY)
    verified = decide(case, reference=all_verified(reference, on=TODAY), today=TODAY)
    assert words in guidance_brief(unverified, language=language)
    assert words not in guidance_brief(verified, language=language)


def test_the_brief_gives_the_state_department_numbers_for_an_abduction(reference):
    decision = decide_abduction(reference=reference, today=TODAY)
    for language in LANGUAGES:
        brief = guidance_brief(decision, language=language)
        assert "1-888-407-4747" in brief
        assert "+1-202-501-4444" in brief


def test_a_central_authority_phone_staff_add_is_in_the_brief(reference):
    germany = dataclasses.replace(
        reference.jurisdictions["DE"],
        central_authority_name="Bundesamt für Justiz",
        central_authority_phone="+49 228 99 410 40",
    )
    data = dataclasses.replace(reference, jurisdictions={**reference.jurisdictions, "DE": germany})
    decision = decide(Case(Place.foreign("DE"), Place.us_state("TX")), reference=data, today=TODAY)
    for language in LANGUAGES:
        assert "Bundesamt für Justiz: +49 228 99 410 40" in guidance_brief(
            decision, language=language
        )


def test_spanish_answers_use_the_spanish_agency_name_or_else_the_english_one(reference):
    case = Case(Place.us_state("TX"), Place.us_state("TX"))
    decision = decide(case, reference=reference, today=TODAY)
    for render in (guidance_message, guidance_brief):
        spanish = render(decision, language="es")
        assert "Programa de manutención infantil de Texas" in spanish
        assert "Texas child support program" not in spanish
        assert "Texas child support program" in render(decision, language="en")
    unnamed = dataclasses.replace(reference.states["TX"], agency_name_es="")
    data = dataclasses.replace(reference, states={**reference.states, "TX": unnamed})
    fallback = decide(case, reference=data, today=TODAY)
    assert "Texas child support program" in guidance_brief(fallback, language="es")


def test_spanish_joins_de_and_el_and_leaves_el_salvador_alone(reference):
    for code, expected in (("GB", "del Reino Unido"), ("SV", "de El Salvador")):
        decision = decide(
            Case(Place.foreign(code), Place.foreign("FR")), reference=reference, today=TODAY
        )
        text = guidance_message(decision, language="es")
        assert expected in text
        assert "de el " not in text


def test_spanish_place_names_take_the_article_a_sentence_needs(reference):
    def name(code: str) -> str:
        return reference.jurisdictions[code].name_in_sentence("es")

    assert name("NL") == "los Países Bajos"
    assert name("HM") == "la Isla Heard e Islas McDonald"
    assert name("IO") == "el Territorio Británico del Océano Índico"
    assert name("SV") == "El Salvador"
    assert name("DE") == "Alemania"
    assert reference.states["VI"].name_in_sentence("es").startswith("las Islas Vírgenes")
    assert reference.states["TX"].name_in_sentence("es") == "Texas"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("GB", "the United Kingdom"), ("DO", "the Dominican Republic"), ("NL", "the Netherlands")],
)
def test_english_names_take_the_article_a_sentence_needs(reference, code, expected):
    """ "Central Authority of United Kingdom" read as a translation; English says "the"."""
    decision = decide(
        Case(Place.us_state("TX"), Place.foreign(code)), reference=reference, today=TODAY
    )
    full = guidance_message(decision, language="en")
    assert expected in full or f"T{expected[1:]}" in full
    bare = expected.removeprefix("the ")
    assert f"of {bare}" not in full
    assert f"with {bare}" not in full
    assert f"in {bare}" not in full


def test_english_names_without_an_article_stay_bare(reference):
    decision = decide(
        Case(Place.us_state("TX"), Place.foreign("DE")), reference=reference, today=TODAY
    )
    full = guidance_message(decision, language="en")
    assert "the Germany" not in full.casefold()
