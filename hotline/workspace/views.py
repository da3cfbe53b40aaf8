"""Workspace pages inside the admin: the dashboard, the flow map, the simulator."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases import contacts, selectors
from cases.models import Message
from hotline.twilio.simulator import SimulationError, text_through_webhook
from hotline.workspace import charts, flowmap
from routing.outcomes import outcome_label
from routing.selectors import reference_data_get

GREETINGS = {"en": "hi", "es": "hola"}
#: Texts that never reached the phone (a check-in due in a week, say): not in the transcript.
UNSENT = (Message.Status.SCHEDULED, Message.Status.CANCELED, Message.Status.BLOCKED)
MAX_SIMULATED_TEXT = 1600


def _context(request: HttpRequest, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title}


@permission_required("cases.view_conversation", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    stats = selectors.dashboard_stats()
    context = {
        **_context(request, "Dashboard"),
        "per_day_chart": charts.stacked_columns(
            [f"{day:%m-%d}" for day in stats.days], stats.per_day, title="Conversations per day"
        ),
        "outcomes_chart": charts.horizontal_bars(
            [(outcome_label(code), count) for code, count in stats.outcomes],
            title="Outcomes (30 days)",
        ),
        "countries_chart": charts.horizontal_bars(
            stats.countries, title="Countries named most often (30 days)"
        ),
        "handoff_ages": stats.handoff_ages,
    }
    return TemplateResponse(request, "admin/hotline/dashboard.html", context)


def flow_map(request: HttpRequest) -> HttpResponse:
    reference = reference_data_get()
    today = timezone.localdate()
    text = flowmap.explore(voice=False, reference=reference, today=today)
    call = flowmap.explore(voice=True, reference=reference, today=today)
    context = {
        **_context(request, "Flow map"),
        # The diagrams need the page's width more than the model list does.
        "is_nav_sidebar_enabled": False,
        "text_map": flowmap.diagram(text, first="menu"),
        "call_map": flowmap.diagram(call, first="language"),
        "text_transitions": text,
        "retry_rule": flowmap.RETRY_RULE,
        "decision_rows": flowmap.decision_rows(reference=reference, today=today),
    }
    return TemplateResponse(request, "admin/hotline/flow_map.html", context)


@permission_required("routing.view_jurisdiction", raise_exception=True)
@require_http_methods(["GET", "POST"])
def simulator(request: HttpRequest) -> HttpResponse:
    contact = contacts.simulator_contact_get(user=request.user)
    if request.method == "POST":
        _simulate(request, contact)
        return redirect("admin:simulator")
    transcript = (
        Message.objects.filter(contact=contact, conversation__isnull=False)
        .exclude(status__in=UNSENT)
        .order_by("created_at", "id")
    )
    context = {
        **_context(request, "Simulator"),
        "transcript": list(transcript)[-60:],
        "phone": contact.phone,
        "max_length": MAX_SIMULATED_TEXT,
    }
    return TemplateResponse(request, "admin/hotline/simulator.html", context)


def _simulate(request: HttpRequest, contact) -> None:
    start_over = request.POST.get("start_over", "")
    body = request.POST.get("body", "")
    if start_over in GREETINGS:
        contacts.simulator_reset(contact=contact)
        body = GREETINGS[start_over]
    if not body.strip():
        messages.error(request, "Type a message first.")
        return
    if len(body) > MAX_SIMULATED_TEXT:
        messages.error(request, f"A text is at most {MAX_SIMULATED_TEXT} characters.")
        return
    try:
        text_through_webhook(sender=contact.phone, body=body, host=request.get_host())
    except SimulationError as error:
        messages.error(request, str(error))
