"""``understand``: how each place was found, flags, suggestions, and input that must not break it.

The corpus (``test_understanding_corpus.py``) checks what is read; these check the details the
flow relies on: the source that decides a read-back, the city named for a choice, the cut-offs.
"""

import random

import pytest

from routing import places
from routing.places import Ambiguous, Recognized
from routing.reference import Place, PlaceKind
from routing.seed import reference_data_from_files
from routing.understanding import (
    MAX_TEXT_LENGTH,
    Intent,
    PlaceReading,
    Source,
    Understanding,
    understand,
)
from tests.hostile_texts import HOSTILE_TEXTS


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


def _read(text, reference):
    return understand(text, reference=reference)


@pytest.mark.parametrize(
    ("text", "role", "code", "source"),
    [
        ("Texas", "place", "US-TX", Source.EXACT),
        ("in Texas please", "place", "US-TX", Source.EXACT),
        ("I think Ohio", "place", "US-OH", Source.EXACT),
        ("TX", "place", "US-TX", Source.EXACT),
        ("hi", "place", "US-HI", Source.WORD),
        ("OH", "place", "US-OH", Source.WORD),
        ("or", "place", "US-OR", Source.WORD),
        ("I live in Texas", "caller", "US-TX", Source.SENTENCE),
        ("from Texas", "caller", "US-TX", Source.SENTENCE),
        ("Chicago", "place", "US-IL", Source.CITY),
        ("my ex lives in Guadalajara, Mexico", "other_parent", "MX", Source.CITY),
        ("Texsa", "place", "US-TX", Source.TYPO),
        ("vivo en Californa", "caller", "US-CA", Source.TYPO),
        ("🇲🇽", "place", "MX", Source.FLAG),
        ("el papá vive en 🇬🇹", "other_parent", "GT", Source.FLAG),
    ],
)
def test_source_says_how_the_place_was_found(reference, text, role, code, source):
    reading = getattr(_read(text, reference), role)
    assert reading is not None
    assert reading.recognition == Recognized(
        Place.foreign(code) if "-" not in code else Place(PlaceKind.US_STATE, code)
    )
    assert reading.source is source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Texas", Source.EXACT),
        ("Texsa", Source.TYPO),
        ("Chicago", Source.CITY),
        ("hi", Source.WORD),
    ],
)
def test_the_recognizer_says_how_in_the_same_words(reference, text, source):
    """One idea, one enum: what ``read_place`` says is what ``understand`` passes on."""
    assert places.read_place(text, reference=reference).source is source


def test_least_certain_source_wins(reference):
    reading = _read("I live in Houston, Texas", reference).caller
    assert reading == PlaceReading(Recognized(Place.us_state("TX")), Source.CITY, "Houston")


def test_an_ambiguous_city_names_the_city_for_the_choice(reference):
    reading = _read("my ex lives in Portland", reference).other_parent
    assert reading == PlaceReading(
        Ambiguous((Place.us_state("OR"), Place.us_state("ME"))), Source.CITY, "Portland"
    )


def test_canada_flag_asks_the_province(reference):
    reading = _read("🇨🇦", reference).place
    assert isinstance(reading.recognition, Ambiguous)
    assert reading.recognition.needs_subdivision
    assert reading.source is Source.FLAG


def test_us_flag_is_the_us_with_the_state_to_ask(reference):
    reading = _read("I live in 🇺🇸", reference).caller
    assert reading.recognition == Recognized(Place(PlaceKind.US_UNKNOWN, "US"))


@pytest.mark.parametrize("text", ["🇪🇺", "🇦🇦", "vivo en 🇿🇿"])
def test_a_flag_of_no_known_place_is_no_place(reference, text):
    understanding = _read(text, reference)
    assert understanding.caller is understanding.other_parent is understanding.place is None


def test_both_parents_and_an_intent_in_one_message(reference):
    understanding = _read(
        "I live in texas and my ex took the kids to Spain and won't bring them back", reference
    )
    assert understanding.caller.recognition == Recognized(Place.us_state("TX"))
    assert understanding.other_parent.recognition == Recognized(Place.foreign("ES"))
    assert understanding.place is None
    assert understanding.intents == {Intent.ABDUCTION}
    assert understanding.language == "en"


def test_nothing_recognised_offers_only_close_names(reference):
    understanding = _read("Smallville Texsass", reference)
    assert understanding.caller is understanding.other_parent is understanding.place is None
    assert understanding.suggestions == (Place.us_state("TX"),)


def test_suggestions_are_looked_for_once(reference, monkeypatch):
    """Reading the message whole finds no place; its own suggestions would be thrown away."""
    looked = []
    suggestions = places._suggestions

    def counted(queries, index):
        looked.append(list(queries))
        return suggestions(looked[-1], index)

    monkeypatch.setattr(places, "_suggestions", counted)
    assert _read("Smallville Texsass", reference).suggestions == (Place.us_state("TX"),)
    assert len(looked) == 1


@pytest.mark.parametrize(
    "text", ["talk to a person", "hablar con una persona", "necesito ayuda", "hello", "ok"]
)
def test_no_suggestions_for_words_that_are_not_places(reference, text):
    assert _read(text, reference).suggestions == ()


@pytest.mark.parametrize("text", ["Texas", "1", "ok", "🇲🇽", "", "Houston", "US-TX"])
def test_short_neutral_messages_have_no_language(reference, text):
    assert _read(text, reference).language is None


@pytest.mark.parametrize(
    "text", ["necesito child support", "no paga child support", "ayuda con el child support"]
)
def test_child_support_in_a_spanish_text_keeps_it_spanish(reference, text):
    """Spanish texts use the English term as it is; only the other words say the language."""
    assert _read(text, reference).language == "es"


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_input_never_raises(reference, text):
    assert isinstance(_read(text, reference), Understanding)


def test_random_text_never_raises(reference):
    alphabet = "aeiouáéñüTXdcs .,'-\u200f\x00😀🇲🇽日\u0301\nenminytolive"
    generator = random.Random(20261204)
    for _ in range(500):
        text = "".join(generator.choices(alphabet, k=generator.randint(0, 80)))
        assert isinstance(_read(text, reference), Understanding)


def test_only_the_start_of_a_long_text_is_read(reference):
    text = "a" * MAX_TEXT_LENGTH + " I live in Texas"
    assert _read(text, reference).caller is None
