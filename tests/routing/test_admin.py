"""Staff can browse and edit the reciprocity data in the admin, with history."""

import datetime

import pytest
from django.utils import timezone

from routing.models import FederalContact, Jurisdiction, StateArrangement, UsState

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", password="pw-boss-1")
    client.force_login(user)
    return client, user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/routing/jurisdiction/",
        "/admin/routing/jurisdiction/?knowledge=sourced_unverified&q=guy",
        "/admin/routing/jurisdiction/?knowledge=stale",
        "/admin/routing/usstate/?knowledge=unresearched",
        "/admin/routing/statearrangement/?knowledge=verified",
        "/admin/routing/federalcontact/",
        "/admin/review-queue/",
    ],
)
def test_changelists_open(admin_client_logged_in, url):
    client, _ = admin_client_logged_in
    assert client.get(url).status_code == 200


def test_edit_country_in_admin_records_history(admin_client_logged_in):
    client, user = admin_client_logged_in
    mexico = Jurisdiction.objects.get(code="MX")
    url = f"/admin/routing/jurisdiction/{mexico.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "frc": "on",
            "hague_party": "",
            "arrangements-TOTAL_FORMS": "0",
            "arrangements-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mexico.refresh_from_db()
    assert mexico.frc is True
    assert mexico.history.latest("history_date").history_user == user
    assert client.get(f"{url.replace('change/', 'history/')}").status_code == 200


def test_admin_rejects_in_force_date_without_party(admin_client_logged_in):
    client, _ = admin_client_logged_in
    mexico = Jurisdiction.objects.get(code="MX")
    url = f"/admin/routing/jurisdiction/{mexico.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "hague_party": "",
            "hague_in_force_with_us": "2020-01-01",
            "arrangements-TOTAL_FORMS": "0",
            "arrangements-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "hague_in_force_with_us" in response.context["adminform"].form.errors


def test_state_page_shows_its_state_of_knowledge(admin_client_logged_in):
    client, _ = admin_client_logged_in
    state = UsState.objects.get(code="LA")
    page = client.get(f"/admin/routing/usstate/{state.pk}/change/")
    assert page.status_code == 200
    assert b"sourced as of 2026-12-04, not verified" in page.content


def _changelist_codes(client, url: str) -> set[str]:
    page = client.get(url)
    assert page.status_code == 200
    return {str(row) for row in page.context["cl"].result_list}


def test_knowledge_filter_separates_the_three_states(admin_client_logged_in):
    client, user = admin_client_logged_in
    Jurisdiction.objects.filter(code="DE").update(verified_by=user, verified_at=timezone.now())
    old = timezone.now() - datetime.timedelta(days=366)
    Jurisdiction.objects.filter(code="FR").update(verified_by=user, verified_at=old)
    base = "/admin/routing/jurisdiction/?knowledge="
    assert _changelist_codes(client, base + "verified") == {"Germany (DE)"}
    assert "France (FR)" in _changelist_codes(client, base + "stale")
    sourced = _changelist_codes(client, base + "sourced_unverified")
    unresearched = _changelist_codes(client, base + "unresearched")
    assert {"France (FR)", "Botswana (BW)", "Martinique (MQ)"} <= sourced
    assert "Bolivia (BO)" in unresearched
    assert "Germany (DE)" not in sourced | unresearched


def test_mark_verified_records_who_and_when_on_every_reference_table(admin_client_logged_in):
    client, user = admin_client_logged_in
    for model, url in (
        (Jurisdiction, "/admin/routing/jurisdiction/"),
        (UsState, "/admin/routing/usstate/"),
        (StateArrangement, "/admin/routing/statearrangement/"),
        (FederalContact, "/admin/routing/federalcontact/"),
    ):
        row = model.objects.order_by("pk").first()
        response = client.post(
            url, {"action": "mark_verified", "_selected_action": [row.pk], "index": 0}
        )
        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.verified_by, row.researched) == (user, True)
        assert row.verified_at is not None


def test_review_queue_lists_rows_by_staleness(admin_client_logged_in):
    client, user = admin_client_logged_in
    UsState.objects.filter(code="TX").update(verified_by=user, verified_at=timezone.now())
    page = client.get("/admin/review-queue/")
    assert page.status_code == 200
    labels = [item.label for item in page.context["rows"]]
    assert "Texas (TX)" not in labels
    assert "Ohio (OH)" in labels
    assert page.context["counts"]["U.S. states and territories"]["verified"] == 1


def _add_country_data(client) -> dict:
    form = client.get("/admin/routing/jurisdiction/add/").context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "code": "XK",
            "name": "Kosovo",
            "arrangements-TOTAL_FORMS": "0",
            "arrangements-INITIAL_FORMS": "0",
        }
    )
    return {name: value for name, value in data.items() if value is not False}


def test_add_country_with_an_arrangement_row_in_admin(admin_client_logged_in):
    from django.contrib.admin.models import LogEntry

    client, user = admin_client_logged_in
    texas = UsState.objects.get(code="TX")
    data = _add_country_data(client)
    data.update(
        {
            "arrangements-TOTAL_FORMS": "1",
            "arrangements-0-state": str(texas.pk),
            "arrangements-0-notes": "By statute",
            "arrangements-0-source": "Tex. Fam. Code",
        }
    )
    response = client.post("/admin/routing/jurisdiction/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    kosovo = Jurisdiction.objects.get(code="XK")
    assert StateArrangement.objects.filter(country=kosovo, state=texas).exists()
    assert kosovo.history.latest("history_date").history_user == user
    entry = LogEntry.objects.latest("action_time")
    assert entry.object_id == str(kosovo.pk)


def test_add_country_and_continue_editing_opens_its_page(admin_client_logged_in):
    client, _ = admin_client_logged_in
    response = client.post(
        "/admin/routing/jurisdiction/add/", {**_add_country_data(client), "_continue": "1"}
    )
    kosovo = Jurisdiction.objects.get(code="XK")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/routing/jurisdiction/{kosovo.pk}/change/"


def test_admin_refuses_to_delete_a_sovereign_that_territories_follow(admin_client_logged_in):
    client, _ = admin_client_logged_in
    finland = Jurisdiction.objects.get(code="FI")
    url = f"/admin/routing/jurisdiction/{finland.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Åland Islands (AX)" in page.content.decode()
    client.post(url, {"post": "yes"})
    bulk = client.post(
        "/admin/routing/jurisdiction/",
        {"action": "delete_selected", "_selected_action": [finland.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    assert Jurisdiction.objects.filter(code="FI").exists()


def test_an_unknown_knowledge_filter_is_refused_not_a_500(admin_client_logged_in):
    client, _ = admin_client_logged_in
    response = client.get("/admin/routing/jurisdiction/?knowledge=maybe")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    ("model", "url"),
    [
        (Jurisdiction, "/admin/routing/jurisdiction/"),
        (UsState, "/admin/routing/usstate/"),
        (StateArrangement, "/admin/routing/statearrangement/"),
        (FederalContact, "/admin/routing/federalcontact/"),
    ],
)
def test_verified_rows_cost_no_query_each_in_a_list(admin_client_logged_in, model, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, user = admin_client_logged_in
    client.get(url)
    with CaptureQueriesContext(connection) as unverified:
        client.get(url)
    model.objects.update(verified_by=user, verified_at=timezone.now())
    with CaptureQueriesContext(connection) as verified:
        page = client.get(url)
    assert len(page.context["cl"].result_list) > 3
    assert len(verified) == len(unverified)
