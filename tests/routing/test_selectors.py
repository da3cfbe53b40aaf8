"""The reference-data snapshot: reused between edits, never stale after one, whatever made it."""

import pytest
from django.db import connection, transaction

from routing.models import Jurisdiction, ReferenceVersion, StateArrangement, UsState
from routing.selectors import reference_data_get

pytestmark = pytest.mark.django_db


def token() -> str:
    return ReferenceVersion.objects.get(pk=1).token


def test_an_unchanged_snapshot_is_reused_for_one_query(django_assert_num_queries):
    first = reference_data_get()
    with django_assert_num_queries(1):
        assert reference_data_get() is first


def test_a_model_save_reaches_the_next_read():
    reference_data_get()
    germany = Jurisdiction.objects.get(code="DE")
    germany.central_authority_name = "Renamed office"
    germany.save()
    assert reference_data_get().jurisdictions["DE"].central_authority_name == "Renamed office"


def test_a_bulk_update_that_sends_no_signal_reaches_the_next_read():
    reference_data_get()
    Jurisdiction.objects.filter(code="DE").update(frc=False, hague_party=False)
    germany = reference_data_get().jurisdictions["DE"]
    assert (germany.frc, germany.hague_party) == (False, False)


def test_raw_sql_reaches_the_next_read():
    reference_data_get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE routing_usstate SET agency_phone = %s WHERE code = %s", ["1", "TX"])
    assert reference_data_get().states["TX"].agency_phone == "1"


def test_new_and_deleted_arrangements_reach_the_next_read():
    texas, germany = UsState.objects.get(code="TX"), Jurisdiction.objects.get(code="DE")
    StateArrangement.objects.filter(state=texas, country=germany).delete()
    assert not reference_data_get().has_state_arrangement("TX", "DE")
    StateArrangement.objects.create(state=texas, country=germany)
    assert reference_data_get().has_state_arrangement("TX", "DE")


@pytest.mark.parametrize(
    "write",
    [
        lambda: Jurisdiction.objects.create(code="ZZ", name="Zedland", name_es="Zedlandia"),
        lambda: Jurisdiction.objects.filter(code="DE").update(notes="checked"),
        lambda: Jurisdiction.objects.filter(code="DE").delete(),
        lambda: UsState.objects.create(code="ZZ", name="Zed", name_es="Zed", agency_name="Z"),
        lambda: UsState.objects.filter(code="TX").update(notes="checked"),
        lambda: UsState.objects.filter(code="TX").delete(),
        lambda: StateArrangement.objects.create(
            state=UsState.objects.get(code="TX"), country=Jurisdiction.objects.get(code="DE")
        ),
        lambda: StateArrangement.objects.update(notes="checked"),
        lambda: StateArrangement.objects.all().delete(),
    ],
    ids=[
        f"{table}-{kind}"
        for table in ("jurisdiction", "state", "arrangement")
        for kind in ("insert", "update", "delete")
    ],
)
def test_every_kind_of_write_to_every_table_changes_the_token(write):
    """Fails if a migration drops the triggers (SQLite drops them when it rebuilds a table)."""
    before = token()
    write()
    assert token() != before


def test_a_rolled_back_edit_is_never_served():
    original = reference_data_get().states["TX"].agency_name

    def failing_edit():
        with transaction.atomic():
            UsState.objects.filter(code="TX").update(agency_name="Never committed")
            assert reference_data_get().states["TX"].agency_name == "Never committed"
            raise RuntimeError("staff edit failed")

    with pytest.raises(RuntimeError):
        failing_edit()
    assert reference_data_get().states["TX"].agency_name == original


def test_the_shared_snapshot_cannot_be_changed():
    reference = reference_data_get()
    with pytest.raises(TypeError):
        reference.jurisdictions["DE"] = reference.jurisdictions["FR"]
    with pytest.raises(TypeError):
        reference.states["TX"] = reference.states["CA"]


def test_without_a_token_every_read_is_fresh(django_assert_num_queries):
    ReferenceVersion.objects.all().delete()
    reference_data_get()
    with django_assert_num_queries(4):
        reference_data_get()
