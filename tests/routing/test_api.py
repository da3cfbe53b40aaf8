"""Staff REST API (contract §5): auth, guidance, reciprocity data, bad input."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from routing.models import Jurisdiction, StateArrangement, UsState

pytestmark = pytest.mark.django_db

GUIDANCE = "/api/v1/guidance/"
IN_FORCE = "hague_in_force_with_us"
AUTHORITY_URL = "central_authority_url"


def guidance(api, **body):
    return api.post(GUIDANCE, body, format="json")


# --- authentication and permissions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/countries/"),
        ("get", "/api/v1/states/"),
        ("get", "/api/v1/arrangements/"),
        ("post", GUIDANCE),
    ],
)
def test_anonymous_is_refused(method, url):
    response = getattr(APIClient(), method)(url)
    assert response.status_code in (401, 403)


def test_logged_in_non_staff_is_refused(django_user_model):
    user = django_user_model.objects.create_user("parent", password="pw-parent-1")
    client = APIClient()
    client.force_login(user)
    assert client.get("/api/v1/countries/").status_code == 403


def test_wrong_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/countries/").status_code == 401


def test_staff_session_works(staff_user):
    client = APIClient()
    client.force_login(staff_user)
    assert client.get("/api/v1/states/TX/").json()["code"] == "TX"


def test_schema_and_docs_are_served(api):
    schema = APIClient().get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/guidance/" in schema.content
    assert APIClient().get("/api/docs/").status_code == 200


# --- guidance -------------------------------------------------------------------------------


def test_guidance_with_codes(api):
    response = guidance(api, caller="US-TX", other_parent="DE")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "us_caller_treaty_country"
    assert body["caller_place"] == {"kind": "us_state", "code": "US-TX", "name": "Texas"}
    assert body["other_parent_place"]["code"] == "DE"
    texas = UsState.objects.get(code="TX")
    assert texas.agency_name in body["message"]
    assert texas.agency_phone in body["message"]
    assert body["contacts"][0]["kind"] == "state_agency"
    assert body["faq"] == ["Q4", "Q8"]
    assert body["needs_verification"] is True


def test_guidance_in_spanish_with_free_text(api):
    body = guidance(api, caller="Nueva York", other_parent="Alemania", language="es").json()
    assert body["outcome"] == "us_caller_treaty_country"
    assert body["caller_place"]["code"] == "US-NY"
    assert body["other_parent_place"]["name"] == "Alemania"
    assert "Nueva York" in body["message"]
    assert "agencia" in body["message"]


def test_guidance_follow_up_and_its_answer(api):
    first = guidance(api, caller="US-TX", other_parent="MX").json()
    assert first["outcome"] == "us_caller_no_arrangement"
    assert first["follow_up"] == "us_ties"
    answered = guidance(api, caller="US-TX", other_parent="MX", us_ties=True).json()
    assert answered["outcome"] == "us_caller_no_arrangement_us_ties"
    assert answered["follow_up"] is None


def test_guidance_caller_abroad_with_modifiers(api):
    body = guidance(
        api,
        caller="CA-QC",
        other_parent="US-NY",
        third_country_order=True,
        other_parent_military=True,
    ).json()
    assert body["outcome"] == "abroad_caller_state_reciprocity"
    assert set(body["modifiers"]) == {
        "no_citizenship_needed",
        "other_parent_military",
        "third_country_order",
    }


def test_guidance_other_parent_unknown(api):
    body = guidance(api, caller="DE", other_parent="US").json()
    assert body["outcome"] == "abroad_caller_locate_via_central_authority"
    assert body["other_parent_place"]["kind"] == "us_unknown"


@pytest.mark.parametrize(
    ("field", "value", "expected_codes"),
    [
        ("other_parent", "Georgia", {"US-GA", "GE"}),
        ("caller", "CA", {"CA-QC", "CA-ON"}),
        ("other_parent", "Canada", {"CA-QC", "CA-BC"}),
    ],
)
def test_ambiguous_place_is_400_with_candidates(api, field, value, expected_codes):
    body = {"caller": "US-TX", "other_parent": "DE", field: value}
    response = api.post(GUIDANCE, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert field in data
    assert value in data[field][0]
    codes = {candidate["code"] for candidate in data["candidates"][field]}
    assert expected_codes <= codes


def test_unknown_place_is_400_naming_the_field(api):
    response = guidance(api, caller="US-TX", other_parent="Atlantis")
    assert response.status_code == 400
    assert "Atlantis" in response.json()["other_parent"][0]
    assert "caller" not in response.json()


def test_caller_state_unknown_is_400_listing_states(api):
    response = guidance(api, caller="US", other_parent="DE")
    assert response.status_code == 400
    data = response.json()
    assert "state" in data["caller"][0]
    assert len(data["candidates"]["caller"]) == UsState.objects.count()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"other_parent": "DE"}, "caller"),
        ({"caller": "", "other_parent": "DE"}, "caller"),
        ({"caller": "US-TX", "other_parent": "x" * 201}, "other_parent"),
        ({"caller": ["US-TX"], "other_parent": "DE"}, "caller"),
        ({"caller": "US-TX", "other_parent": "DE", "language": "fr"}, "language"),
        ({"caller": "US-TX", "other_parent": "DE", "us_ties": "maybe"}, "us_ties"),
        ({"caller": "US-TX", "other_parent": "DE", "colour": "blue"}, "colour"),
    ],
)
def test_bad_guidance_input_is_400_naming_the_field(api, body, field):
    response = api.post(GUIDANCE, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_malformed_json_and_non_object_bodies_are_400(api):
    broken = api.generic("POST", GUIDANCE, "{not json", content_type="application/json")
    assert broken.status_code == 400
    listed = api.post(GUIDANCE, ["US-TX", "DE"], format="json")
    assert listed.status_code == 400


def test_huge_body_is_refused_without_a_500(api):
    response = api.generic(
        "POST",
        GUIDANCE,
        '{"caller": "' + "a" * 400_000 + '", "other_parent": "DE"}',
        content_type="application/json",
    )
    assert response.status_code in (400, 413)


# --- edits take effect on the next request --------------------------------------------------


def test_country_edit_changes_the_next_answer(api):
    assert guidance(api, caller="US-TX", other_parent="MX").json()["outcome"] == (
        "us_caller_no_arrangement"
    )
    patched = api.patch("/api/v1/countries/mx/", {"frc": True}, format="json")
    assert patched.status_code == 200
    assert patched.json()["frc"] is True
    assert guidance(api, caller="US-TX", other_parent="MX").json()["outcome"] == (
        "us_caller_treaty_country"
    )


def test_arrangement_create_and_delete_change_the_next_answer(api):
    def outcome():
        return guidance(api, caller="MX", other_parent="US-TX").json()["outcome"]

    assert outcome() == "abroad_caller_direct_application"
    created = api.post(
        "/api/v1/arrangements/",
        {"state": "TX", "country": "MX", "source": "test"},
        format="json",
    )
    assert created.status_code == 201
    assert outcome() == "abroad_caller_state_reciprocity"
    assert api.delete(f"/api/v1/arrangements/{created.json()['id']}/").status_code == 204
    assert outcome() == "abroad_caller_direct_application"


def test_agency_edit_changes_the_next_message(api):
    response = api.patch(
        "/api/v1/states/TX/",
        {"agency_name": "Texas OAG Child Support Division", "agency_phone": "1-800-555-0100"},
        format="json",
    )
    assert response.status_code == 200
    message = guidance(api, caller="US-TX", other_parent="US-TX").json()["message"]
    assert "Texas OAG Child Support Division: call 1-800-555-0100" in message


def test_a_spanish_agency_name_is_edited_and_used_by_spanish_answers(api):
    response = api.patch(
        "/api/v1/states/TX/", {"agency_name_es": "Fiscalía General de Texas"}, format="json"
    )
    assert response.status_code == 200
    assert api.get("/api/v1/states/TX/").json()["agency_name_es"] == "Fiscalía General de Texas"
    body = guidance(api, caller="US-TX", other_parent="US-TX", language="es").json()
    assert "Fiscalía General de Texas: llame al" in body["message"]
    english = guidance(api, caller="US-TX", other_parent="US-TX").json()["message"]
    assert "Fiscalía" not in english


def test_edits_are_recorded_with_their_author(api, staff_user):
    api.patch("/api/v1/countries/DE/", {"notes": "checked"}, format="json")
    latest = Jurisdiction.history.filter(code="DE").latest("history_date")
    assert latest.history_user == staff_user
    assert latest.notes == "checked"


# --- reciprocity data endpoints -------------------------------------------------------------


def test_reference_data_is_loaded():
    # ISO 3166-1 outside the U.S., plus IC (the Canary Islands, an exceptionally reserved code)
    assert Jurisdiction.objects.filter(code__regex=r"^[A-Z]{2}$").count() == 243
    assert Jurisdiction.objects.filter(code__startswith="CA-").count() == 13
    assert set(UsState.objects.values_list("code", flat=True)) >= {"DC", "PR", "GU", "VI", "AS"}
    assert StateArrangement.objects.count() == 19
    guyana = Jurisdiction.objects.get(code="GY")
    assert guyana.hague_party
    assert guyana.hague_in_force_with_us is None


def test_countries_list_and_filters(api):
    listing = api.get("/api/v1/countries/", {"limit": 500}).json()
    assert listing["count"] == Jurisdiction.objects.count()
    frc = api.get("/api/v1/countries/", {"frc": "true", "limit": 500}).json()
    assert {row["code"] for row in frc["results"]} >= {"AU", "CH", "CA-ON"}
    assert all(row["frc"] for row in frc["results"])
    found = api.get("/api/v1/countries/", {"search": "alemania"}).json()
    assert [row["code"] for row in found["results"]] == ["DE"]


def test_country_create_read_update_delete(api):
    body = {"code": "XK", "name": "Kosovo", "name_es": "Kosovo", "source": "staff"}
    created = api.post("/api/v1/countries/", body, format="json")
    assert created.status_code == 201
    assert api.get("/api/v1/countries/XK/").json()["name"] == "Kosovo"
    assert api.patch("/api/v1/countries/XK/", {"frc": True}, format="json").status_code == 200
    assert api.delete("/api/v1/countries/XK/").status_code == 204
    assert api.get("/api/v1/countries/XK/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "germany", "name": "Germany"}, "code"),
        ({"code": "DE", "name": "Germany again"}, "code"),
        ({"code": "XK"}, "name"),
        (
            {"code": "XK", "name": "K", "hague_in_force_with_us": "2020-01-01"},
            "hague_in_force_with_us",
        ),
        (
            {"code": "XK", "name": "K", "hague_in_force_with_us": "yesterday"},
            "hague_in_force_with_us",
        ),
        ({"code": "XK", "name": "K", "frc": "perhaps"}, "frc"),
        (
            {"code": "XK", "name": "K", "central_authority_url": "not a url"},
            "central_authority_url",
        ),
    ],
)
def test_bad_country_input_is_400_naming_the_field(api, body, field):
    response = api.post("/api/v1/countries/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("value", [1, "yes", "true", 0])
def test_a_json_yes_no_field_takes_only_true_or_false(api, value):
    response = api.patch("/api/v1/countries/DE/", {"frc": value}, format="json")
    assert response.status_code == 400
    assert response.json() == {"frc": ["Must be true or false."]}


def test_a_json_yes_no_field_takes_true_false_and_null_where_allowed(api):
    assert api.patch("/api/v1/countries/DE/", {"frc": True}, format="json").status_code == 200
    body = {"caller": "TX", "other_parent": "DE", "us_ties": None}
    assert api.post("/api/v1/guidance/", body, format="json").status_code == 200


@pytest.mark.parametrize("value", [-5653208946503961615474171542765568, 12.5, True, ["Kosovo"]])
def test_a_json_text_field_takes_only_text(api, value):
    """DRF alone stores a number as its digits ("name": 42 became the name "42"): the schema
    says text, so anything else is a 400 naming the field (schemathesis found it)."""
    body = {"code": "XK", "name": value}
    response = api.post("/api/v1/countries/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Must be text."]}
    assert api.patch("/api/v1/countries/DE/", {"source": 7}, format="json").json() == {
        "source": ["Must be text."]
    }


def test_a_json_text_field_takes_null_only_where_allowed(api):
    guidance = {"caller": "TX", "other_parent": None}
    assert api.post("/api/v1/guidance/", guidance, format="json").status_code == 400
    assert api.patch("/api/v1/countries/DE/", {"source": "OCSS"}, format="json").status_code == 200


def test_country_code_cannot_change(api):
    response = api.patch("/api/v1/countries/DE/", {"code": "DD"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_states_are_read_and_patched_only(api):
    assert api.get("/api/v1/states/", {"limit": 100}).json()["count"] == UsState.objects.count()
    assert api.post("/api/v1/states/", {"code": "ZZ"}, format="json").status_code == 405
    assert api.delete("/api/v1/states/TX/").status_code == 405
    read_only = api.patch("/api/v1/states/TX/", {"code": "ZZ"}, format="json")
    assert read_only.status_code == 400
    assert "code" in read_only.json()
    assert api.patch("/api/v1/states/TX/", {"agency_url": "nope"}, format="json").status_code == 400
    assert api.get("/api/v1/states/ZZ/").status_code == 404


def test_arrangement_bad_input(api):
    duplicate = api.post(
        "/api/v1/arrangements/", {"state": "NY", "country": "CA-QC"}, format="json"
    )
    assert duplicate.status_code == 400
    unknown = api.post("/api/v1/arrangements/", {"state": "ZZ", "country": "XX"}, format="json")
    assert unknown.status_code == 400
    assert set(unknown.json()) == {"state", "country"}
    listing = api.get("/api/v1/arrangements/", {"country": "ca-qc"}).json()
    assert listing["count"] == 10


def test_arrangement_create_takes_every_writable_field(api, staff_user):
    body = {
        "state": "TX",
        "country": "MX",
        "researched": True,
        "source": "Tex. Fam. Code",
        "source_date": "2026-11-30",
        "notes": "By statute",
    }
    created = api.post("/api/v1/arrangements/", body, format="json")
    assert created.status_code == 201, created.content[:300]
    assert {name: created.json()[name] for name in body} == body
    row = StateArrangement.objects.get(state__code="TX", country__code="MX")
    assert (row.researched, row.source_date) == (True, datetime.date(2026, 11, 30))
    assert row.history.latest("history_date").history_user == staff_user


# --- states of knowledge --------------------------------------------------------------------


def test_guidance_reports_the_knowledge_of_every_fact_used(api, staff_user):
    UsState.objects.filter(code="TX").update(verified_by=staff_user, verified_at=timezone.now())
    body = guidance(api, caller="US-TX", other_parent="Martinique").json()
    assert body["outcome"] == "us_caller_treaty_country"
    facts = {(fact["role"], fact["code"]): fact for fact in body["facts"]}
    texas = facts[("caller_state", "TX")]
    assert texas["knowledge"] == "verified"
    assert texas["verified_by"] == "staff"
    assert texas["verified_on"] == timezone.now().date().isoformat()
    martinique = facts[("other_parent_jurisdiction", "MQ")]
    assert martinique["knowledge"] == "sourced_unverified"
    assert martinique["source_date"] == "2026-12-04"
    assert "2011/432/EU" in martinique["source"]
    assert facts[("sovereign", "FR")]["knowledge"] == "sourced_unverified"
    assert body["needs_verification"] is True
    assert "Not yet confirmed" in body["message"]


def test_guidance_on_verified_rows_says_nothing_about_confirming(api, staff_user):
    now = timezone.now()
    UsState.objects.filter(code__in=["TX", "CA"]).update(verified_by=staff_user, verified_at=now)
    body = guidance(api, caller="US-TX", other_parent="US-CA").json()
    assert {fact["knowledge"] for fact in body["facts"]} == {"verified"}
    assert body["needs_verification"] is False
    assert "Not yet confirmed" not in body["message"]


@override_settings(REFERENCE_STALE_DAYS=10)
def test_a_verification_older_than_the_setting_no_longer_counts(api, staff_user):
    long_ago = timezone.now() - datetime.timedelta(days=11)
    UsState.objects.filter(code="TX").update(verified_by=staff_user, verified_at=long_ago)
    body = guidance(api, caller="US-TX", other_parent="US-TX").json()
    assert {fact["knowledge"] for fact in body["facts"]} == {"sourced_unverified"}
    assert api.get("/api/v1/states/TX/").json()["knowledge"] == "sourced_unverified"


def test_rows_show_their_knowledge_and_can_be_filtered_by_it(api, staff_user):
    UsState.objects.filter(code="TX").update(verified_by=staff_user, verified_at=timezone.now())
    texas = api.get("/api/v1/states/TX/").json()
    assert (texas["knowledge"], texas["verified_by"], texas["needs_verification"]) == (
        "verified",
        "staff",
        False,
    )
    assert api.get("/api/v1/states/AS/").json()["knowledge"] == "unresearched"
    verified = api.get("/api/v1/states/", {"knowledge": "verified"}).json()
    assert [row["code"] for row in verified["results"]] == ["TX"]
    unchecked = api.get("/api/v1/states/", {"needs_verification": "true", "limit": 100}).json()
    assert "TX" not in {row["code"] for row in unchecked["results"]}
    assert unchecked["count"] == UsState.objects.count() - 1
    bolivia = api.get("/api/v1/countries/BO/").json()
    assert (bolivia["knowledge"], bolivia["researched"]) == ("unresearched", False)
    bad = api.get("/api/v1/states/", {"knowledge": "maybe"})
    assert bad.status_code == 400
    assert "knowledge" in bad.json()


def test_verification_cannot_be_written_through_the_api(api):
    response = api.patch(
        "/api/v1/states/TX/", {"verified_at": "2026-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert UsState.objects.get(code="TX").verified_at is None


def test_a_territory_must_name_an_existing_sovereign(api):
    response = api.patch("/api/v1/countries/MQ/", {"part_of": "ZZ"}, format="json")
    assert response.status_code == 400
    assert "part_of" in response.json()
    objected = api.patch(
        "/api/v1/countries/GY/", {"hague_in_force_with_us": "2024-01-01"}, format="json"
    )
    assert objected.status_code == 400
    assert "hague_us_objection" in objected.json()


def test_a_sovereign_that_territories_follow_cannot_become_a_territory(api):
    response = api.patch("/api/v1/countries/fr/", {"part_of": "DE"}, format="json")
    assert response.status_code == 400
    assert "MQ" in response.json()["part_of"][0]
    assert Jurisdiction.objects.get(code="FR").part_of == ""
    assert api.patch("/api/v1/countries/DE/", {"part_of": "FR"}, format="json").status_code == 200


def test_a_sovereign_that_territories_follow_cannot_be_deleted(api):
    response = api.delete("/api/v1/countries/FI/")
    assert response.status_code == 409
    assert "AX" in response.json()["detail"]
    assert Jurisdiction.objects.filter(code="FI").exists()
    assert Jurisdiction.objects.get(code="AX").part_of == "FI"
