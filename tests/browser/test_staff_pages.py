"""The workspace as staff meet it (issue 16): the queue's order, what a handoff shows,
search by number, outcome labels, page widths and the offline API docs."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from cases.calls import call_step_handle
from cases.flow import Inbound
from cases.models import Contact, Conversation, Handoff, Message
from cases.texts import inbound_text_handle
from hotline.twilio.voice import render_step
from routing.models import Jurisdiction
from staff.roles import DATA_EDITORS
from tests.browser.conftest import log_in, shot, staff
from tests.twilio_helpers import new_sid

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _handoff(phone: str, *, reason: str, priority: str, status: str, minutes_ago: int) -> Handoff:
    contact = Contact.objects.create(phone=phone)
    conversation = Conversation.objects.create(contact=contact, channel="sms", step="handoff")
    handoff = Handoff.objects.create(
        conversation=conversation, contact=contact, reason=reason, priority=priority, status=status
    )
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Handoff.objects.filter(pk=handoff.pk).update(created_at=created)
    return handoff


def test_queue_lists_open_urgent_oldest_first(page, hotline_staff):
    made = {
        "resolved_old": _handoff(
            "+15125550101",
            reason="requested",
            priority="normal",
            status="resolved",
            minutes_ago=500,
        ),
        "claimed_old": _handoff(
            "+15125550102", reason="requested", priority="normal", status="claimed", minutes_ago=400
        ),
        "normal_old": _handoff(
            "+15125550103", reason="requested", priority="normal", status="open", minutes_ago=300
        ),
        "normal_new": _handoff(
            "+15125550104", reason="unrecognized", priority="normal", status="open", minutes_ago=5
        ),
        "urgent_new": _handoff(
            "+15125550105", reason="abduction", priority="urgent", status="open", minutes_ago=2
        ),
        "urgent_old": _handoff(
            "+15125550106", reason="abduction", priority="urgent", status="open", minutes_ago=20
        ),
    }
    log_in(page, "hana")
    page.goto("/admin/cases/handoff/")
    rows = page.locator("#result_list tbody tr th a").all_inner_texts()
    expected = [
        "urgent_old",
        "urgent_new",
        "normal_old",
        "normal_new",
        "claimed_old",
        "resolved_old",
    ]
    assert rows == [str(made[name].pk) for name in expected]
    expect(page.locator("#result_list tbody tr").first).to_contain_text("Urgent")
    shot(page, "handoff_queue_order")


def _text(phone: str, *bodies: str) -> None:
    for body in bodies:
        inbound_text_handle(address=phone, body=body, message_sid=new_sid())


def _call(phone: str, *answers: Inbound) -> None:
    """A phone call through the same service the voice webhook uses."""
    sid = new_sid("CA")
    for step, inbound in enumerate((Inbound(), *answers)):
        call_step_handle(
            call_sid=sid, address=phone, step=step, inbound=inbound, render=render_step
        )


def test_voice_handoff_shows_what_was_said_and_pressed(page, hotline_staff):
    _call("+15125550161", Inbound(digits="1"), Inbound(digits="1"), Inbound(digits="0"))
    handoff = Handoff.objects.get()
    log_in(page, "hana")
    page.goto(f"/admin/cases/handoff/{handoff.pk}/change/")
    transcript = page.locator(".transcript")
    expect(transcript).to_contain_text("For English, press 1.")
    expect(transcript).to_contain_text("[pressed 1]")
    expect(transcript).to_contain_text("[pressed 0]")
    expect(transcript).to_contain_text("[recording a voicemail]")
    expect(transcript).to_contain_text("spoken on the call")
    summary = page.locator(".handoff-summary")
    expect(summary.get_by_role("row", name="Channel Voice")).to_be_visible()
    expect(summary.get_by_role("row", name="Language English")).to_be_visible()
    shot(page, "handoff_voice_transcript")


def test_handoff_summary_and_twiml_replies_as_they_are(page, hotline_staff):
    _text("+15125550162", "hi", "1", "Texas", "Germany", "AGENT")
    handoff = Handoff.objects.get()
    log_in(page, "hana")
    page.goto(f"/admin/cases/handoff/{handoff.pk}/change/")
    summary = page.locator(".handoff-summary")
    for row in (
        "Caller lives in Texas",
        "Other parent lives in Germany",
        "Outcome Caller in the U.S., other parent in a treaty country",
        "Language English",
        "Channel SMS",
    ):
        expect(summary.get_by_role("row", name=row)).to_be_visible()
    expect(page.locator(".transcript")).to_contain_text("answered in TwiML")
    expect(page.locator(".transcript")).not_to_contain_text("sending")
    shot(page, "handoff_summary")


def test_conversations_are_found_by_phone_number(page, hotline_staff, django_user_model):
    _text("+15125550163", "hi")
    _text("+15125550164", "hi")
    log_in(page, "hana")
    for term in ("(512) 555-0163", "+15125550163", "0163"):
        page.goto(f"/admin/cases/conversation/?q={term}")
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("+15125550163")
    shot(page, "conversation_search_by_phone")
    page.context.clear_cookies()
    viewer = staff(django_user_model, "vic")
    viewer.user_permissions.add(Permission.objects.get(codename="view_conversation"))
    log_in(page, "vic")
    page.goto("/admin/cases/conversation/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.goto("/admin/cases/conversation/?q=5125550163")
    expect(page.locator("#result_list")).to_have_count(0)
    expect(page.locator("#changelist")).to_contain_text("0 results")
    shot(page, "conversation_search_without_numbers")


def test_outcomes_read_as_labels(page, hotline_staff):
    _text("+15125550165", "hi", "1", "Texas", "Germany")
    log_in(page, "hana")
    label = "Caller in the U.S., other parent in a treaty country"
    page.goto("/admin/dashboard/")
    expect(page.locator("#outcomes svg")).to_contain_text(label)
    expect(page.locator("#outcomes svg")).not_to_contain_text("us_caller_treaty_country")
    page.goto("/admin/cases/conversation/")
    expect(page.locator("#result_list")).to_contain_text(label)
    expect(page.locator("#result_list")).not_to_contain_text("us_caller_treaty_country")
    expect(page.locator("#changelist-filter")).to_contain_text("Child abduction (urgent)")
    shot(page, "conversation_list_labels")


#: A common laptop screen: no page may scroll sideways on it.
LAPTOP = {"width": 1366, "height": 800}


def _fits(page) -> int:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= LAPTOP["width"], (page.url, width)
    return width


def test_pages_fit_a_laptop_screen(page, hotline_staff, django_user_model):
    staff(django_user_model, "dana", DATA_EDITORS)
    _text("+15125550166", "hi", "1", "Texas", "Germany", "AGENT")
    page.set_viewport_size(LAPTOP)
    log_in(page, "dana")
    quebec = Jurisdiction.objects.get(code="CA-QC")
    assert quebec.arrangements.count() >= 5
    page.goto(f"/admin/routing/jurisdiction/{quebec.pk}/change/")
    _fits(page)
    shot(page, "country_change_form_1366")
    page.context.clear_cookies()
    log_in(page, "hana")
    page.goto(f"/admin/cases/handoff/{Handoff.objects.get().pk}/change/")
    _fits(page)
    page.goto("/admin/dashboard/")
    _fits(page)
    page.goto("/admin/flow-map/")
    _fits(page)
    for diagram in ("#text-map", "#call-map"):
        box = page.locator(diagram).bounding_box()
        drawn = page.locator(f"{diagram} svg").bounding_box()
        assert drawn["x"] >= box["x"]
        assert drawn["x"] + drawn["width"] <= box["x"] + box["width"]
    shot(page, "flow_map_1366")
    page.click("#call-map")
    scroll = page.evaluate(
        "(() => { const d = document.querySelector('#call-map'); "
        "return [d.scrollWidth, d.clientWidth]; })()"
    )
    assert scroll[0] > scroll[1]


def test_api_docs_render_offline(page, live_server):
    """Swagger UI comes from the project: every request the page makes stays on the server."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text(
        "Child support hotline: staff API"
    )
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    shot(page, "api_docs_offline")
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert outside == []
    assert any("swagger-ui-dist" in url for url in requested)


def test_reply_on_a_resolved_or_someone_elses_handoff_asks_first(
    page, hotline_staff, django_user_model
):
    from staff.roles import HOTLINE_STAFF

    _text("+15125550167", "hi", "AGENT")
    handoff = Handoff.objects.get()
    other = staff(django_user_model, "olga", HOTLINE_STAFF)
    Handoff.objects.filter(pk=handoff.pk).update(status="claimed", assigned_to=other)
    log_in(page, "hana")
    page.goto(f"/admin/cases/handoff/{handoff.pk}/change/")
    expect(page.locator(".reply-warning")).to_contain_text("olga has claimed this handoff")
    page.fill("#id_reply", "Hello from Hana.")
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist")).to_contain_text("Tick this box to send the reply")
    assert not Message.objects.filter(purpose="staff_reply").exists()
    shot(page, "handoff_reply_needs_confirming")
    page.check("#id_send_anyway")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Reply queued")
    assert Message.objects.get(purpose="staff_reply").body == "Hello from Hana."
    Handoff.objects.filter(pk=handoff.pk).update(status="resolved")
    page.goto(f"/admin/cases/handoff/{handoff.pk}/change/")
    expect(page.locator(".reply-warning")).to_contain_text("This handoff is resolved")
    page.fill("#id_reply", "Did you reach them?")
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist")).to_contain_text("Tick this box")
    assert Message.objects.filter(purpose="staff_reply").count() == 1
