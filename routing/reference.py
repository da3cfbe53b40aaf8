"""Plain, immutable views of the reciprocity data that the pure core works on.

The decision engine and the place recognizer take a ``ReferenceData`` instead of querying the
database, so they stay pure; ``routing.selectors.reference_data_get`` gives one built from the
current rows (reused by a process until a staff edit changes the rows, so an edit reaches the
very next caller). One snapshot serves many requests at once, so nothing may change it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from routing import federal
from routing.federal import Contact


class Knowledge(StrEnum):
    """How far a row's facts can be trusted, as callers and staff are told."""

    VERIFIED = "verified"
    SOURCED_UNVERIFIED = "sourced_unverified"
    UNRESEARCHED = "unresearched"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a row's facts come from, as of when, and who confirmed them on which day."""

    source: str = ""
    source_date: datetime.date | None = None
    researched: bool = False
    verified_by: str = ""
    verified_on: datetime.date | None = None

    @classmethod
    def from_columns(
        cls,
        source: str,
        source_date: datetime.date | None,
        researched: bool,
        verified_by: str | None = "",
        verified_at: datetime.datetime | None = None,
    ) -> Provenance:
        """From a row's stored columns: who verified it by name (none: ""), and on which day."""
        verified_on = verified_at.date() if verified_at else None
        return cls(source, source_date, researched, verified_by or "", verified_on)

    def knowledge_on(self, day: datetime.date, *, stale_days: int) -> Knowledge:
        """Verified only while the confirmation is at most ``stale_days`` old on ``day``."""
        if self.verified_on is not None and (day - self.verified_on).days <= stale_days:
            return Knowledge.VERIFIED
        return Knowledge.SOURCED_UNVERIFIED if self.researched else Knowledge.UNRESEARCHED


#: A row nobody has looked up: the default, never presented as a settled answer.
UNRESEARCHED = Provenance()

#: ``REFERENCE_STALE_DAYS`` when nothing else is said.
DEFAULT_STALE_DAYS = 365


#: Spanish place names that take an article, by their first word ("las Islas Feroe").
_SPANISH_ARTICLE_BY_FIRST_WORD = {
    "isla": "la",
    "islas": "las",
    "república": "la",
    "reino": "el",
    "estado": "el",
    "estados": "los",
    "emiratos": "los",
    "países": "los",
    "federación": "la",
    "territorio": "el",
    "territorios": "los",
    "ciudad": "la",
    "distrito": "el",
}

SPANISH_ARTICLES = frozenset({"el", "la", "los", "las"})


def spanish_article(name: str, article: str = "") -> str:
    """The article a Spanish place name takes in a sentence: ``article`` as staff set it,
    else the one its first word calls for ("Islas" → "las"), else none."""
    if article:
        return article
    first_word = name.split(" ", 1)[0].casefold()
    return _SPANISH_ARTICLE_BY_FIRST_WORD.get(first_word, "")


def with_spanish_article(name: str, article: str = "") -> str:
    """ "Islas Feroe" → "las Islas Feroe"; a name that starts with an article of its own
    ("El Salvador") or needs none is left as it is."""
    if name.split(" ", 1)[0].casefold() in SPANISH_ARTICLES:
        return name
    chosen = spanish_article(name, article)
    return f"{chosen} {name}" if chosen else name


#: Words that make an English place name take "the" ("the United Kingdom", "the Dominican
#: Republic", "the Cayman Islands", "the Isle of Man").
_ENGLISH_ARTICLE_WORDS = frozenset(
    {"united", "republic", "kingdom", "islands", "isle", "emirates", "federation", "states"}
)
#: Names that take "the" although no word of theirs says so.
_ENGLISH_ARTICLE_NAMES = frozenset(
    {"netherlands", "philippines", "bahamas", "gambia", "maldives", "comoros", "seychelles"}
    | {"holy see", "congo", "sudan"}
)


def with_english_article(name: str) -> str:
    """ "United Kingdom" → "the United Kingdom"; "Germany" and "The Bahamas" as they are."""
    words = name.replace(",", " ").casefold().split()
    if not words or words[0] == "the":
        return name
    if name.casefold() in _ENGLISH_ARTICLE_NAMES or _ENGLISH_ARTICLE_WORDS & set(words):
        return f"the {name}"
    return name


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A foreign country, or a part of one with its own status (``CA-QC``)."""

    code: str
    name: str
    name_es: str
    name_es_article: str = ""
    part_of: str = ""
    hague_party: bool = False
    hague_in_force_for_country: datetime.date | None = None
    hague_in_force_with_us: datetime.date | None = None
    hague_us_objection: datetime.date | None = None
    frc: bool = False
    central_authority_name: str = ""
    central_authority_url: str = ""
    central_authority_phone: str = ""
    provenance: Provenance = UNRESEARCHED

    @property
    def is_subdivision(self) -> bool:
        return "-" in self.code

    def hague_in_force_on(self, day: datetime.date) -> bool:
        """The Convention applies between this jurisdiction and the U.S. on ``day``."""
        return self.hague_in_force_with_us is not None and self.hague_in_force_with_us <= day

    def is_treaty_on(self, day: datetime.date) -> bool:
        """Federal-level reciprocity: Hague in force with the U.S., or a U.S. FRC."""
        return self.frc or self.hague_in_force_on(day)

    def hague_with_us_unknown_on(self, day: datetime.date) -> bool:
        """A party for which nobody could establish whether the Convention applies with the
        U.S. (no date in force with it, no U.S. objection): not a settled "no"."""
        return (
            self.hague_party
            and not self.is_treaty_on(day)
            and self.hague_in_force_with_us is None
            and self.hague_us_objection is None
        )

    def display_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def name_in_sentence(self, language: str) -> str:
        """The name as a sentence uses it: "la República Dominicana", "the United Kingdom"."""
        if language == "es":
            return (
                with_spanish_article(self.name_es, self.name_es_article)
                if self.name_es
                else self.name
            )
        return with_english_article(self.name)


@dataclass(frozen=True, slots=True)
class UsState:
    """A U.S. state, DC or territory with its child support agency."""

    code: str
    name: str
    name_es: str
    agency_name: str
    agency_name_es: str = ""
    agency_phone: str = ""
    agency_phone_abroad: str = ""
    agency_url: str = ""
    provenance: Provenance = UNRESEARCHED

    def display_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def name_in_sentence(self, language: str) -> str:
        """The name as a sentence uses it: "las Islas Vírgenes…" in Spanish."""
        if language == "es" and self.name_es:
            return with_spanish_article(self.name_es, "")
        return self.name

    def agency_display_name(self, language: str) -> str:
        """The agency's name in ``language``; the English one until staff give a Spanish one."""
        return self.agency_name_es if language == "es" and self.agency_name_es else self.agency_name


def _facts_of(view: type) -> tuple[str, ...]:
    """A view's own facts: its fields but its provenance, in their order."""
    return tuple(f.name for f in dataclasses.fields(view) if f.name != "provenance")


#: A jurisdiction's own facts, as the engine reads them and staff edit, export and import them
#: (the reads, the API and the CSV files share them, in this order).
JURISDICTION_FACTS = _facts_of(Jurisdiction)
#: A U.S. state's own facts, likewise.
US_STATE_FACTS = _facts_of(UsState)
#: A federal contact's own facts, as the engine reads them.
CONTACT_FACTS = _facts_of(Contact)


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything the engine and recognizer need, read at one moment."""

    jurisdictions: Mapping[str, Jurisdiction]
    states: Mapping[str, UsState]
    arrangements: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    #: Provenance of each arrangement, by ``(state code, jurisdiction code)``.
    arrangement_provenance: Mapping[tuple[str, str], Provenance] = field(default_factory=dict)
    #: Federal and international offices by kind; the defaults when the data has none.
    contacts: Mapping[str, Contact] = field(default_factory=lambda: federal.DEFAULT_CONTACTS)
    contact_provenance: Mapping[str, Provenance] = field(default_factory=dict)
    stale_days: int = DEFAULT_STALE_DAYS

    def contact(self, kind: str) -> Contact:
        """A federal contact as staff keep it, or the project's default."""
        return self.contacts.get(kind) or federal.DEFAULT_CONTACTS[kind]

    def status_row(self, jurisdiction: Jurisdiction) -> Jurisdiction:
        """The row that decides a jurisdiction's status: its sovereign's for a territory."""
        return self.jurisdictions.get(jurisdiction.part_of, jurisdiction)

    def subdivisions_of(self, country_code: str) -> list[Jurisdiction]:
        """Parts of ``country_code`` that have their own status (Canada's provinces)."""
        prefix = f"{country_code}-"
        return sorted(
            (j for j in self.jurisdictions.values() if j.code.startswith(prefix)),
            key=lambda j: j.name,
        )

    def has_state_arrangement(self, state_code: str, jurisdiction_code: str) -> bool:
        return (state_code, jurisdiction_code) in self.arrangements


class Language(StrEnum):
    """The languages callers are answered in (each has a catalogue in locale/)."""

    EN = "en"
    ES = "es"


class PlaceKind(StrEnum):
    """What an answer to "where does ... live?" can be."""

    US_STATE = "us_state"
    US_UNKNOWN = "us_unknown"
    FOREIGN = "foreign"
    DONT_KNOW = "dont_know"
    MILITARY = "military"


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved answer. ``code``: ``US-TX``, ``US``, ``DE``, ``CA-QC``; empty otherwise."""

    kind: PlaceKind
    code: str = ""

    @classmethod
    def us_state(cls, state_code: str) -> Place:
        return cls(PlaceKind.US_STATE, f"US-{state_code}")

    @classmethod
    def foreign(cls, jurisdiction_code: str) -> Place:
        return cls(PlaceKind.FOREIGN, jurisdiction_code)

    @property
    def state_code(self) -> str:
        """Postal code of a U.S. state place (``TX``), else empty."""
        return self.code[3:] if self.kind is PlaceKind.US_STATE else ""

    @property
    def in_us(self) -> bool:
        return self.kind in (PlaceKind.US_STATE, PlaceKind.US_UNKNOWN)
