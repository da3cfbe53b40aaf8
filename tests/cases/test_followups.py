"""Check-ins, staff replies, urgent alerts and retention, through the webhook and the API."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.utils import timezone

from cases import outbox, retention
from cases.models import Contact, Conversation, Handoff, Message
from tests.twilio_helpers import signed_post, text_params

pytestmark = pytest.mark.django_db

PHONE = "+15125550100"


def text(client, body, sender=PHONE):
    response = signed_post(client, "/twilio/sms/", text_params(body, sender=sender))
    assert response.status_code == 200
    return [m.text or "" for m in ET.fromstring(response.content).iter("Message")]


def reach_outcome(client, other="Texas"):
    for body in ("hi", "1", "Texas", other):
        text(client, body)


def test_outcome_naming_an_agency_schedules_one_check_in(client, twilio_settings, settings):
    settings.CHECK_IN_DAYS = 7
    reach_outcome(client)
    text(client, "MENU")
    text(client, "1")
    check_ins = Message.objects.filter(purpose="check_in")
    assert check_ins.count() == 1
    check_in = check_ins.get()
    assert check_in.status == "scheduled"
    assert "Texas child support program" in check_in.body
    days = (check_in.send_after - timezone.now()).total_seconds() / 86400
    assert 6.99 < days < 8.1


def test_a_spanish_check_in_names_the_agency_in_spanish(client, twilio_settings):
    for body in ("hola", "1", "Texas", "Texas"):
        text(client, body)
    check_in = Message.objects.get(purpose="check_in")
    assert "agencia: Programa de manutención infantil de Texas?" in check_in.body


def test_outcome_without_an_agency_schedules_no_check_in(client, twilio_settings):
    reach_outcome(client, other="nowhere")
    text(client, "MENU")
    text(client, "2")  # abduction: no state agency named
    assert not Message.objects.filter(purpose="check_in").exists()


def test_check_in_answer_no_opens_a_handoff(client, twilio_settings, monkeypatch):
    reach_outcome(client)
    check_in = Message.objects.get(purpose="check_in")
    monkeypatch.setattr(outbox, "sender_get", lambda: _AcceptAll())
    day = datetime.datetime(2026, 11, 24, 17, 0, tzinfo=datetime.UTC)
    Message.objects.filter(pk=check_in.pk).update(send_after=day)
    outbox.outbox_sweep(now=day)
    outbox.message_send(message_id=check_in.pk, now=day)
    assert Conversation.objects.get().step == "check_in"
    answer = "\n".join(text(client, "2"))
    assert "staff will contact you" in answer
    assert Handoff.objects.filter(reason="check_in", status="open").exists()


def test_check_in_answer_yes_thanks(client, twilio_settings):
    reach_outcome(client)
    conversation = Conversation.objects.get()
    conversation.state = {**conversation.state, "step": "check_in"}
    conversation.step = "check_in"
    conversation.save()
    assert "Good to hear" in "\n".join(text(client, "yes"))
    assert not Handoff.objects.exists()


class _AcceptAll:
    def send(self, outgoing):
        from cases.sending import Sent

        return Sent(sid="SMaccepted", status="queued")


# --- staff reply -----------------------------------------------------------------------------


def test_staff_reply_is_queued_and_sent(
    api, client, twilio_settings, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    text(client, "AGENT")
    handoff = Handoff.objects.get()
    monkeypatch.setattr(outbox, "sender_get", lambda: _AcceptAll())
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/handoffs/{handoff.pk}/reply/", {"body": "Hi, this is Ana."}, format="json"
        )
    assert response.status_code == 202
    message = Message.objects.get(purpose="staff_reply")
    assert message.body == "Hi, this is Ana."
    assert message.twilio_sid == "SMaccepted"
    handoff.refresh_from_db()
    assert (handoff.status, handoff.assigned_to) == ("claimed", staff_user)


def test_staff_reply_to_opted_out_number_says_why(api, client, twilio_settings):
    text(client, "AGENT")
    text(client, "STOP")
    handoff = Handoff.objects.get()
    response = api.post(f"/api/v1/handoffs/{handoff.pk}/reply/", {"body": "Hello"}, format="json")
    assert response.status_code == 409
    assert "opted out" in response.json()["detail"]
    assert response.json()["message"]["status"] == "blocked"
    assert Message.objects.filter(purpose="staff_reply", status="blocked").count() == 1


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 1601}])
def test_staff_reply_bad_body_is_400(api, client, twilio_settings, body):
    text(client, "AGENT")
    handoff = Handoff.objects.get()
    response = api.post(f"/api/v1/handoffs/{handoff.pk}/reply/", body, format="json")
    assert response.status_code == 400
    assert "body" in response.json()


# --- urgent alert ----------------------------------------------------------------------------


def test_urgent_handoff_emails_staff_without_the_number(
    client, twilio_settings, settings, django_capture_on_commit_callbacks
):
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        text(client, "hi")
        text(client, "2")
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == ["desk@example.org"]
    assert "Urgent" in alert.subject
    assert PHONE not in alert.body
    assert "/admin/cases/handoff/" in alert.body


def test_normal_handoff_sends_no_email(
    client, twilio_settings, settings, django_capture_on_commit_callbacks
):
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        text(client, "AGENT")
    assert mail.outbox == []


# --- retention -------------------------------------------------------------------------------


def test_retention_erases_old_personal_data_and_keeps_statistics(client, twilio_settings, settings):
    settings.RETENTION_DAYS = 30
    reach_outcome(client)
    text(client, "hi", sender="+15125550111")
    old = timezone.now() - datetime.timedelta(days=31)
    Message.objects.filter(contact__phone=PHONE).update(created_at=old)
    Contact.objects.filter(phone=PHONE).update(created_at=old)
    changed = retention.personal_data_purge()
    assert changed > 0
    erased = Contact.objects.get(phone__startswith="erased-")
    assert Message.objects.filter(contact=erased).exclude(body="").count() == 0
    assert Conversation.objects.get(contact=erased).outcome == "domestic_same_state"
    recent = Contact.objects.get(phone="+15125550111")
    assert Message.objects.filter(contact=recent).exclude(body="").exists()
    assert retention.personal_data_purge() == 0


def test_retention_works_in_batches_of_short_transactions(
    client, twilio_settings, settings, monkeypatch
):
    """Batches smaller than the work: every old row is still erased, recent ones kept."""
    settings.RETENTION_DAYS = 30
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    old = timezone.now() - datetime.timedelta(days=31)
    for n in range(3):
        text(client, "hi", sender=f"+1512555012{n}")
    Message.objects.update(created_at=old)
    Contact.objects.update(created_at=old)
    text(client, "hi", sender="+15125550129")
    assert retention.personal_data_purge() == 6 + 3
    assert not Message.objects.filter(created_at__lt=old + datetime.timedelta(days=1)).exclude(
        body=""
    )
    assert Contact.objects.filter(phone__startswith="erased-").count() == 3
    assert Contact.objects.filter(phone="+15125550129").exists()


# --- status webhook --------------------------------------------------------------------------


def test_status_webhook_records_and_is_signed(client, twilio_settings):
    text(client, "hi")
    reply = Message.objects.get(direction="outbound")
    params = {"MessageSid": "SMreply1", "MessageStatus": "delivered", "AccountSid": "AC1"}
    path = f"/twilio/sms/status/?outbox={reply.pk}"
    assert client.post(path, params).status_code == 403
    assert signed_post(client, path, params).status_code == 204
    reply.refresh_from_db()
    assert (reply.status, reply.delivery_status, reply.twilio_sid) == (
        "sent",
        "delivered",
        "SMreply1",
    )
    late = {**params, "MessageStatus": "sent"}
    assert signed_post(client, path, late).status_code == 204
    reply.refresh_from_db()
    assert reply.delivery_status == "delivered"


def test_status_webhook_for_unknown_message_is_harmless(client, twilio_settings):
    params = {"MessageSid": "SMnobody", "MessageStatus": "delivered"}
    assert signed_post(client, "/twilio/sms/status/?outbox=abc", params).status_code == 204


def test_twiml_replies_name_their_status_callback(client, twilio_settings):
    response = signed_post(client, "/twilio/sms/", text_params("hi"))
    message = ET.fromstring(response.content).find("Message")
    reply = Message.objects.get(direction="outbound")
    assert message.get("action") == (
        f"https://hotline.example.org/twilio/sms/status/?outbox={reply.pk}"
    )


def test_a_second_outcome_in_one_conversation_schedules_no_second_check_in(client, twilio_settings):
    reach_outcome(client)
    text(client, "MENU")
    for body in ("1", "Texas", "Germany"):
        text(client, body)
    assert Conversation.objects.count() == 1
    assert Message.objects.filter(purpose="check_in").count() == 1


def test_the_check_in_is_stored_after_the_outcome_it_follows(client, twilio_settings):
    reach_outcome(client, other="Germany")
    outbound = Message.objects.filter(direction="outbound").order_by("pk")
    assert [m.purpose for m in outbound][-2:] == ["reply", "check_in"]
    assert "Texas" in outbound.last().body


def test_a_parent_answering_a_staff_reply_days_later_stays_with_staff(
    api, client, twilio_settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The staff reply counts as the conversation going on: the parent's answer two days
    after their last text is for staff, not the start of a new conversation with the bot."""
    text(client, "AGENT")
    conversation = Conversation.objects.get()
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Conversation.objects.filter(pk=conversation.pk).update(updated_at=two_days_ago)
    handoff = Handoff.objects.get()
    monkeypatch.setattr(outbox, "sender_get", lambda: _AcceptAll())
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/handoffs/{handoff.pk}/reply/", {"body": "Hi, this is Ana."}, format="json"
        )
    assert response.status_code == 202
    answer = "\n".join(text(client, "Yes, please call me tomorrow"))
    assert "Welcome back" not in answer
    assert list(Conversation.objects.values_list("pk", "status")) == [
        (conversation.pk, "handed_off")
    ]
    assert Message.objects.filter(
        conversation=conversation, direction="inbound", body="Yes, please call me tomorrow"
    ).exists()


# --- sending hours ---------------------------------------------------------------------------


def test_the_sending_hours_are_read_from_the_settings_in_one_place(settings):
    """The check-in's due time and the outbox's last check before sending use one function."""
    from cases.followups import send_window_next

    settings.SEND_WINDOW_START_HOUR, settings.SEND_WINDOW_END_HOUR = 10, 12
    nine = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)  # 09:00 in Texas
    eleven = nine + datetime.timedelta(hours=2)
    assert send_window_next(nine, PHONE) == nine + datetime.timedelta(hours=1)
    assert send_window_next(eleven, PHONE) == eleven
    assert send_window_next(
        eleven + datetime.timedelta(hours=1), PHONE
    ) == nine + datetime.timedelta(days=1, hours=1)
