"""The data migration brings rows up to routing/data without undoing staff's work."""

import pytest
from django.apps import apps
from django.utils import timezone

from routing import services
from routing.models import FederalContact, Jurisdiction, UsState
from routing.seed import (
    contact_rows,
    jurisdiction_rows,
    reference_data_refresh,
    spanish_names_fill,
    state_rows,
)

pytestmark = pytest.mark.django_db

REASON = "test refresh"


def test_every_row_of_the_files_has_a_source_and_an_as_of_date():
    for row in (*jurisdiction_rows(), *state_rows(), *contact_rows()):
        assert row["source"], row
        assert row["source_date"] is not None, row


def test_refresh_updates_untouched_rows_and_keeps_staff_edits(django_user_model):
    editor = django_user_model.objects.create_user("editor")
    UsState.objects.filter(code="IL").update(agency_phone="1-877-225-7077", researched=False)
    texas = UsState.objects.get(code="TX")
    services.state_update(state=texas, actor=editor, agency_phone="1-512-000-0000")
    UsState.objects.filter(code="CA").update(
        agency_phone="1-000-000-0000", verified_by=editor, verified_at=timezone.now()
    )
    Jurisdiction.objects.filter(code="BW").delete()
    FederalContact.objects.filter(kind="ocss_irg").delete()

    reference_data_refresh(apps=apps, reason=REASON)

    illinois = UsState.objects.get(code="IL")
    assert (illinois.agency_phone, illinois.researched) == ("1-800-447-4278", True)
    assert illinois.history.latest("history_date").history_change_reason == REASON
    texas.refresh_from_db()
    assert texas.agency_phone == "1-512-000-0000"
    assert texas.source_date is not None
    assert UsState.objects.get(code="CA").agency_phone == "1-000-000-0000"
    assert Jurisdiction.objects.get(code="BW").hague_party
    assert FederalContact.objects.get(kind="ocss_irg").researched


def test_refresh_twice_changes_nothing_the_second_time():
    reference_data_refresh(apps=apps, reason=REASON)
    before = UsState.history.count()
    reference_data_refresh(apps=apps, reason=REASON)
    assert UsState.history.count() == before


def test_every_state_has_a_spanish_agency_name_after_migrating():
    assert not UsState.objects.filter(agency_name_es="").exists()
    assert UsState.objects.get(code="TX").agency_name_es == (
        "Programa de manutención infantil de Texas"
    )
    assert Jurisdiction.objects.get(code="EH").name_es_article == "el"


def test_spanish_names_fill_keeps_a_staff_entry_and_records_what_it_fills():
    UsState.objects.filter(code="TX").update(agency_name_es="Nombre del equipo")
    UsState.objects.filter(code="OH").update(agency_name_es="")

    spanish_names_fill(apps=apps, reason=REASON)

    assert UsState.objects.get(code="TX").agency_name_es == "Nombre del equipo"
    ohio = UsState.objects.get(code="OH")
    assert ohio.agency_name_es == "Programa de manutención infantil de Ohio"
    assert ohio.history.latest("history_date").history_change_reason == REASON
