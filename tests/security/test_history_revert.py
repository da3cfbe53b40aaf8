"""Finding 1: the history form (revert to an old version) is a change, so it needs the
change permission; a read-only role could otherwise rewrite an agency's phone number."""

import pytest

from routing import services
from routing.models import Jurisdiction, StateArrangement, UsState

pytestmark = pytest.mark.django_db


def _older_version(model, pk):
    return model.history.filter(id=pk).order_by("history_date").first()


def _edited_state() -> UsState:
    state = UsState.objects.get(code="TX")
    services.state_update(state=state, actor=None, agency_phone="1-800-000-0000")
    return state


def _edited_country() -> Jurisdiction:
    mexico = Jurisdiction.objects.get(code="MX")
    services.jurisdiction_update(jurisdiction=mexico, actor=None, notes="edited")
    return mexico


def _edited_arrangement() -> StateArrangement:
    arrangement = StateArrangement.objects.first()
    arrangement.notes = "edited"
    arrangement.save()
    return arrangement


def _form_data(client, url) -> dict:
    """What the history form shows, posted back as it is (the review's repro)."""
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"arrangements-TOTAL_FORMS": "0", "arrangements-INITIAL_FORMS": "0"})
    return data


CASES = [
    ("usstate", UsState, _edited_state, "agency_phone", "1-800-000-0000"),
    ("jurisdiction", Jurisdiction, _edited_country, "notes", "edited"),
    ("statearrangement", StateArrangement, _edited_arrangement, "notes", "edited"),
]


@pytest.mark.parametrize(("name", "model", "make", "field", "current"), CASES)
def test_read_only_staff_cannot_revert_through_the_history_form(
    hotline_staff_client, name, model, make, field, current
):
    row = make()
    old = _older_version(model, row.pk)
    url = f"/admin/routing/{name}/{row.pk}/history/{old.history_id}/"
    response = hotline_staff_client.post(url, _form_data(hotline_staff_client, url))
    assert response.status_code == 403
    row.refresh_from_db()
    assert getattr(row, field) == current


def test_data_editor_may_still_revert(data_editor_client):
    state = _edited_state()
    old = _older_version(UsState, state.pk)
    url = f"/admin/routing/usstate/{state.pk}/history/{old.history_id}/"
    response = data_editor_client.post(url, _form_data(data_editor_client, url))
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.agency_phone == old.agency_phone


def test_every_model_with_history_has_the_guarded_admin():
    from django.contrib import admin
    from simple_history.models import registered_models

    from staff.history_admin import GuardedHistoryAdmin

    tracked = [model for model in registered_models.values() if model in admin.site._registry]
    assert tracked
    for model in tracked:
        assert isinstance(admin.site._registry[model], GuardedHistoryAdmin), model
