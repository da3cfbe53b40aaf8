"""The order of the fact fields is visible: CSV columns and the staff API's field order (and so
the OpenAPI schema). Deriving the lists from the reference dataclasses must keep both."""

import datetime

from routing.reference import UNRESEARCHED, Provenance
from routing.resources import (
    FederalContactResource,
    JurisdictionResource,
    StateArrangementResource,
    UsStateResource,
)
from routing.serializers import ArrangementSerializer, JurisdictionSerializer, UsStateSerializer

JURISDICTION = [
    "code",
    "name",
    "name_es",
    "name_es_article",
    "part_of",
    "hague_party",
    "hague_in_force_for_country",
    "hague_in_force_with_us",
    "hague_us_objection",
    "frc",
    "central_authority_name",
    "central_authority_url",
    "central_authority_phone",
]
STATE = [
    "code",
    "name",
    "name_es",
    "agency_name",
    "agency_name_es",
    "agency_phone",
    "agency_phone_abroad",
    "agency_url",
]
CONTACT = ["kind", "name", "phone", "phone_abroad", "url", "email"]
CSV_SOURCED = ["researched", "source", "source_date", "notes"]
API_SOURCED = [
    "knowledge",
    "needs_verification",
    "researched",
    "source",
    "source_date",
    "verified_by",
    "verified_at",
    "notes",
]
API_READ_ONLY = ["knowledge", "needs_verification", "verified_by", "verified_at"]


def _columns(resource_class) -> list[str]:
    return [field.column_name for field in resource_class().get_export_fields()]


def test_csv_columns_keep_their_order():
    assert _columns(JurisdictionResource) == [*JURISDICTION, *CSV_SOURCED]
    assert _columns(UsStateResource) == [*STATE, *CSV_SOURCED]
    assert _columns(StateArrangementResource) == ["state", "country", *CSV_SOURCED]
    assert _columns(FederalContactResource) == [*CONTACT, *CSV_SOURCED]


def _read_only(serializer) -> list[str]:
    return [name for name, field in serializer.fields.items() if field.read_only]


def test_api_fields_keep_their_order():
    jurisdiction, state = JurisdictionSerializer(), UsStateSerializer()
    arrangement = ArrangementSerializer()
    assert list(jurisdiction.fields) == [*JURISDICTION, *API_SOURCED, "updated_at"]
    assert _read_only(jurisdiction) == [*API_READ_ONLY, "updated_at"]
    assert list(state.fields) == [*STATE, *API_SOURCED, "updated_at"]
    assert _read_only(state) == ["code", *API_READ_ONLY, "updated_at"]
    assert list(arrangement.fields) == ["id", "state", "country", *API_SOURCED, "created_at"]
    assert _read_only(arrangement) == ["id", *API_READ_ONLY, "created_at"]


def test_provenance_from_stored_columns_keeps_the_day_of_the_verification():
    verified_at = datetime.datetime(2026, 11, 30, 23, 59, tzinfo=datetime.UTC)
    source_date = datetime.date(2026, 11, 1)
    assert Provenance.from_columns("OCSS", source_date, True, "ana", verified_at) == Provenance(
        "OCSS", source_date, True, "ana", datetime.date(2026, 11, 30)
    )
    assert Provenance.from_columns("", None, False, None, None) == UNRESEARCHED
