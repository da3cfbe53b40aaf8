"""The HCCH status table importer: a diff first, applied only when staff confirm it."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from routing.hcch import HcchFileError, hcch_diff, parse_hcch_date, parse_status_table
from routing.models import HcchImport, Jurisdiction
from routing.seed import US_ISO_CODES, reference_data_from_files

FIXTURE = Path(__file__).parent / "fixtures" / "hcch_status_table.html"


def test_dates_in_the_tables_form():
    assert parse_hcch_date("1-VIII-2014") == datetime.date(2014, 8, 1)
    assert parse_hcch_date("2025-03-23") == datetime.date(2025, 3, 23)
    assert parse_hcch_date("") is None
    with pytest.raises(HcchFileError):
        parse_hcch_date("32-XIII-2020")


def test_the_saved_html_gives_one_entry_per_state():
    entries = {entry.state: entry for entry in parse_status_table(FIXTURE.read_text())}
    assert entries["Botswana"].consent == "A"
    assert entries["Botswana"].in_force_since == datetime.date(2023, 11, 16)
    assert entries["European Union"].consent == "AP"
    assert entries["Burkina Faso"].in_force_since is None


def test_a_csv_with_the_same_columns_is_read_alike():
    text = "State,Type,EIF\nBotswana,A,16-XI-2023\nGeorgia,R,2024-09-01\n"
    assert [(e.state, e.in_force_since) for e in parse_status_table(text)] == [
        ("Botswana", datetime.date(2023, 11, 16)),
        ("Georgia", datetime.date(2024, 9, 1)),
    ]


def test_a_file_without_the_table_is_refused():
    with pytest.raises(HcchFileError):
        parse_status_table("<html><body><p>Page not found</p></body></html>")


def test_the_diff_against_the_files_data():
    reference = reference_data_from_files()
    entries = parse_status_table(FIXTURE.read_text())
    diff = hcch_diff(entries, dict(reference.jurisdictions), us_codes=US_ISO_CODES)
    changes = {(c.code, c.field): (c.old, c.new) for c in diff.changes}
    # Recorded already: no change for the joiners' own dates.
    for code in ("BW", "CV", "DO", "GE", "NZ"):
        assert (code, "hague_in_force_for_country") not in changes
    # The EU's date reaches each member state; the U.K. and Albania get their own.
    assert changes[("DE", "hague_in_force_for_country")] == ("", "2014-08-01")
    assert changes[("GB", "hague_in_force_for_country")] == ("", "2021-01-01")
    assert ("BF", "hague_party") not in changes  # signed only: not a party
    assert diff.unmatched == ("Vanuatu (test row: a state the data does not name)",)
    assert "UA" in diff.not_in_table  # a party the excerpt leaves out: listed, not changed
    assert "DK" not in diff.not_in_table


@pytest.mark.django_db
def test_the_command_shows_the_diff_and_changes_nothing(capsys):
    before = Jurisdiction.objects.get(code="DE").hague_in_force_for_country
    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    output = capsys.readouterr().out
    assert "DE     Germany: hague_in_force_for_country (empty) -> 2014-08-01" in output
    assert "Not in the data: Vanuatu" in output
    assert "/admin/routing/hcchimport/" in output
    pending = HcchImport.objects.get()
    assert pending.status == HcchImport.Status.PENDING
    assert pending.table_as_of == datetime.date(2026, 12, 1)
    assert Jurisdiction.objects.get(code="DE").hague_in_force_for_country == before


@pytest.mark.django_db
def test_the_command_refuses_a_file_that_is_not_the_table(tmp_path):
    page = tmp_path / "error.html"
    page.write_text("<html><body>Service unavailable</body></html>")
    with pytest.raises(CommandError, match="No status table"):
        call_command("reference_import_hcch", str(page))
    assert not HcchImport.objects.exists()


@pytest.mark.django_db
def test_staff_apply_the_import_in_the_admin(client, django_user_model):
    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    pending = HcchImport.objects.get()
    editor = django_user_model.objects.create_superuser("editor", password="pw-editor-1")
    client.force_login(editor)
    page = client.get(f"/admin/routing/hcchimport/{pending.pk}/change/")
    assert page.status_code == 200
    assert b"2014-08-01" in page.content
    response = client.post(
        "/admin/routing/hcchimport/",
        {"action": "apply_imports", "_selected_action": [pending.pk], "index": 0},
    )
    assert response.status_code == 302
    germany = Jurisdiction.objects.get(code="DE")
    assert germany.hague_in_force_for_country == datetime.date(2014, 8, 1)
    assert germany.source_date == datetime.date(2026, 12, 1)
    assert "hcch.net" in germany.source
    latest = germany.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        editor,
        f"HCCH status table import #{pending.pk}",
    )
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (HcchImport.Status.APPLIED, editor)
    client.post(
        "/admin/routing/hcchimport/",
        {"action": "apply_imports", "_selected_action": [pending.pk], "index": 0},
    )
    assert germany.history.count() == Jurisdiction.objects.get(code="DE").history.count()


@pytest.mark.django_db
def test_a_hotline_staff_member_cannot_apply_an_import(client, django_user_model):
    from django.contrib.auth.models import Group

    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    pending = HcchImport.objects.get()
    staff = django_user_model.objects.create_user("hana", password="pw-hana-1", is_staff=True)
    staff.groups.add(Group.objects.get(name="Hotline staff"))
    client.force_login(staff)
    client.post(
        "/admin/routing/hcchimport/",
        {"action": "apply_imports", "_selected_action": [pending.pk], "index": 0},
    )
    pending.refresh_from_db()
    assert pending.status == HcchImport.Status.PENDING
    assert Jurisdiction.objects.get(code="DE").hague_in_force_for_country is None


@pytest.mark.django_db
def test_the_data_editors_role_covers_the_new_reference_tables():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Data editors").permissions.values_list("codename", flat=True)
    )
    assert {"change_hcchimport", "change_federalcontact", "view_federalcontact"} <= codenames
    hotline = Group.objects.get(name="Hotline staff").permissions.values_list("codename", flat=True)
    assert "view_federalcontact" in hotline
    assert "change_hcchimport" not in hotline


def _editor_with(django_user_model, *codenames):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("perm", password="pw-perm-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("codenames", "applied"),
    [
        (("view_hcchimport", "change_hcchimport", "change_jurisdiction"), True),
        (("view_hcchimport", "change_jurisdiction"), False),
        (("view_hcchimport", "change_hcchimport"), False),
    ],
)
def test_applying_an_import_needs_both_change_permissions(
    client, django_user_model, codenames, applied
):
    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    pending = HcchImport.objects.get()
    client.force_login(_editor_with(django_user_model, *codenames))
    client.post(
        "/admin/routing/hcchimport/",
        {"action": "apply_imports", "_selected_action": [pending.pk], "index": 0},
    )
    pending.refresh_from_db()
    assert (pending.status == HcchImport.Status.APPLIED) is applied


@pytest.mark.django_db
def test_discarding_an_import_needs_its_change_permission(client, django_user_model):
    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    pending = HcchImport.objects.get()
    client.force_login(_editor_with(django_user_model, "view_hcchimport", "change_jurisdiction"))
    client.post(
        "/admin/routing/hcchimport/",
        {"action": "discard_imports", "_selected_action": [pending.pk], "index": 0},
    )
    pending.refresh_from_db()
    assert pending.status == HcchImport.Status.PENDING


@pytest.mark.django_db
def test_an_import_applied_meanwhile_by_someone_else_is_a_warning(
    client, django_user_model, monkeypatch
):
    from django.contrib.messages import WARNING, get_messages

    from routing import services

    call_command("reference_import_hcch", str(FIXTURE), "--as-of", "2026-12-01")
    pending = HcchImport.objects.get()
    other = django_user_model.objects.create_superuser("other", password="pw-other-1")
    editor = django_user_model.objects.create_superuser("editor", password="pw-editor-1")
    apply = services.hcch_import_apply

    def applied_first_by_the_other(*, hcch_import, actor):
        apply(hcch_import=hcch_import, actor=other)
        return apply(hcch_import=hcch_import, actor=actor)

    monkeypatch.setattr(services, "hcch_import_apply", applied_first_by_the_other)
    client.force_login(editor)
    response = client.post(
        "/admin/routing/hcchimport/",
        {"action": "apply_imports", "_selected_action": [pending.pk], "index": 0},
    )
    assert response.status_code == 302
    warnings = [m.message for m in get_messages(response.wsgi_request) if m.level == WARNING]
    assert warnings == ["This import is already applied."]
    pending.refresh_from_db()
    assert pending.decided_by == other
