"""Finding 10: a CSV export never hands a spreadsheet a formula; it imports back unchanged."""

import csv
import io

import pytest
import tablib

from routing.models import Jurisdiction
from routing.resources import (
    FederalContactResource,
    JurisdictionResource,
    StateArrangementResource,
    UsStateResource,
)

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]


def _exported_rows(client) -> list[dict]:
    response = client.post(
        "/admin/routing/jurisdiction/export/",
        {"format": "0", "jurisdictionresource_code": "on", "jurisdictionresource_notes": "on"},
    )
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def hostile_rows():
    for code, text in zip(("MX", "DE", "FR", "GB"), HOSTILE, strict=True):
        Jurisdiction.objects.filter(code=code).update(notes=text)


def test_admin_export_escapes_formulae(admin_client, hostile_rows):
    rows = {row["code"]: row for row in _exported_rows(admin_client)}
    for code, text in zip(("MX", "DE", "FR", "GB"), HOSTILE, strict=True):
        assert rows[code]["notes"] == f"'{text}"
    assert not any(
        value.startswith(("=", "+", "-", "@")) for row in rows.values() for value in row.values()
    )


def test_an_exported_file_imports_back_unchanged(hostile_rows):
    resource = JurisdictionResource()
    exported = resource.export()
    result = JurisdictionResource().import_data(
        tablib.Dataset().load(exported.csv, format="csv"), dry_run=True
    )
    assert not result.has_errors()
    assert result.totals["update"] == 0
    assert Jurisdiction.objects.get(code="MX").notes == HOSTILE[0]


@pytest.mark.parametrize(
    "resource_class",
    [JurisdictionResource, UsStateResource, StateArrangementResource, FederalContactResource],
)
def test_every_reference_export_escapes_formulae(resource_class):
    model = resource_class._meta.model
    model.objects.update(notes=HOSTILE[0])
    exported = resource_class().export()
    assert exported.height > 0
    assert all(notes == f"'{HOSTILE[0]}" for notes in exported["notes"])
