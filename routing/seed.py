"""The project's starting reference data, read from ``routing/data/`` and pycountry.

Used once by the data migration (after that, staff own the rows) and by the pure tests,
which need the real data without a database.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import gettext
from functools import cache
from importlib.metadata import version
from pathlib import Path

import pycountry

from routing import federal
from routing.reference import (
    JURISDICTION_FACTS,
    US_STATE_FACTS,
    Jurisdiction,
    Provenance,
    ReferenceData,
    UsState,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

#: ISO 3166-1 entries that are the U.S. or its territories: answered as U.S. places, not
#: as foreign jurisdictions.
US_ISO_CODES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})

ISO_SOURCE = (
    "ISO 3166-1 via pycountry (names only); treaty status not researched: nobody has checked "
    "whether this country has an arrangement with the U.S."
)


def _pycountry_date() -> datetime.date:
    """pycountry's release (its version is the date of its ISO data: 26.2.16)."""
    year, month, day = (int(part) for part in version("pycountry").split(".")[:3])
    return datetime.date(2000 + year, month, day)


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
    articles = {row["code"]: row["article"] for row in _read_csv("spanish_articles.csv")}
    rows = []
    for code, (name, name_es) in _iso_names().items():
        override = overrides.pop(code, None)
        rows.append(_jurisdiction_row(code, name, name_es, override))
    for code, override in overrides.items():
        subdivision = pycountry.subdivisions.get(code=code)
        name = subdivision.name if subdivision else ""
        rows.append(_jurisdiction_row(code, name, name, override))
    for row in rows:
        row["name_es_article"] = articles.get(row["code"], "")
    return tuple(sorted(rows, key=lambda row: row["code"]))


def _jurisdiction_row(code: str, name: str, name_es: str, override: dict | None) -> dict:
    if override is None:
        return {
            "code": code,
            "name": name,
            "name_es": name_es,
            "researched": False,
            "source": ISO_SOURCE,
            "source_date": _pycountry_date(),
        }
    return {
        "code": code,
        "name": override["name"] or name,
        "name_es": override["name_es"] or name_es,
        "part_of": override["part_of"],
        "hague_party": _yes(override["hague_party"]),
        "hague_in_force_for_country": _date(override["hague_in_force_for_country"]),
        "hague_in_force_with_us": _date(override["hague_in_force_with_us"]),
        "hague_us_objection": _date(override["hague_us_objection"]),
        "frc": _yes(override["frc"]),
        "central_authority_name": override["central_authority_name"],
        "central_authority_url": override["central_authority_url"],
        "central_authority_phone": override["central_authority_phone"],
        **_sourced(override),
    }


def _sourced(row: dict[str, str]) -> dict:
    """The provenance columns every data file shares, as model field values (a row taken
    from pycountry alone is as of pycountry's release)."""
    return {
        "researched": _yes(row["researched"]),
        "notes": row["notes"],
        "source": row["source"],
        "source_date": _date(row["source_date"]) or _pycountry_date(),
    }


@cache
def state_rows() -> tuple[dict, ...]:
    """Every U.S. state, DC and territory with its agency, as model field values."""
    return tuple({**row, **_sourced(row)} for row in _read_csv("us_states.csv"))


@cache
def arrangement_rows() -> tuple[dict, ...]:
    """State-level reciprocity: one row per (state, foreign jurisdiction)."""
    return tuple(
        {
            "state": row["state"],
            "country": row["country"],
            **_sourced(row),
            "notes": f"{row['notes']} Confidence: {row['confidence']}.",
        }
        for row in _read_csv("arrangements.csv")
    )


@cache
def contact_rows() -> tuple[dict, ...]:
    """Federal contacts: the values in ``routing.federal`` with their sources."""
    rows = []
    for row in _read_csv("federal_contacts.csv"):
        contact = federal.DEFAULT_CONTACTS[row["kind"]]
        rows.append({**dataclasses.asdict(contact), **_sourced(row)})
    return tuple(rows)


def _provenance(row: dict) -> Provenance:
    return Provenance.from_columns(row["source"], row["source_date"], row["researched"])


@cache
def reference_data_from_files() -> ReferenceData:
    """The starting data as a ``ReferenceData``, without a database (for pure tests)."""
    return ReferenceData(
        jurisdictions={
            row["code"]: Jurisdiction(
                **{k: v for k, v in row.items() if k in JURISDICTION_FACTS},
                provenance=_provenance(row),
            )
            for row in jurisdiction_rows()
        },
        states={
            row["code"]: UsState(
                **{k: v for k, v in row.items() if k in US_STATE_FACTS},
                provenance=_provenance(row),
            )
            for row in state_rows()
        },
        arrangements=frozenset((row["state"], row["country"]) for row in arrangement_rows()),
        arrangement_provenance={
            (row["state"], row["country"]): _provenance(row) for row in arrangement_rows()
        },
        contacts={row["kind"]: federal.DEFAULT_CONTACTS[row["kind"]] for row in contact_rows()},
        contact_provenance={row["kind"]: _provenance(row) for row in contact_rows()},
    )


def _fields_of(model, row: dict) -> dict:
    """The values of ``row`` that ``model`` (perhaps a historical one) has fields for."""
    names = {field.name for field in model._meta.concrete_fields}
    return {name: value for name, value in row.items() if name in names}


def reference_data_load(*, jurisdiction_model, state_model, arrangement_model) -> None:
    """Write the starting data into empty tables (models passed in, so the data migration can
    use its historical models, which may lack the newer columns)."""
    jurisdiction_model.objects.bulk_create(
        jurisdiction_model(**_fields_of(jurisdiction_model, row)) for row in jurisdiction_rows()
    )
    state_model.objects.bulk_create(
        state_model(**_fields_of(state_model, row)) for row in state_rows()
    )
    states = {state.code: state for state in state_model.objects.all()}
    countries = {country.code: country for country in jurisdiction_model.objects.all()}
    arrangement_model.objects.bulk_create(
        arrangement_model(
            **_fields_of(arrangement_model, _facts(row)),
            state=states[row["state"]],
            country=countries[row["country"]],
        )
        for row in arrangement_rows()
    )


def _facts(arrangement_row: dict) -> dict:
    """An arrangement row without its two codes (the foreign keys are set apart)."""
    return {k: v for k, v in arrangement_row.items() if k not in ("state", "country")}


def reference_data_refresh(*, apps, reason: str) -> None:
    """Bring the tables up to the current files (data migrations), leaving staff's work alone.

    A row staff verified or edited keeps its facts and only gains the provenance columns;
    any other row takes the files' values; missing rows are added. Each change is recorded
    in the history with ``reason``.
    """
    model = apps.get_model
    jurisdictions, states = model("routing", "Jurisdiction"), model("routing", "UsState")
    arrangements, contacts = (
        model("routing", "StateArrangement"),
        model("routing", "FederalContact"),
    )
    changed = [
        _refresh(jurisdictions, {"code": row["code"]}, row, apps) for row in jurisdiction_rows()
    ]
    changed += [_refresh(states, {"code": row["code"]}, row, apps) for row in state_rows()]
    changed += [_refresh(contacts, {"kind": row["kind"]}, row, apps) for row in contact_rows()]
    state_ids = dict(states.objects.values_list("code", "id"))
    country_ids = dict(jurisdictions.objects.values_list("code", "id"))
    for row in arrangement_rows():
        if row["country"] in country_ids:
            lookup = {
                "state_id": state_ids[row["state"]],
                "country_id": country_ids[row["country"]],
            }
            changed.append(_refresh(arrangements, lookup, _facts(row), apps))
    _record_history([row for row in changed if row is not None], apps, reason)


def _refresh(model, lookup: dict, row: dict, apps):
    """Create or update one row from the files; the row when something changed, else None."""
    existing = model.objects.filter(**lookup).first()
    if existing is None:
        return model.objects.create(**{**_fields_of(model, row), **lookup})
    if existing.verified_at is not None or _edited_by_staff(existing, apps):
        fields = {"researched": existing.researched or row["researched"]}
        fields["source_date"] = existing.source_date or row["source_date"]
    else:
        fields = _fields_of(model, row)
    changes = {name: value for name, value in fields.items() if getattr(existing, name) != value}
    if not changes:
        return None
    model.objects.filter(pk=existing.pk).update(**changes)
    return model.objects.get(pk=existing.pk)


def spanish_names_fill(*, apps, reason: str) -> None:
    """Give existing rows the Spanish agency names and place-name articles of the files where
    they have none yet (a staff entry is kept), recorded in the history with ``reason``."""
    states = apps.get_model("routing", "UsState")
    jurisdictions = apps.get_model("routing", "Jurisdiction")
    changed = []
    for row in state_rows():
        updated = states.objects.filter(code=row["code"], agency_name_es="").update(
            agency_name_es=row["agency_name_es"]
        )
        if updated:
            changed.append(states.objects.get(code=row["code"]))
    for row in jurisdiction_rows():
        if not row["name_es_article"]:
            continue
        updated = jurisdictions.objects.filter(code=row["code"], name_es_article="").update(
            name_es_article=row["name_es_article"]
        )
        if updated:
            changed.append(jurisdictions.objects.get(code=row["code"]))
    _record_history(changed, apps, reason)


def _edited_by_staff(row, apps) -> bool:
    historical = apps.get_model("routing", f"Historical{row.__class__.__name__}")
    return historical.objects.filter(id=row.pk, history_user_id__isnull=False).exists()


def _record_history(rows: list, apps, reason: str) -> None:
    now = datetime.datetime.now(tz=datetime.UTC)
    for row in rows:
        historical = apps.get_model("routing", f"Historical{row.__class__.__name__}")
        fields = [field.attname for field in row._meta.concrete_fields]
        historical.objects.create(
            **{field: getattr(row, field) for field in fields},
            history_date=now,
            history_type="~",
            history_change_reason=reason,
        )
