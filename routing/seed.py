"""The project's starting reference data, read from ``routing/data/`` and pycountry.

Used once by the data migration (after that, staff own the rows) and by the pure tests,
which need the real data without a database.
"""

from __future__ import annotations

import csv
import datetime
import gettext
from functools import cache
from pathlib import Path

import pycountry

from routing.reference import Jurisdiction, ReferenceData, UsState

DATA_DIR = Path(__file__).resolve().parent / "data"

#: ISO 3166-1 entries that are the U.S. or its territories: answered as U.S. places, not
#: as foreign jurisdictions.
US_ISO_CODES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})

ISO_SOURCE = "ISO 3166-1 via pycountry; no arrangement with the U.S. in the project's sources"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _yes(value: str) -> bool:
    return value.strip().lower() == "yes"


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value.strip() else None


def _iso_names() -> dict[str, tuple[str, str]]:
    """English and Spanish names of every ISO 3166-1 country outside the U.S."""
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    names = {}
    for country in pycountry.countries:
        if country.alpha_2 in US_ISO_CODES:
            continue
        names[country.alpha_2] = (
            getattr(country, "common_name", None) or country.name,
            spanish.gettext(country.name),
        )
    return names


@cache
def jurisdiction_rows() -> tuple[dict, ...]:
    """One row per foreign jurisdiction, with the model's field names."""
    overrides = {row["code"]: row for row in _read_csv("jurisdictions.csv")}
    rows = []
    for code, (name, name_es) in _iso_names().items():
        override = overrides.pop(code, None)
        rows.append(_jurisdiction_row(code, name, name_es, override))
    for code, override in overrides.items():
        subdivision = pycountry.subdivisions.get(code=code)
        rows.append(_jurisdiction_row(code, subdivision.name, subdivision.name, override))
    return tuple(sorted(rows, key=lambda row: row["code"]))


def _jurisdiction_row(code: str, name: str, name_es: str, override: dict | None) -> dict:
    if override is None:
        return {"code": code, "name": name, "name_es": name_es, "source": ISO_SOURCE}
    return {
        "code": code,
        "name": override["name"] or name,
        "name_es": override["name_es"] or name_es,
        "hague_party": _yes(override["hague_party"]),
        "hague_in_force_with_us": _date(override["hague_in_force_with_us"]),
        "frc": _yes(override["frc"]),
        "central_authority_name": override["central_authority_name"],
        "central_authority_url": override["central_authority_url"],
        "central_authority_phone": override["central_authority_phone"],
        "needs_verification": _yes(override["needs_verification"]),
        "notes": override["notes"],
        "source": override["source"],
    }


@cache
def state_rows() -> tuple[dict, ...]:
    """Every U.S. state, DC and territory with its agency, as model field values."""
    return tuple(
        {**row, "needs_verification": _yes(row["needs_verification"])}
        for row in _read_csv("us_states.csv")
    )


@cache
def arrangement_rows() -> tuple[dict, ...]:
    """State-level reciprocity: one row per (state, foreign jurisdiction)."""
    return tuple(
        {
            "state": row["state"],
            "country": row["country"],
            "notes": f"{row['notes']} Confidence: {row['confidence']}.",
            "source": row["source"],
        }
        for row in _read_csv("arrangements.csv")
    )


_JURISDICTION_FIELDS = frozenset(Jurisdiction.__dataclass_fields__)
_STATE_FIELDS = frozenset(UsState.__dataclass_fields__)


@cache
def reference_data_from_files() -> ReferenceData:
    """The starting data as a ``ReferenceData``, without a database (for pure tests)."""
    return ReferenceData(
        jurisdictions={
            row["code"]: Jurisdiction(**{k: v for k, v in row.items() if k in _JURISDICTION_FIELDS})
            for row in jurisdiction_rows()
        },
        states={
            row["code"]: UsState(**{k: v for k, v in row.items() if k in _STATE_FIELDS})
            for row in state_rows()
        },
        arrangements=frozenset((row["state"], row["country"]) for row in arrangement_rows()),
    )


def reference_data_load(*, jurisdiction_model, state_model, arrangement_model) -> None:
    """Write the starting data into empty tables (models passed in, so the data migration can
    use its historical models)."""
    jurisdiction_model.objects.bulk_create(jurisdiction_model(**row) for row in jurisdiction_rows())
    state_model.objects.bulk_create(state_model(**row) for row in state_rows())
    states = {state.code: state for state in state_model.objects.all()}
    countries = {country.code: country for country in jurisdiction_model.objects.all()}
    arrangement_model.objects.bulk_create(
        arrangement_model(
            state=states[row["state"]],
            country=countries[row["country"]],
            notes=row["notes"],
            source=row["source"],
        )
        for row in arrangement_rows()
    )
