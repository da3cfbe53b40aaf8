"""A verification vouches for the facts it saw: any change to them, by any path, clears it."""

import datetime

import pytest
import tablib
from django.utils import timezone

from routing import services
from routing.models import FederalContact, Jurisdiction, StateArrangement, UsState
from routing.resources import UsStateResource

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier(django_user_model):
    return django_user_model.objects.create_superuser("vera", password="pw-vera-1")


def _verify(model, verifier, **lookup):
    row = model.objects.get(**lookup)
    services.facts_mark_verified(rows=model.objects.filter(pk=row.pk), actor=verifier)
    row.refresh_from_db()
    assert (row.verified_by, row.researched) == (verifier, True)
    return row


def test_mark_verified_keeps_its_own_verification(verifier):
    for model, lookup in (
        (Jurisdiction, {"code": "MX"}),
        (UsState, {"code": "TX"}),
        (StateArrangement, {"state__code": "NY", "country__code": "CA-QC"}),
        (FederalContact, {"kind": FederalContact.objects.order_by("pk").first().kind}),
    ):
        row = _verify(model, verifier, **lookup)
        assert row.knowledge_on(timezone.localdate()).value == "verified"


def test_a_service_edit_of_a_fact_clears_the_verification(verifier):
    _verify(UsState, verifier, code="TX")
    services.state_update(
        state=UsState.objects.get(code="TX"), actor=verifier, agency_phone="1-800-555-0100"
    )
    texas = UsState.objects.get(code="TX")
    assert (texas.verified_by, texas.verified_at) == (None, None)


def test_saving_unchanged_facts_keeps_the_verification(verifier):
    _verify(UsState, verifier, code="TX")
    texas = UsState.objects.get(code="TX")
    services.state_update(state=texas, actor=verifier, agency_phone=texas.agency_phone)
    assert UsState.objects.get(code="TX").verified_by == verifier


def test_an_api_edit_clears_the_verification(api, verifier):
    _verify(Jurisdiction, verifier, code="MX")
    response = api.patch("/api/v1/countries/MX/", {"frc": True}, format="json")
    assert response.status_code == 200
    assert (response.json()["knowledge"], response.json()["verified_by"]) == (
        "sourced_unverified",
        None,
    )
    assert Jurisdiction.objects.get(code="MX").verified_at is None


def test_an_admin_edit_clears_the_verification(client, verifier):
    _verify(Jurisdiction, verifier, code="MX")
    client.force_login(verifier)
    mexico = Jurisdiction.objects.get(code="MX")
    url = f"/admin/routing/jurisdiction/{mexico.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "source_date": "2026-12-01",
            "arrangements-TOTAL_FORMS": "0",
            "arrangements-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mexico.refresh_from_db()
    assert mexico.source_date == datetime.date(2026, 12, 1)
    assert (mexico.verified_by, mexico.verified_at) == (None, None)


def test_a_csv_import_clears_the_verification_of_changed_rows_only(verifier):
    _verify(UsState, verifier, code="TX")
    _verify(UsState, verifier, code="OH")
    dataset = tablib.Dataset().load(UsStateResource().export().csv, format="csv")
    row = dataset.headers.index("agency_phone")
    codes = dataset["code"]
    rows = [list(values) for values in dataset]
    rows[codes.index("TX")][row] = "1-800-555-0100"
    dataset = tablib.Dataset(*rows, headers=dataset.headers)
    result = UsStateResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert UsState.objects.get(code="TX").verified_at is None
    assert UsState.objects.get(code="OH").verified_by == verifier


def test_an_hcch_import_clears_the_verification_of_the_rows_it_changes(verifier):
    from django.core.management import call_command

    from routing.models import HcchImport
    from tests.routing.test_hcch import FIXTURE

    _verify(Jurisdiction, verifier, code="DE")
    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    services.hcch_import_apply(hcch_import=HcchImport.objects.get(), actor=verifier)
    germany = Jurisdiction.objects.get(code="DE")
    assert germany.hague_in_force_for_country == datetime.date(2014, 8, 1)
    assert (germany.verified_by, germany.verified_at) == (None, None)


def test_a_verification_saved_with_a_fact_change_through_update_fields_is_cleared(verifier):
    texas = _verify(UsState, verifier, code="TX")
    texas.agency_phone = "1-800-555-0100"
    texas.save(update_fields=["agency_phone"])
    texas = UsState.objects.get(code="TX")
    assert (texas.agency_phone, texas.verified_at) == ("1-800-555-0100", None)


def test_facts_read_again_are_what_a_later_save_is_compared_with(verifier):
    texas = UsState.objects.get(code="TX")
    phone = texas.agency_phone
    UsState.objects.filter(pk=texas.pk).update(agency_phone="1-800-555-0199")
    _verify(UsState, verifier, code="TX")
    texas.refresh_from_db()
    texas.agency_phone = phone
    texas.save()
    assert UsState.objects.get(code="TX").verified_at is None


def test_a_staff_note_is_no_fact_and_keeps_the_verification(verifier):
    """Notes are the staff's own (never said to a caller): writing one vouches for nothing."""
    _verify(UsState, verifier, code="TX")
    services.state_update(
        state=UsState.objects.get(code="TX"), actor=verifier, notes="Called them on Monday."
    )
    assert UsState.objects.get(code="TX").verified_by == verifier
