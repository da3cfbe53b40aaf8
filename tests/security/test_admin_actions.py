"""Finding 8: an admin action needs the permission its effect needs; view-only users get none
of them."""

import pytest
from django.contrib.auth.models import Permission

from cases.models import Handoff
from cases.texts import inbound_text_handle
from routing.models import UsState
from tests.twilio_helpers import new_sid

pytestmark = pytest.mark.django_db


def _run_action(client, changelist: str, action: str, pk: int):
    return client.post(changelist, {"action": action, "_selected_action": [pk], "index": 0})


def test_read_only_staff_cannot_mark_reference_rows_verified(hotline_staff_client):
    state = UsState.objects.get(code="LA")
    state.needs_verification = True
    state.save()
    response = _run_action(
        hotline_staff_client, "/admin/routing/usstate/", "mark_verified", state.pk
    )
    assert response.status_code in (200, 302, 403)
    state.refresh_from_db()
    assert state.needs_verification
    assert state.verified_at is None


def test_view_only_user_cannot_resolve_or_claim_handoffs(client, django_user_model):
    inbound_text_handle(address="+15125550188", body="AGENT", message_sid=new_sid())
    handoff = Handoff.objects.get()
    viewer = django_user_model.objects.create_user("viewer", password="pw-view-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_handoff"))
    client.force_login(viewer)
    for action in ("resolve", "claim"):
        _run_action(client, "/admin/cases/handoff/", action, handoff.pk)
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.OPEN


def test_data_editor_may_mark_verified(data_editor_client):
    state = UsState.objects.get(code="LA")
    assert state.verified_at is None
    _run_action(data_editor_client, "/admin/routing/usstate/", "mark_verified", state.pk)
    state.refresh_from_db()
    assert state.verified_at is not None


def test_a_user_who_may_only_view_is_offered_no_action(django_user_model):
    from django.contrib import admin
    from django.test import RequestFactory

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    request = RequestFactory().get("/admin/")
    request.user = viewer
    offered = {
        model.__name__: list(model_admin.get_actions(request))
        for model, model_admin in admin.site._registry.items()
    }
    assert all(actions == [] for actions in offered.values()), offered
