"""The reference-data snapshot: reused between edits, never stale after one, whatever made it."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from routing.models import FederalContact, Jurisdiction, ReferenceVersion, StateArrangement, UsState
from routing.places import Recognized, recognize_place
from routing.reference import Knowledge, Place
from routing.selectors import reference_data_get, review_queue

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


def test_a_renamed_country_is_recognised_by_its_new_name_at_the_next_message():
    """The recognizer keeps its index for the snapshot object: an edit gives a new one."""
    before = reference_data_get()
    assert recognize_place("Germany", reference=before) == Recognized(Place.foreign("DE"))
    Jurisdiction.objects.filter(code="DE").update(name="Bundesrepublik")
    after = reference_data_get()
    assert after is not before
    assert recognize_place("Bundesrepublik", reference=after) == Recognized(Place.foreign("DE"))


def test_a_spanish_agency_name_edit_reaches_the_next_read():
    """The column added in issue 16 (SQLite rebuilt the table to add it)."""
    reference_data_get()
    UsState.objects.filter(code="TX").update(agency_name_es="Oficina del Fiscal General")
    assert reference_data_get().states["TX"].agency_name_es == "Oficina del Fiscal General"


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
        lambda: FederalContact.objects.create(kind="new_office", name="New office"),
        lambda: FederalContact.objects.filter(kind="ocss_irg").update(researched=False),
        lambda: FederalContact.objects.filter(kind="ocss_irg").delete(),
    ],
    ids=[
        f"{table}-{kind}"
        for table in ("jurisdiction", "state", "arrangement", "contact")
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
    with django_assert_num_queries(5):
        reference_data_get()


def test_a_federal_contact_edit_reaches_the_next_read():
    reference_data_get()
    FederalContact.objects.filter(kind="ocss_irg").update(url="https://example.org/irg")
    assert reference_data_get().contact("ocss_irg").url == "https://example.org/irg"


def test_provenance_columns_reach_the_next_read(django_user_model):
    reference_data_get()
    editor = django_user_model.objects.create_user("editor")
    checked = timezone.now()
    UsState.objects.filter(code="TX").update(verified_by=editor, verified_at=checked)
    StateArrangement.objects.filter(state__code="NY", country__code="CA-QC").update(
        verified_by=editor, verified_at=checked
    )
    reference = reference_data_get()
    texas = reference.states["TX"].provenance
    assert (texas.verified_by, texas.verified_on) == ("editor", checked.date())
    today = checked.date()
    assert texas.knowledge_on(today, stale_days=365) is Knowledge.VERIFIED
    arrangement = reference.arrangement_provenance[("NY", "CA-QC")]
    assert arrangement.knowledge_on(today, stale_days=365) is Knowledge.VERIFIED


def test_a_new_stale_setting_is_applied_without_a_data_edit():
    assert reference_data_get().stale_days == 365
    with override_settings(REFERENCE_STALE_DAYS=30):
        assert reference_data_get().stale_days == 30


def test_the_review_queue_puts_the_longest_unconfirmed_first(django_user_model):
    editor = django_user_model.objects.create_user("editor")
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    UsState.objects.filter(code="TX").update(verified_by=editor, verified_at=long_ago)
    UsState.objects.filter(code="CA").update(verified_by=editor, verified_at=timezone.now())
    queue = review_queue(today=today)
    labels = [item.label for item in queue]
    assert "California (CA)" not in labels
    texas = labels.index("Texas (TX)")
    assert all(item.verified_at is None for item in queue[:texas])
    assert "too long ago" in queue[texas].status
    never_verified = [item for item in queue if item.verified_at is None]
    first_unresearched = next(
        i for i, item in enumerate(never_verified) if item.knowledge is Knowledge.UNRESEARCHED
    )
    assert all(
        item.knowledge is Knowledge.SOURCED_UNVERIFIED
        for item in never_verified[:first_unresearched]
    )


def test_an_unknown_state_of_knowledge_is_an_error_not_stale():
    from routing.selectors import knowledge_condition

    today = timezone.localdate()
    with pytest.raises(ValueError, match="maybe"):
        knowledge_condition("maybe", today=today)
    assert Jurisdiction.objects.filter(knowledge_condition("stale", today=today)).count() == 0


def test_knowledge_counts_take_one_query_per_table(django_user_model, django_assert_num_queries):
    from routing.selectors import REVIEWED_MODELS, knowledge_condition, knowledge_counts

    user = django_user_model.objects.create_user("vera")
    today = timezone.localdate()
    Jurisdiction.objects.filter(code="DE").update(verified_by=user, verified_at=timezone.now())
    Jurisdiction.objects.filter(code="FR").update(
        verified_by=user, verified_at=timezone.now() - datetime.timedelta(days=400)
    )
    with django_assert_num_queries(len(REVIEWED_MODELS)):
        counts = knowledge_counts(today=today)
    assert counts == {
        str(model._meta.verbose_name_plural): {
            knowledge.value: model.objects.filter(
                knowledge_condition(knowledge, today=today)
            ).count()
            for knowledge in Knowledge
        }
        for model in REVIEWED_MODELS
    }
    assert counts["countries and jurisdictions"]["verified"] == 1
