"""The staff workspace in a real browser: data editing, CSV import, the handoff queue,
roles, the simulator, the dashboard and the flow map."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from cases.models import Handoff, Message
from cases.texts import inbound_text_handle
from routing.models import Jurisdiction
from tests.browser.conftest import log_in, shot, staff
from tests.twilio_helpers import new_sid

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_edit_a_country_and_see_its_history(page, data_editor):
    log_in(page, "dana")
    page.goto("/admin/routing/jurisdiction/?q=mexico")
    page.click("#result_list a:text-is('Mexico')")
    shot(page, "country_change_form")
    page.fill("#id_notes", "Checked with OCSS on the phone.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.check("#id_frc")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    mexico = Jurisdiction.objects.get(code="MX")
    assert mexico.frc is True
    assert mexico.notes == "Checked with OCSS on the phone."
    page.goto(f"/admin/routing/jurisdiction/{mexico.pk}/history/")
    expect(page.locator("#content")).to_contain_text("dana")
    expect(page.locator("#content")).to_contain_text("U.S. Foreign Reciprocating Country")
    shot(page, "country_history")


def test_mark_verified_records_who_and_when(page, data_editor):
    log_in(page, "dana")
    page.goto("/admin/routing/jurisdiction/?knowledge=sourced_unverified&q=guyana")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "mark_verified")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("1 row(s) marked as verified")
    guyana = Jurisdiction.objects.get(code="GY")
    assert guyana.verified_by == data_editor
    assert guyana.verified_at is not None


def test_import_a_csv_with_preview(page, data_editor, tmp_path):
    csv_file = tmp_path / "countries.csv"
    csv_file.write_text(
        "code,name,name_es,hague_party,hague_in_force_with_us,frc,central_authority_name,"
        "central_authority_url,central_authority_phone,researched,source,notes\n"
        "NZ,New Zealand,Nueva Zelanda,1,2021-11-01,0,Inland Revenue,https://www.ird.govt.nz/,"
        ",1,NZ Inland Revenue page,Central Authority confirmed\n"
    )
    log_in(page, "dana")
    page.goto("/admin/routing/jurisdiction/import/")
    page.set_input_files("input[type=file]", str(csv_file))
    page.select_option("select[name=format]", label="csv")
    page.click("input[type=submit]")
    expect(page.locator("#content")).to_contain_text("Preview")
    expect(page.locator("#content")).to_contain_text("Inland Revenue")
    shot(page, "csv_import_preview")
    assert Jurisdiction.objects.get(code="NZ").central_authority_name == ""
    page.click("input[type=submit][name=confirm], input[type=submit]:has-text('Confirm')")
    expect(page.locator(".messagelist")).to_contain_text("Import finished")
    assert Jurisdiction.objects.get(code="NZ").central_authority_name == "Inland Revenue"


def test_bad_csv_shows_the_errors_and_changes_nothing(page, data_editor, tmp_path):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("code,name,hague_party,hague_in_force_with_us\nMX,Mexico,0,2020-01-01\n")
    log_in(page, "dana")
    page.goto("/admin/routing/jurisdiction/import/")
    page.set_input_files("input[type=file]", str(csv_file))
    page.select_option("select[name=format]", label="csv")
    page.click("input[type=submit]")
    expect(page.locator("#content")).to_contain_text("Only a party to the Convention")
    assert Jurisdiction.objects.get(code="MX").hague_in_force_with_us is None


def test_claim_and_reply_to_a_handoff(page, hotline_staff):
    for body in ("hi", "AGENT"):
        inbound_text_handle(address="+15125550177", body=body, message_sid=new_sid())
    log_in(page, "hana")
    page.goto("/admin/cases/handoff/")
    expect(page.locator("#result_list")).to_contain_text("Requested")
    shot(page, "handoff_queue")
    page.click("#result_list tbody th a")
    expect(page.locator(".transcript")).to_contain_text("AGENT")
    page.click("input[name=_claim]")
    handoff = Handoff.objects.get()
    assert (handoff.status, handoff.assigned_to) == ("claimed", hotline_staff)
    page.fill("#id_notes", "Called twice, no answer.")
    page.fill("#id_reply", "Hello, this is Hana from the hotline. When can we call you?")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Reply queued")
    reply = Message.objects.get(purpose="staff_reply")
    assert reply.body.startswith("Hello, this is Hana")
    assert reply.twilio_sid  # sent by the console sender (no Twilio credentials in tests)
    handoff.refresh_from_db()
    assert handoff.notes == "Called twice, no answer."
    shot(page, "handoff_after_reply")
    page.click("input[name=_resolve]")
    handoff.refresh_from_db()
    assert handoff.status == "resolved"


def test_roles_see_only_their_part(page, data_editor, hotline_staff, django_user_model):
    inbound_text_handle(address="+15125550178", body="AGENT", message_sid=new_sid())
    log_in(page, "dana")
    expect(page.locator("#content-main")).not_to_contain_text("Handoffs")
    assert page.goto("/admin/cases/handoff/").status == 403
    assert page.goto("/admin/dashboard/").status == 403
    page.context.clear_cookies()
    log_in(page, "hana")
    mexico = Jurisdiction.objects.get(code="MX")
    page.goto(f"/admin/routing/jurisdiction/{mexico.pk}/change/")
    expect(page.locator("input[name=_save]")).to_have_count(0)
    assert page.goto("/admin/routing/jurisdiction/import/").status == 403
    page.goto("/admin/cases/handoff/")
    expect(page.locator("#result_list")).to_contain_text("+15125550178")
    page.context.clear_cookies()
    viewer = staff(django_user_model, "vic")
    viewer.user_permissions.add(Permission.objects.get(codename="view_handoff"))
    log_in(page, "vic")
    page.goto("/admin/cases/handoff/")
    expect(page.locator("#result_list")).not_to_contain_text("+15125550178")
    expect(page.locator("#result_list")).to_contain_text("78")
    shot(page, "handoff_queue_masked")


def test_simulator_conversation_in_both_languages(page, data_editor, twilio_settings):
    log_in(page, "dana")
    page.goto("/admin/simulator/")
    for text in ("hi", "1", "Texas", "Germany"):
        page.fill("#id_body", text)
        page.click("#simulator-form input[type=submit]")
    expect(page.locator("#transcript")).to_contain_text("1-800-252-8014")
    shot(page, "simulator_english")
    page.click("button[value=es]")
    expect(page.locator("#transcript")).to_contain_text("Le damos la bienvenida")
    page.fill("#id_body", "1")
    page.click("#simulator-form input[type=submit]")
    expect(page.locator("#transcript")).to_contain_text("¿Dónde vive usted?")
    shot(page, "simulator_spanish")


def test_simulator_sees_a_data_edit_on_the_next_message(page, data_editor, twilio_settings):
    log_in(page, "dana")
    page.goto("/admin/simulator/")
    for text in ("hi", "1", "Texas"):
        page.fill("#id_body", text)
        page.click("#simulator-form input[type=submit]")
    Jurisdiction.objects.filter(code="MX").update(frc=True)
    page.fill("#id_body", "Mexico")
    page.click("#simulator-form input[type=submit]")
    expect(page.locator("#transcript")).to_contain_text("has a child support agreement with Mexico")


def test_dashboard_and_flow_map(page, hotline_staff):
    for body in ("hi", "1", "Texas", "Germany"):
        inbound_text_handle(address="+15125550179", body=body, message_sid=new_sid())
    log_in(page, "hana")
    page.goto("/admin/dashboard/")
    expect(page.locator("#outcomes svg")).to_contain_text("Caller in the U.S., other parent in a")
    expect(page.locator("#countries svg")).to_contain_text("DE")
    shot(page, "dashboard")
    page.goto("/admin/flow-map/")
    expect(page.locator("#text-map svg")).to_contain_text("follow_up (us_ties)")
    expect(page.locator("#decision-table")).to_contain_text("us_caller_state_reciprocity")
    shot(page, "flow_map")


def test_failed_logins_are_throttled(page, data_editor):
    for _ in range(5):
        log_in(page, "dana", password="wrong-password")
    log_in(page, "dana")
    expect(page.locator("#content")).to_contain_text("Too many failed logins")
