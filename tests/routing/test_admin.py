"""Staff can browse and edit the reciprocity data in the admin, with history."""

import pytest

from routing.models import Jurisdiction, UsState

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
        "/admin/routing/jurisdiction/?needs_verification__exact=1&q=guy",
        "/admin/routing/usstate/",
        "/admin/routing/statearrangement/",
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
            "needs_verification": "",
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


def test_state_page_shows_verification_flag(admin_client_logged_in):
    client, _ = admin_client_logged_in
    state = UsState.objects.get(code="LA")
    page = client.get(f"/admin/routing/usstate/{state.pk}/change/")
    assert page.status_code == 200
    assert b"needs_verification" in page.content
