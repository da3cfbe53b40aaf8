"""Handoff notes written in the workspace go through the service, on the locked row, with the
rules of claiming and resolving: nobody changes the notes of someone else's handoff, or of a
resolved one."""

import pytest
from django.contrib.auth.models import Group

from cases import handoffs
from cases.models import Handoff
from cases.texts import inbound_text_handle
from staff.roles import HOTLINE_STAFF
from tests.twilio_helpers import new_sid

pytestmark = pytest.mark.django_db


def _staff(django_user_model, name: str):
    user = django_user_model.objects.create_user(name, password="pw-notes-123", is_staff=True)
    user.groups.set(Group.objects.filter(name=HOTLINE_STAFF))
    return user


@pytest.fixture
def handoff() -> Handoff:
    inbound_text_handle(address="+15125550191", body="AGENT", message_sid=new_sid())
    return Handoff.objects.get()


def _save(client, handoff: Handoff, notes: str, button: str = "_continue"):
    return client.post(
        f"/admin/cases/handoff/{handoff.pk}/change/",
        {"notes": notes, "reply": "", button: "1"},
        follow=True,
    )


def test_notes_on_an_open_or_own_handoff_are_set(handoff, django_user_model):
    hana = _staff(django_user_model, "hana")
    handoffs.handoff_notes_set(handoff=handoff, user=hana, notes="Called, no answer.")
    handoffs.handoff_claim(handoff=handoff, user=hana)
    handoffs.handoff_notes_set(handoff=handoff, user=hana, notes="Called twice, no answer.")
    handoff.refresh_from_db()
    assert handoff.notes == "Called twice, no answer."


def test_notes_of_someone_elses_or_a_resolved_handoff_are_refused(handoff, django_user_model):
    hana, ivan = _staff(django_user_model, "hana"), _staff(django_user_model, "ivan")
    handoffs.handoff_claim(handoff=handoff, user=hana)
    with pytest.raises(handoffs.HandoffConflict, match="Claimed by hana"):
        handoffs.handoff_notes_set(handoff=handoff, user=ivan, notes="mine now")
    handoffs.handoff_resolve(handoff=handoff, user=hana, notes="Sent to OCSS.")
    with pytest.raises(handoffs.HandoffConflict, match="resolved"):
        handoffs.handoff_notes_set(handoff=handoff, user=hana, notes="")
    handoff.refresh_from_db()
    assert handoff.notes == "Sent to OCSS."


def test_the_workspace_saves_notes_through_the_service(client, handoff, django_user_model):
    hana = _staff(django_user_model, "hana")
    client.force_login(hana)
    _save(client, handoff, "Called, no answer.", "_claim")
    handoff.refresh_from_db()
    assert (handoff.status, handoff.assigned_to, handoff.notes) == (
        "claimed",
        hana,
        "Called, no answer.",
    )


def test_the_workspace_keeps_notes_of_someone_elses_handoff(client, handoff, django_user_model):
    """Ivan's page was open before Hana claimed it: his save does not replace her notes."""
    hana, ivan = _staff(django_user_model, "hana"), _staff(django_user_model, "ivan")
    handoffs.handoff_claim(handoff=handoff, user=hana)
    Handoff.objects.filter(pk=handoff.pk).update(notes="Calling back at 3.")
    client.force_login(ivan)
    page = _save(client, handoff, "")
    assert "Notes not saved: Claimed by hana" in page.content.decode()
    handoff.refresh_from_db()
    assert handoff.notes == "Calling back at 3."


def test_the_workspace_keeps_notes_of_a_resolved_handoff(client, handoff, django_user_model):
    hana = _staff(django_user_model, "hana")
    handoffs.handoff_resolve(handoff=handoff, user=hana, notes="Sent to OCSS.")
    client.force_login(hana)
    page = _save(client, handoff, "rewritten")
    assert "Notes not saved" in page.content.decode()
    handoff.refresh_from_db()
    assert handoff.notes == "Sent to OCSS."
