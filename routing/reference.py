"""Plain, immutable views of the reciprocity data that the pure core works on.

The decision engine and the place recognizer take a ``ReferenceData`` instead of querying the
database, so they stay pure; ``routing.selectors.reference_data_get`` gives one built from the
current rows (reused by a process until a staff edit changes the rows, so an edit reaches the
very next caller). One snapshot serves many requests at once, so nothing may change it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A foreign country, or a part of one with its own status (``CA-QC``)."""

    code: str
    name: str
    name_es: str
    hague_party: bool = False
    hague_in_force_with_us: datetime.date | None = None
    frc: bool = False
    central_authority_name: str = ""
    central_authority_url: str = ""
    central_authority_phone: str = ""
    needs_verification: bool = False

    @property
    def country_code(self) -> str:
        """The ISO 3166-1 code of the whole country (``CA`` for ``CA-QC``)."""
        return self.code.split("-", 1)[0]

    @property
    def is_subdivision(self) -> bool:
        return "-" in self.code

    def hague_in_force_on(self, day: datetime.date) -> bool:
        """The Convention applies between this jurisdiction and the U.S. on ``day``."""
        return self.hague_in_force_with_us is not None and self.hague_in_force_with_us <= day

    def is_treaty_on(self, day: datetime.date) -> bool:
        """Federal-level reciprocity: Hague in force with the U.S., or a U.S. FRC."""
        return self.frc or self.hague_in_force_on(day)

    def display_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name


@dataclass(frozen=True, slots=True)
class UsState:
    """A U.S. state, DC or territory with its child support agency."""

    code: str
    name: str
    name_es: str
    agency_name: str
    agency_phone: str = ""
    agency_url: str = ""
    needs_verification: bool = False

    def display_name(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything the engine and recognizer need, read at one moment."""

    jurisdictions: Mapping[str, Jurisdiction]
    states: Mapping[str, UsState]
    arrangements: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def subdivisions_of(self, country_code: str) -> list[Jurisdiction]:
        """Parts of ``country_code`` that have their own status (Canada's provinces)."""
        prefix = f"{country_code}-"
        return sorted(
            (j for j in self.jurisdictions.values() if j.code.startswith(prefix)),
            key=lambda j: j.name,
        )

    def has_state_arrangement(self, state_code: str, jurisdiction_code: str) -> bool:
        return (state_code, jurisdiction_code) in self.arrangements


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
