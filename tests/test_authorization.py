"""Who may do what: every role against every part of the API and the admin."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cases.models import Handoff
from cases.texts import inbound_text_handle
from staff.roles import DATA_EDITORS, HOTLINE_STAFF
from tests.twilio_helpers import new_sid

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff_without_permissions", "data_editor", "hotline_staff")
DENIED = {401, 403}


@pytest.fixture
def clients(django_user_model):
    def client_for(role):
        client = APIClient()
        if role == "anonymous":
            return client
        user = django_user_model.objects.create_user(role, password="pw-role-123", is_staff=True)
        groups = {"data_editor": [DATA_EDITORS], "hotline_staff": [HOTLINE_STAFF]}.get(role, [])
        user.groups.set(Group.objects.filter(name__in=groups))
        client.force_login(user)
        return client

    return {role: client_for(role) for role in ROLES}


@pytest.fixture
def handoff():
    inbound_text_handle(address="+15125550188", body="AGENT", message_sid=new_sid())
    return Handoff.objects.get()


# (method, path, body, roles allowed)
API_MATRIX = [
    ("get", "/api/v1/countries/", None, {"data_editor", "hotline_staff"}),
    ("patch", "/api/v1/countries/MX/", {"notes": "x"}, {"data_editor"}),
    ("post", "/api/v1/countries/", {"code": "XK", "name": "Kosovo"}, {"data_editor"}),
    ("delete", "/api/v1/countries/DE/", None, {"data_editor"}),
    ("get", "/api/v1/states/", None, {"data_editor", "hotline_staff"}),
    ("patch", "/api/v1/states/TX/", {"notes": "x"}, {"data_editor"}),
    ("post", "/api/v1/arrangements/", {"state": "TX", "country": "MX"}, {"data_editor"}),
    (
        "post",
        "/api/v1/guidance/",
        {"caller": "US-TX", "other_parent": "DE"},
        {"data_editor", "hotline_staff"},
    ),
    ("get", "/api/v1/conversations/", None, {"hotline_staff"}),
    ("get", "/api/v1/messages/", None, {"hotline_staff"}),
    ("get", "/api/v1/handoffs/", None, {"hotline_staff"}),
    ("post", "/api/v1/handoffs/{handoff}/claim/", None, {"hotline_staff"}),
    ("post", "/api/v1/handoffs/{handoff}/reply/", {"body": "Hello"}, {"hotline_staff"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "allowed"), API_MATRIX)
def test_api_matrix(clients, handoff, role, method, path, body, allowed):
    response = getattr(clients[role], method)(path.format(handoff=handoff.pk), body, format="json")
    if role in allowed:
        assert response.status_code < 400, (response.status_code, response.content[:200])
    else:
        assert response.status_code in DENIED, response.status_code


ADMIN_MATRIX = [
    ("/admin/", {"staff_without_permissions", "data_editor", "hotline_staff"}),
    ("/admin/routing/jurisdiction/", {"data_editor", "hotline_staff"}),
    ("/admin/routing/jurisdiction/import/", {"data_editor"}),
    ("/admin/routing/jurisdiction/add/", {"data_editor"}),
    ("/admin/cases/handoff/", {"hotline_staff"}),
    ("/admin/cases/conversation/", {"hotline_staff"}),
    ("/admin/cases/contact/", {"hotline_staff"}),
    ("/admin/dashboard/", {"hotline_staff"}),
    ("/admin/simulator/", {"data_editor", "hotline_staff"}),
    ("/admin/flow-map/", {"staff_without_permissions", "data_editor", "hotline_staff"}),
    ("/admin/auth/user/", set()),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed"), ADMIN_MATRIX)
def test_admin_matrix(clients, role, path, allowed):
    response = clients[role].get(path)
    if role in allowed:
        assert response.status_code == 200, response.status_code
    elif role == "anonymous":
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 403, response.status_code


def test_numbers_are_masked_for_staff_without_the_permission(clients, handoff, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw-view-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_handoff"))
    client = APIClient()
    client.force_login(viewer)
    masked = client.get("/api/v1/handoffs/").json()["results"][0]["phone"]
    full = clients["hotline_staff"].get("/api/v1/handoffs/").json()["results"][0]["phone"]
    assert full == "+15125550188"
    assert masked.endswith("88")
    assert "5125550188" not in masked
