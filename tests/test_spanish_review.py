"""A reviewer's read of everything a Spanish-speaking caller reads or hears.

Renders every flow prompt (text and voice, with representative places) and every outcome,
brief and full, over all combinations of places, and fails on wording a careful Spanish
editor would send back: calques, "su número" (read as "your phone number"), "el otro padre"
for a mother, a welcome only for men, English agency names, a place name without the article
Spanish needs, a capitalised article in mid-sentence, "de el" not joined, and a plural place
with a singular verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cases.flow import Prompt
from cases.prompts import prompt_render
from routing.messages import guidance_brief, guidance_message
from routing.reference import SPANISH_ARTICLES
from routing.seed import reference_data_from_files
from tests.reference_helpers import all_verified
from tests.routing.test_messages import TODAY, _all_decisions

FLOW_DIR = Path(__file__).resolve().parent.parent / "templates" / "flow"

#: Places that show the articles: a plural, a feminine, "el" joined to "de", a U.S. territory.
PLACE_KEYS = ("foreign:NL", "foreign:DO", "foreign:GB", "foreign:AX", "us_state:VI", "foreign:DE")

PATTERNS = {
    "calque 'ayuda con + infinitive'": re.compile(r"\bayuda con [a-záéíóúñ]+(?:ar|er|ir)\b"),
    "calque 'Empiece con'": re.compile(r"\b[Ee]mpiece con\b"),
    "calque 'ella envía' for an office": re.compile(r"\bella env[ií]a\b"),
    "'su número:' reads as a phone number": re.compile(r"\bsu número:"),
    "'el otro padre' is wrong for a mother": re.compile(r"\b(?:el|al|del) otro padre\b"),
    "a welcome only for men": re.compile(r"\bBienvenid[oa]s?\b"),
    "an English agency name": re.compile(r"(?i)\bchild support\b|\bprogram\b|\bDepartment of\b"),
    "'de el' / 'a el' not joined": re.compile(r"\b(?:[dD]e|[aA]) el "),
    "a capitalised article mid-sentence": re.compile(
        r"(?<=[\wáéíóúñ,;] )(?:El|La|Los|Las) (?!Salvador\b|Haya\b)"
    ),
    "a lower-case article opening a sentence": re.compile(
        r"(?:^|[.?!]\s+)(?:el|la|los|las) [A-ZÁÉÍÓÚÅ]", re.MULTILINE
    ),
}

URL = re.compile(r"https?://\S+")

#: Singular verbs that would follow a place as the subject of a sentence.
SINGULAR_VERBS = r"(?:colabora|tiene|se ha adherido|puede|aplica|trabaja)\b"


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


def _flow_prompts(reference) -> Iterator[tuple[str, str]]:
    for template in sorted(FLOW_DIR.glob("*.txt")):
        for place in PLACE_KEYS:
            params = {
                "place": place,
                "country": place,
                "candidates": ("us_state:GA", "foreign:GE", "foreign:NL"),
                "subdivision": False,
                "agency": reference.states["TX"].agency_display_name("es"),
                "caller": "us_state:US-TX",
                "other_parent": place,
                "city": "Portland",
            }
            for voice, military in ((False, False), (True, False), (False, True)):
                shown = Prompt(template.stem, {**params, "military": military})
                text = prompt_render(shown, language="es", voice=voice, reference=reference)
                yield f"flow/{template.name} voice={voice} military={military} {place}", text


def _outcomes(reference) -> Iterator[tuple[str, str]]:
    for data in (reference, all_verified(reference, on=TODAY)):
        for decision in _all_decisions(data):
            places = (decision.state, decision.other_state, decision.jurisdiction)
            codes = " ".join(place.code for place in places if place is not None)
            label = f"{decision.outcome.value} {codes}"
            yield f"brief {label}", guidance_brief(decision, language="es")
            yield f"full {label}", guidance_message(decision, language="es")


def _article_patterns(reference) -> list[re.Pattern]:
    """ "con Países Bajos", "de Islas Åland": a name that needs its article, used without it."""
    names = [j.name_in_sentence("es") for j in reference.jurisdictions.values()]
    names += [s.name_in_sentence("es") for s in reference.states.values()]
    patterns = []
    for name in names:
        article, _, bare = name.partition(" ")
        if article in SPANISH_ARTICLES and bare:
            patterns.append(re.compile(rf"\b(?:con|de|en|a|y) {re.escape(bare)}\b"))
    return patterns


def _agreement_patterns(reference) -> list[re.Pattern]:
    """ "Las Islas Åland (Finlandia) colabora": a plural place with a singular verb."""
    plurals = [
        j.name_in_sentence("es").split(" ", 1)[1]
        for j in reference.jurisdictions.values()
        if j.name_in_sentence("es").split(" ", 1)[0] in ("los", "las")
    ]
    return [re.compile(rf"{re.escape(name)}(?: \([^)]*\))? {SINGULAR_VERBS}") for name in plurals]


def test_spanish_wording_passes_review(reference):
    texts = [*_flow_prompts(reference), *_outcomes(reference)]
    assert len(texts) > 8000
    checks = list(PATTERNS.items())
    checks += [("a place without its article", p) for p in _article_patterns(reference)]
    checks += [("a plural place with a singular verb", p) for p in _agreement_patterns(reference)]
    problems: dict[str, tuple[str, str]] = {}
    for label, text in texts:
        text = URL.sub("<url>", text)
        for problem, pattern in checks:
            match = pattern.search(text)
            if match and problem not in problems:
                problems[problem] = (label, text[max(0, match.start() - 40) : match.end() + 40])
    assert problems == {}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Para ayuda con establecer la manutención", "calque 'ayuda con + infinitive'"),
        ("Empiece con la agencia de Texas.", "calque 'Empiece con'"),
        ("Responda con su número:", "'su número:' reads as a phone number"),
        ("¿Dónde vive el otro padre?", "'el otro padre' is wrong for a mother"),
        ("Bienvenido a la línea.", "a welcome only for men"),
        ("Texas child support program: llame al 1-800", "an English agency name"),
        ("la Autoridad Central de el Reino Unido", "'de el' / 'a el' not joined"),
        ("la Autoridad Central de Las Islas Åland", "a capitalised article mid-sentence"),
        ("Gracias. las Islas Åland colaboran.", "a lower-case article opening a sentence"),
    ],
)
def test_each_pattern_catches_what_it_names(text, problem):
    assert PATTERNS[problem].search(text)


def test_the_article_and_agreement_checks_catch_their_mistakes(reference):
    articles = _article_patterns(reference)
    assert any(p.search("un acuerdo con República Dominicana") for p in articles)
    assert any(p.search("la agencia de Reino Unido") for p in articles)
    assert not any(p.search("un acuerdo con la República Dominicana") for p in articles)
    agreement = _agreement_patterns(reference)
    assert any(p.search("Las Islas Åland (Finlandia) colabora con EE. UU.") for p in agreement)
    assert not any(p.search("las Islas Åland (Finlandia) colaboran") for p in agreement)
