"""Query filters of the staff API lists (django-filter): a given parameter that makes no
sense is a 400 naming it, never silently ignored."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from routing.models import Jurisdiction, UsState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "params", "body"),
    [
        (
            "/api/v1/handoffs/",
            {"status": "lost"},
            {"status": ["Must be one of: open, claimed, resolved."]},
        ),
        (
            "/api/v1/handoffs/",
            {"status": ""},
            {"status": ["Must be one of: open, claimed, resolved."]},
        ),
        (
            "/api/v1/conversations/",
            {"channel": "fax"},
            {"channel": ["Must be one of: sms, whatsapp, voice."]},
        ),
        (
            "/api/v1/states/",
            {"knowledge": "maybe"},
            {"knowledge": ["Must be one of: verified, sourced_unverified, unresearched."]},
        ),
        (
            "/api/v1/states/",
            {"needs_verification": ""},
            {"needs_verification": ["Must be true or false."]},
        ),
        (
            "/api/v1/countries/",
            {"frc": "perhaps", "hague_party": "2"},
            {"frc": ["Must be true or false."], "hague_party": ["Must be true or false."]},
        ),
    ],
)
def test_a_bad_filter_value_is_400_naming_the_parameter(api, path, params, body):
    response = api.get(path, params)
    assert response.status_code == 400
    assert response.json() == body


@pytest.mark.parametrize(
    ("word", "frc"),
    [("true", True), ("YES", True), ("1", True), ("False", False), ("no", False), ("0", False)],
)
def test_yes_and_no_words(api, word, frc):
    rows = api.get("/api/v1/countries/", {"frc": word, "limit": 500}).json()
    assert rows["count"] == Jurisdiction.objects.filter(frc=frc).count()
    assert {row["frc"] for row in rows["results"]} == {frc}


def test_an_absent_or_empty_search_does_not_filter(api):
    everything = UsState.objects.count()
    assert api.get("/api/v1/states/", {"search": "  "}).json()["count"] == everything
    assert api.get("/api/v1/states/", {"search": "tex"}).json()["count"] == 1


def test_a_detail_is_filtered_like_its_list(api):
    assert api.get("/api/v1/countries/DE/", {"frc": "perhaps"}).status_code == 400
    assert api.get("/api/v1/states/TX/", {"knowledge": "unresearched"}).status_code == 404


def test_a_phone_filter_without_the_permission_is_refused_before_other_checks(django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="pw-view-1", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_conversation"))
    client = APIClient()
    client.force_login(viewer)
    response = client.get("/api/v1/conversations/", {"phone": "+15125550100", "channel": "fax"})
    assert response.status_code == 403
    assert client.get("/api/v1/conversations/", {"channel": "fax"}).status_code == 400
