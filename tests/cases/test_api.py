"""Staff API for conversations, the handoff queue and the message log."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cases.models import Conversation, Handoff, Message
from staff.roles import HOTLINE_STAFF
from tests.twilio_helpers import signed_post, text_params

pytestmark = pytest.mark.django_db

PHONE = "+15125550100"


def text(client, body, sender=PHONE):
    assert signed_post(client, "/twilio/sms/", text_params(body, sender=sender)).status_code == 200


@pytest.fixture
def finished_conversation(client, twilio_settings):
    for body in ("hi", "1", "Texas", "Germany"):
        text(client, body)


def test_conversations_filtered_by_phone_and_channel(api, client, finished_conversation):
    text(client, "hi", sender="whatsapp:+15125550101")
    rows = api.get("/api/v1/conversations/", {"phone": "(512) 555-0100"}).json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["phone"] == PHONE
    assert row["channel"] == "sms"
    assert row["outcome"] == "us_caller_treaty_country"
    assert row["answers"] == {"caller": "us_state:US-TX", "other_parent": "foreign:DE"}
    whatsapp = api.get("/api/v1/conversations/", {"channel": "whatsapp"}).json()["results"]
    assert [r["phone"] for r in whatsapp] == ["+15125550101"]
    assert api.get("/api/v1/conversations/", {"channel": "fax"}).status_code == 400


def test_messages_log_in_and_out(api, finished_conversation):
    rows = api.get("/api/v1/messages/", {"phone": PHONE}).json()["results"]
    inbound = [r for r in rows if r["direction"] == "inbound"]
    outbound = [r for r in rows if r["direction"] == "outbound"]
    assert len(inbound) == 4
    assert all(r["status"] == "received" and r["twilio_sid"] for r in inbound)
    # Four replies, and the check-in scheduled for later (the outcome named an agency).
    assert sorted(r["status"] for r in outbound) == ["scheduled"] + ["sending"] * 4


def test_handoff_queue_order_claim_and_resolve(api, client, twilio_settings, staff_user):
    text(client, "hi", sender="+15125550111")
    text(client, "AGENT", sender="+15125550111")
    text(client, "hi", sender="+15125550112")
    text(client, "2", sender="+15125550112")
    queue = api.get("/api/v1/handoffs/", {"status": "open"}).json()["results"]
    assert [(h["reason"], h["priority"]) for h in queue] == [
        ("abduction", "urgent"),
        ("requested", "normal"),
    ]
    urgent = queue[0]["id"]
    claimed = api.post(f"/api/v1/handoffs/{urgent}/claim/")
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed"
    assert claimed.json()["assigned_to"] == staff_user.username
    resolved = api.post(
        f"/api/v1/handoffs/{urgent}/resolve/", {"notes": "called back"}, format="json"
    )
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert Handoff.objects.get(pk=urgent).notes == "called back"
    assert api.post(f"/api/v1/handoffs/{urgent}/claim/").status_code == 409


def test_claimed_by_someone_else_is_409(api, client, twilio_settings, django_user_model):
    text(client, "AGENT")
    handoff = Handoff.objects.get()
    other = django_user_model.objects.create_user("other", password="pw-other-1", is_staff=True)
    other.groups.add(Group.objects.get(name=HOTLINE_STAFF))
    other_client = APIClient()
    other_client.force_login(other)
    assert other_client.post(f"/api/v1/handoffs/{handoff.pk}/claim/").status_code == 200
    response = api.post(f"/api/v1/handoffs/{handoff.pk}/claim/")
    assert response.status_code == 409
    assert "other" in response.json()["detail"]
    assert api.post(f"/api/v1/handoffs/{handoff.pk}/resolve/").status_code == 409


def test_replies_on_resolved_or_others_handoffs_need_confirming(
    api, client, twilio_settings, django_user_model
):
    text(client, "AGENT")
    handoff = Handoff.objects.get()
    other = django_user_model.objects.create_user("other", password="pw-other-1", is_staff=True)
    other.groups.add(Group.objects.get(name=HOTLINE_STAFF))
    other_client = APIClient()
    other_client.force_login(other)
    assert other_client.post(f"/api/v1/handoffs/{handoff.pk}/claim/").status_code == 200
    url = f"/api/v1/handoffs/{handoff.pk}/reply/"
    refused = api.post(url, {"body": "Hello"}, format="json")
    assert refused.status_code == 409
    assert "other has claimed this handoff" in refused.json()["detail"]
    assert not Message.objects.filter(purpose="staff_reply").exists()
    assert api.post(url, {"body": "Hello", "confirm": True}, format="json").status_code == 202
    assert other_client.post(f"/api/v1/handoffs/{handoff.pk}/resolve/").status_code == 200
    refused = other_client.post(url, {"body": "One more thing"}, format="json")
    assert refused.status_code == 409
    assert "resolved" in refused.json()["detail"]
    confirmed = other_client.post(url, {"body": "One more thing", "confirm": True}, format="json")
    assert confirmed.status_code == 202
    assert Message.objects.filter(purpose="staff_reply").count() == 2


def test_bad_handoff_input(api, client, twilio_settings):
    text(client, "AGENT")
    handoff = Handoff.objects.get()
    assert api.get("/api/v1/handoffs/", {"status": "lost"}).status_code == 400
    assert api.post("/api/v1/handoffs/999999/claim/").status_code == 404
    bad = api.post(f"/api/v1/handoffs/{handoff.pk}/resolve/", {"colour": "red"}, format="json")
    assert bad.status_code == 400
    assert "colour" in bad.json()


@pytest.mark.parametrize(
    "url", ["/api/v1/conversations/", "/api/v1/handoffs/", "/api/v1/messages/"]
)
def test_anonymous_and_non_staff_are_refused(url, django_user_model):
    assert APIClient().get(url).status_code == 401
    client = APIClient()
    client.force_login(django_user_model.objects.create_user("p", password="pw-p-1234"))
    assert client.get(url).status_code == 403


def test_admin_pages_for_conversations_and_handoffs(client, twilio_settings, django_user_model):
    text(client, "hi")
    text(client, "AGENT")
    boss = django_user_model.objects.create_superuser("boss", password="pw-boss-1")
    client.force_login(boss)
    for url in ("/admin/cases/conversation/", "/admin/cases/handoff/", "/admin/cases/contact/"):
        assert client.get(url).status_code == 200
    conversation = Conversation.objects.get()
    assert client.get(f"/admin/cases/conversation/{conversation.pk}/change/").status_code == 200
    handoff = Handoff.objects.get()
    response = client.post(
        "/admin/cases/handoff/", {"action": "claim", "_selected_action": [handoff.pk]}
    )
    assert response.status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == "claimed"
    assert handoff.assigned_to == boss
