"""The HCCH status table of the 2007 Child Support Convention, read from a saved copy.

The table (https://www.hcch.net/en/instruments/conventions/status-table/?cid=131) lists each
Contracting State with the type of its consent (R ratification, A accession, Ap approval, Su
succession) and the date the Convention entered into force for it (EIF, written 1-VIII-2014).
Staff save it as HTML from the browser, or as a CSV with the same columns; this module turns
either into entries and compares them with the data. Pure: text in, entries and changes out.
Whether the Convention applies *with the U.S.* is not in the table (U.S. objections are
separate notices), so it is never changed from here.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pycountry

from routing.reference import Jurisdiction

#: Bound through the European Union's approval (every member state except Denmark).
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
_ROMAN = {
    r: n
    for n, r in enumerate(
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], start=1
    )
}
_HCCH_DATE = re.compile(r"^(\d{1,2})-([IVX]+)-(\d{4})$")
_PARTY_TYPES = frozenset({"R", "A", "AP", "SU", "A*", "C"})
#: Names the table uses that pycountry does not know.
_NAMES = {"european union": "EU", "republic of korea": "KR", "türkiye": "TR", "turkey": "TR"}


class HcchFileError(ValueError):
    """The file is not a status table this reader understands."""


@dataclass(frozen=True, slots=True)
class HcchEntry:
    """One line of the table: a state, how it consented, since when the Convention binds it."""

    state: str
    consent: str
    in_force_since: datetime.date | None


@dataclass(frozen=True, slots=True)
class HcchChange:
    """One field of one jurisdiction that the table says differently."""

    code: str
    name: str
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class HcchDiff:
    changes: tuple[HcchChange, ...]
    #: Lines whose state matches no jurisdiction (a new name, a typo in the file).
    unmatched: tuple[str, ...]
    #: Jurisdictions the data has as parties that the table does not list (for staff to check;
    #: nothing is changed for them).
    not_in_table: tuple[str, ...]


def parse_hcch_date(text: str) -> datetime.date | None:
    """``1-VIII-2014`` (the table's form) or ``2014-08-01``; empty gives None."""
    text = text.strip()
    if not text:
        return None
    match = _HCCH_DATE.match(text)
    if match:
        day, month, year = match.groups()
        if month not in _ROMAN:
            raise HcchFileError(f"'{text}' is not a date (day-ROMAN MONTH-year).")
        return datetime.date(int(year), _ROMAN[month], int(day))
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise HcchFileError(f"'{text}' is not a date (1-VIII-2014 or 2014-08-01).") from error


class _TableReader(HTMLParser):
    """Every table row of the page as a list of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, _attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _column(header: list[str], *names: str) -> int:
    lowered = [cell.strip().lower() for cell in header]
    for index, cell in enumerate(lowered):
        if any(cell == name or cell.startswith(name) for name in names):
            return index
    raise HcchFileError(f"No '{names[0]}' column in the table header: {header}")


def parse_status_table(text: str) -> list[HcchEntry]:
    """Entries of a saved status table, HTML or CSV (columns State, Type, EIF)."""
    if "<t" in text.lower():
        reader = _TableReader()
        reader.feed(text)
        rows = [row for row in reader.rows if row]
    else:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    entries: list[HcchEntry] = []
    header: list[str] | None = None
    for row in rows:
        if any(cell.strip().lower().startswith(("eif", "entry into force")) for cell in row):
            header = row
            state_at = _column(header, "states", "state")
            type_at = _column(header, "type")
            eif_at = _column(header, "eif", "entry into force")
            continue
        if header is None or len(row) <= max(state_at, type_at, eif_at):
            continue
        state = re.sub(r"\s*\d+$|\*+$", "", row[state_at]).strip()
        if state:
            entries.append(
                HcchEntry(state, row[type_at].strip().upper(), parse_hcch_date(row[eif_at]))
            )
    if header is None:
        raise HcchFileError("No status table found: expected a header with State, Type and EIF.")
    return entries


def _code_for(name: str, by_name: dict[str, str]) -> str | None:
    lowered = name.lower()
    if lowered in _NAMES:
        return _NAMES[lowered]
    if lowered in by_name:
        return by_name[lowered]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def hcch_diff(
    entries: list[HcchEntry], jurisdictions: dict[str, Jurisdiction], *, us_codes: frozenset[str]
) -> HcchDiff:
    """What the table says differently from ``jurisdictions`` about who is a party and since
    when the Convention binds it (EU member states take the EU's date)."""
    by_name = {j.name.lower(): j.code for j in jurisdictions.values()}
    by_name |= {j.name_es.lower(): j.code for j in jurisdictions.values() if j.name_es}
    in_force: dict[str, datetime.date | None] = {}
    unmatched = []
    for entry in entries:
        if entry.consent not in _PARTY_TYPES and entry.in_force_since is None:
            continue
        code = _code_for(entry.state, by_name)
        if code == "EU":
            in_force.update(dict.fromkeys(EU_MEMBERS, entry.in_force_since))
        elif code in us_codes:
            continue
        elif code in jurisdictions:
            in_force[code] = entry.in_force_since
        else:
            unmatched.append(entry.state)
    changes = []
    for code, since in sorted(in_force.items()):
        row = jurisdictions.get(code)
        if row is None:
            continue
        if not row.hague_party:
            changes.append(HcchChange(code, row.name, "hague_party", "no", "yes"))
        if since is not None and row.hague_in_force_for_country != since:
            old = (
                row.hague_in_force_for_country.isoformat() if row.hague_in_force_for_country else ""
            )
            changes.append(
                HcchChange(code, row.name, "hague_in_force_for_country", old, since.isoformat())
            )
    not_in_table = tuple(
        sorted(
            code
            for code, row in jurisdictions.items()
            if row.hague_party and not row.part_of and code not in in_force and "-" not in code
        )
    )
    return HcchDiff(tuple(changes), tuple(unmatched), not_in_table)
