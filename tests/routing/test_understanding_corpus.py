"""The corpus of real-style messages (``data/understanding_corpus.csv``) read by ``understand``.

Each row is a message as parents text or a speech result gives it, with the reading a person
would make: the caller's place, the other parent's, a place with no cue, intents and language.
A reading that names a wrong place, or puts a place in the wrong role, is worse than none; a
message not understood is asked again, so it only lowers the rate.
"""

import pytest

from routing.places import Ambiguous, Recognized
from routing.seed import reference_data_from_files
from routing.understanding import PlaceReading, understand
from tests.corpus import corpus_rows

ROLES = ("caller", "other", "place")
MIN_MESSAGES = 300
MIN_LANGUAGE_TEXTS = 200
MIN_EXACT_RATE = 0.98
MIN_LANGUAGE_RATE = 0.98


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


@pytest.fixture(scope="module")
def corpus():
    return corpus_rows()


def _codes(reading: PlaceReading | None) -> frozenset[str]:
    """A reading as the corpus writes it: ``US-TX``, ``US``, ``dont_know``, ``CA`` (province
    to ask), or several codes for a choice."""
    if reading is None:
        return frozenset()
    recognition = reading.recognition
    if isinstance(recognition, Recognized):
        return frozenset({recognition.place.code or recognition.place.kind.value})
    assert isinstance(recognition, Ambiguous)
    if recognition.needs_subdivision:
        return frozenset({recognition.candidates[0].code.split("-")[0]})
    return frozenset(place.code for place in recognition.candidates)


def _reading(row, reference):
    understanding = understand(row["text"], reference=reference)
    return understanding, {
        "caller": _codes(understanding.caller),
        "other": _codes(understanding.other_parent),
        "place": _codes(understanding.place),
    }


def _expected(row):
    return {role: frozenset(filter(None, row[role].split("|"))) for role in ROLES}


def test_corpus_is_large_and_varied(corpus):
    assert len(corpus) >= MIN_MESSAGES
    assert sum(row["language"] == "es" for row in corpus) >= 100
    assert sum(bool(row["caller"]) and bool(row["other"]) for row in corpus) >= 50


def test_corpus_readings(corpus, reference):
    understand("Texas", reference=reference)
    exact, wrong, missed = 0, [], []
    for row in corpus:
        understanding, got = _reading(row, reference)
        expected = _expected(row)
        intents = {intent.value for intent in understanding.intents}
        for role in ROLES:
            if got[role] and got[role] != expected[role]:
                wrong.append((row["text"], role, sorted(got[role]), sorted(expected[role])))
        same = got == expected and intents == set(filter(None, row["intents"].split("|")))
        exact += same
        if not same:
            missed.append((row["text"], got, intents))
    rate = exact / len(corpus)
    print(
        f"\ncorpus: {len(corpus)} messages, {exact} read exactly ({rate:.1%}), "
        f"{len(wrong)} wrong places or roles"
    )
    for text, got, intents in missed:
        print(f"  not as expected: {text!r}: {dict(got)} {sorted(intents)}")
    assert wrong == []
    assert rate >= MIN_EXACT_RATE


def test_language_is_detected(corpus, reference):
    texts = [row for row in corpus if row["language"] in ("en", "es")]
    right = 0
    misses = []
    for row in corpus:
        language = understand(row["text"], reference=reference).language
        if language == (row["language"] or None):
            right += row["language"] in ("en", "es")
        elif row["language"]:
            misses.append((row["text"], language, row["language"]))
        else:
            misses.append((row["text"], language, None))
    rate = right / len(texts)
    print(f"\nlanguage: {len(texts)} English or Spanish texts, {rate:.1%} right; misses {misses}")
    assert len(texts) >= MIN_LANGUAGE_TEXTS
    assert rate >= MIN_LANGUAGE_RATE
    assert [miss for miss in misses if miss[2] is None] == []
