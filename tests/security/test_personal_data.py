"""Finding 10: an opt-out is the caller's alone (no one clears it by hand), and staff without
the phone permission cannot probe for a number with ``?phone=``."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from cases.models import Contact
from cases.texts import inbound_text_handle
from tests.twilio_helpers import new_sid

pytestmark = pytest.mark.django_db

CALLER = "+15125550188"


@pytest.fixture
def opted_out():
    inbound_text_handle(address=CALLER, body="hi", message_sid=new_sid())
    inbound_text_handle(address=CALLER, body="STOP", message_sid=new_sid())
    return Contact.objects.get(phone=CALLER)


def test_a_superuser_cannot_clear_an_opt_out_in_the_admin(admin_client, opted_out):
    url = f"/admin/cases/contact/{opted_out.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    assert "opted_out" not in form.fields
    admin_client.post(url, {"language": "en", "opted_out": ""})
    opted_out.refresh_from_db()
    assert opted_out.opted_out


def test_the_callers_start_still_clears_it(opted_out):
    inbound_text_handle(address=CALLER, body="START", message_sid=new_sid())
    opted_out.refresh_from_db()
    assert not opted_out.opted_out


@pytest.fixture
def viewer(django_user_model):
    """May read conversations, messages, handoffs and contacts, but not see numbers."""
    user = django_user_model.objects.create_user("viewer", password="pw-view-1", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_conversation", "view_message", "view_handoff", "view_contact"]
        )
    )
    return user


@pytest.mark.parametrize("path", ["/api/v1/conversations/", "/api/v1/messages/"])
def test_the_api_refuses_a_phone_filter_without_the_permission(viewer, opted_out, path):
    client = APIClient()
    client.force_login(viewer)
    assert client.get(path).status_code == 200
    for probe in (CALLER, "+15125550100"):
        response = client.get(path, {"phone": probe})
        assert response.status_code == 403
        assert "phone" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "/admin/cases/contact/?phone=%2B15125550188",
        "/admin/cases/contact/?phone__startswith=%2B1512",
        "/admin/cases/conversation/?contact__phone=%2B15125550188",
        "/admin/cases/handoff/?contact__phone__startswith=%2B1512",
    ],
)
def test_the_admin_refuses_a_phone_lookup_without_the_permission(client, viewer, opted_out, query):
    client.force_login(viewer)
    response = client.get(query)
    assert response.status_code == 400


def test_staff_with_the_permission_may_filter_by_phone(api, opted_out):
    response = api.get("/api/v1/conversations/", {"phone": CALLER})
    assert response.status_code == 200
    assert response.json()["count"] == 1
