"""The outbox without a broker: sending, retries, permanent errors, callbacks, the sweep."""

import datetime

import pytest
from django.utils import timezone

from cases import outbox, sending
from cases.models import Contact, Conversation, Message
from cases.sending import (
    AmbiguousSendError,
    PermanentSendError,
    Sent,
    TransientSendError,
)
from hotline.twilio.sender import TwilioSender

pytestmark = pytest.mark.django_db

PHONE = "+15125550100"
#: Where Twilio's status callbacks go (without one, a send with no answer is never resent).
BASE_URL = "https://hotline.example.org"


class ScriptedSender:
    """Answers each send with the next scripted result (an exception or a SID)."""

    def __init__(self, *script):
        self.script = list(script)
        self.sent = []

    def send(self, outgoing):
        self.sent.append(outgoing)
        result = self.script.pop(0) if self.script else "SMok"
        if isinstance(result, Exception):
            raise result
        return Sent(sid=f"{result}{len(self.sent)}", status="queued")


@pytest.fixture
def scripted(monkeypatch):
    def install(*script):
        fake = ScriptedSender(*script)
        monkeypatch.setattr(outbox, "sender_get", lambda: fake)
        return fake

    return install


@pytest.fixture
def contact():
    return Contact.objects.create(phone=PHONE)


def queue(contact, body="hello", channel="sms", **kwargs):
    return outbox.message_queue(
        contact=contact, channel=channel, body=body, purpose="staff_reply", **kwargs
    )


def test_queued_message_is_sent_after_commit(contact, scripted, django_capture_on_commit_callbacks):
    fake = scripted()
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(contact)
        assert fake.sent == []
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == ("sent", "queued")
    assert message.twilio_sid == "SMok1"
    assert [o.to for o in fake.sent] == [PHONE]
    assert message.attempts == 1


def test_send_is_idempotent(contact, scripted):
    fake = scripted()
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    outbox.message_send(message_id=message.pk)
    assert len(fake.sent) == 1


def test_transient_error_schedules_a_retry_with_backoff(contact, scripted, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 4
    scripted(TransientSendError("20429", "Too many requests"))
    message = queue(contact)
    result = outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert result.retry_in is not None
    assert 2 <= result.retry_in <= 4
    assert message.status == "queued"
    assert message.send_after > timezone.now()
    assert message.error_code == "20429"
    assert outbox.message_send(message_id=message.pk).status == "queued"


def test_backoff_grows_and_is_capped(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 2
    settings.OUTBOX_RETRY_MAX_SECONDS = 30
    assert 1 <= outbox.retry_delay(1) <= 2
    assert 8 <= outbox.retry_delay(4) <= 16
    assert 15 <= outbox.retry_delay(20) <= 30


def test_transient_errors_give_up_after_the_retry_period(contact, scripted, settings):
    settings.OUTBOX_RETRY_HOURS = 1
    fake = scripted(*[TransientSendError("503", "Service unavailable")] * 5)
    message = queue(contact)
    start = timezone.now()
    for minutes in (0, 30, 59, 61, 90):
        Message.objects.filter(pk=message.pk).update(send_after=None)
        outbox.message_send(message_id=message.pk, now=start + datetime.timedelta(minutes=minutes))
    message.refresh_from_db()
    assert message.status == "failed"
    assert len(fake.sent) == 4


@pytest.mark.parametrize("code", ["21211", "21614", "21408"])
def test_permanent_error_is_never_retried(contact, scripted, code):
    fake = scripted(PermanentSendError(code, "refused"))
    message = queue(contact)
    result = outbox.message_send(message_id=message.pk)
    assert result.retry_in is None
    message.refresh_from_db()
    assert (message.status, message.error_code) == ("failed", code)
    assert outbox.outbox_sweep() == []
    assert len(fake.sent) == 1


def test_unsubscribed_error_marks_the_contact_opted_out(contact, scripted):
    scripted(PermanentSendError("21610", "Attempt to send to unsubscribed recipient"))
    outbox.message_send(message_id=queue(contact).pk)
    contact.refresh_from_db()
    assert contact.opted_out is True
    assert queue(contact).status == "blocked"


def test_ambiguous_timeout_waits_for_the_callback(contact, scripted):
    fake = scripted(AmbiguousSendError("timeout", "read timed out"))
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "sending"
    outbox.message_status_record(
        outbox_id=str(message.pk), message_sid="SMlate", status="sent", error_code=""
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    assert outbox.outbox_sweep(now=later) == []
    message.refresh_from_db()
    assert (message.status, message.delivery_status, message.twilio_sid) == (
        "sent",
        "sent",
        "SMlate",
    )
    assert len(fake.sent) == 1


def test_sending_without_any_answer_is_retried_after_the_timeout(contact, scripted, settings):
    settings.PUBLIC_BASE_URL = BASE_URL
    scripted(AmbiguousSendError("timeout", "read timed out"))
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    soon = timezone.now() + datetime.timedelta(minutes=1)
    assert outbox.outbox_sweep(now=soon) == []
    later = timezone.now() + datetime.timedelta(minutes=settings.OUTBOX_SENDING_TIMEOUT_MINUTES + 1)
    assert outbox.outbox_sweep(now=later) == [message.pk]


def test_opted_out_contact_is_blocked_at_queue_and_at_send(contact, scripted):
    fake = scripted()
    message = queue(contact)
    contact.opted_out = True
    contact.save()
    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "blocked"
    blocked = queue(contact)
    assert blocked.status == "blocked"
    assert "opted out" in blocked.error_message
    assert fake.sent == []


def test_status_callbacks_never_move_backwards(contact, scripted):
    scripted()
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    record = outbox.message_status_record
    record(outbox_id=str(message.pk), message_sid="SMok1", status="delivered", error_code="")
    record(outbox_id=str(message.pk), message_sid="SMok1", status="sent", error_code="")
    record(outbox_id="", message_sid="SMok1", status="sent", error_code="")
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == ("sent", "delivered")
    record(outbox_id="", message_sid="SMok1", status="read", error_code="")
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == ("sent", "read")


@pytest.mark.parametrize(
    ("reports", "kept"),
    [
        (["delivered", "sent"], "delivered"),
        (["read", "delivered", "queued"], "read"),
        (["undelivered", "sending", "accepted"], "undelivered"),
        (["queued", "sent", "delivered"], "delivered"),
    ],
)
def test_delivery_status_is_the_furthest_report_whatever_their_order(
    contact, scripted, reports, kept
):
    scripted()
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    for reported in reports:
        outbox.message_status_record(
            outbox_id=str(message.pk), message_sid="SMok1", status=reported, error_code=""
        )
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == ("sent", kept)


def test_a_late_failure_report_keeps_its_error_and_an_earlier_one_does_not(contact, scripted):
    scripted()
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    record = outbox.message_status_record
    record(outbox_id=str(message.pk), message_sid="SMok1", status="delivered", error_code="")
    record(outbox_id=str(message.pk), message_sid="SMok1", status="sent", error_code="30008")
    message.refresh_from_db()
    assert (message.delivery_status, message.error_code) == ("delivered", "")


@pytest.mark.parametrize("never_sent", ["blocked", "canceled"])
def test_a_callback_for_a_message_never_handed_over_changes_nothing(contact, never_sent):
    message = queue(contact)
    Message.objects.filter(pk=message.pk).update(status=never_sent, error_message="why not")
    outbox.message_status_record(
        outbox_id=str(message.pk), message_sid="SMstray", status="delivered", error_code="30003"
    )
    message.refresh_from_db()
    assert (message.status, message.delivery_status, message.error_code) == (never_sent, "", "")
    assert message.error_message == "why not"
    assert outbox.outbox_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == []


def test_a_callback_after_the_sweep_requeued_the_message_stops_a_second_send(
    contact, scripted, settings
):
    """Twilio had it after all: its report takes the row out of the outbox's hands."""
    settings.PUBLIC_BASE_URL = BASE_URL
    fake = scripted(AmbiguousSendError("timeout", "read timed out"))
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    later = timezone.now() + datetime.timedelta(hours=1)
    assert outbox.outbox_sweep(now=later) == [message.pk]
    outbox.message_status_record(
        outbox_id=str(message.pk), message_sid="SMlate", status="queued", error_code=""
    )
    outbox.message_send(message_id=message.pk, now=later)
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == ("sent", "queued")
    assert len(fake.sent) == 1


@pytest.mark.parametrize(("early", "final"), [("sending", "sending"), ("delivered", "delivered")])
def test_a_callback_during_the_send_is_not_overwritten(contact, monkeypatch, early, final):
    """Twilio's status callback can land before its answer to the send does; the answer's
    ``queued`` is older news than the callback's, so it does not replace it."""
    message = queue(contact)

    class CallbackFirst:
        def send(self, outgoing):
            outbox.message_status_record(
                outbox_id=str(message.pk), message_sid="SMearly", status=early, error_code=""
            )
            return Sent(sid="SMearly", status="queued")

    monkeypatch.setattr(outbox, "sender_get", lambda: CallbackFirst())
    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.twilio_sid, message.status, message.delivery_status) == (
        "SMearly",
        "sent",
        final,
    )


def test_an_undisturbed_send_stores_twilios_answer(contact, scripted):
    scripted()
    message = queue(contact)
    assert outbox.message_send(message_id=message.pk).status == "sent"
    message.refresh_from_db()
    assert (message.twilio_sid, message.delivery_status, message.attempts) == ("SMok1", "queued", 1)


def test_undelivered_callback_records_the_error(contact, scripted):
    scripted()
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    outbox.message_status_record(
        outbox_id=str(message.pk), message_sid="SMok1", status="undelivered", error_code="30003"
    )
    message.refresh_from_db()
    assert (message.status, message.delivery_status, message.error_code) == (
        "sent",
        "undelivered",
        "30003",
    )


def test_sweep_picks_up_queued_rows_left_behind(contact, settings):
    message = queue(contact)
    assert outbox.outbox_sweep() == []
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS + 1)
    assert outbox.outbox_sweep(now=later) == [message.pk]


def test_whatsapp_outside_24_hours_without_template_is_not_sent(contact, scripted, settings):
    settings.TWILIO_WHATSAPP_TEMPLATE_SID = ""
    fake = scripted()
    message = queue(contact, channel="whatsapp")
    outbox.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "blocked"
    assert "24-hour" in message.error_message
    assert fake.sent == []


def test_whatsapp_outside_24_hours_uses_the_template(contact, scripted, settings):
    settings.TWILIO_WHATSAPP_TEMPLATE_SID = "HX" + "1" * 32
    fake = scripted()
    message = queue(contact, channel="whatsapp")
    outbox.message_send(message_id=message.pk)
    assert fake.sent[0].content_sid == settings.TWILIO_WHATSAPP_TEMPLATE_SID
    assert fake.sent[0].whatsapp is True


def test_whatsapp_within_24_hours_is_free_form(contact, scripted):
    Message.objects.create(
        contact=contact, direction="inbound", channel="whatsapp", body="hi", status="received"
    )
    fake = scripted()
    outbox.message_send(message_id=queue(contact, channel="whatsapp").pk)
    assert fake.sent[0].content_sid == ""
    assert fake.sent[0].body == "hello"


def test_text_sender_setting_names_the_senders_class(settings):
    settings.TEXT_SENDER = "cases.sending.ConsoleSender"
    assert isinstance(sending.sender_get(), sending.ConsoleSender)
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TEXT_SENDER = "hotline.twilio.sender.TwilioSender"
    assert isinstance(sending.sender_get(), TwilioSender)


def test_console_sender_gives_every_text_its_own_sid(capsys):
    console = sending.ConsoleSender()
    sids = {console.send(sending.Outgoing(to="+15125550100", body="hi")).sid for _ in range(3)}
    assert len(sids) == 3
    assert "+15125550100" not in capsys.readouterr().out


def check_in_queue(contact, conversation, send_after) -> Message:
    """A check-in about ``conversation``, due at ``send_after``."""
    return outbox.message_queue(
        contact=contact,
        channel="sms",
        body="check",
        purpose="check_in",
        conversation=conversation,
        send_after=send_after,
    )


def test_check_in_at_night_waits_for_sending_hours(contact, scripted):
    conversation = Conversation.objects.create(
        contact=contact, channel="sms", step="done", state={"step": "done"}
    )
    fake = scripted()
    night = datetime.datetime(2026, 11, 24, 6, 0, tzinfo=datetime.UTC)  # 00:00 in Texas
    message = check_in_queue(contact, conversation, night - datetime.timedelta(minutes=1))
    assert outbox.outbox_sweep(now=night) == [message.pk]
    outbox.message_send(message_id=message.pk, now=night)
    message.refresh_from_db()
    assert message.status == "scheduled"
    assert message.send_after == datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)
    assert fake.sent == []
    morning = datetime.datetime(2026, 11, 24, 15, 5, tzinfo=datetime.UTC)
    assert outbox.outbox_sweep(now=morning) == [message.pk]
    outbox.message_send(message_id=message.pk, now=morning)
    assert len(fake.sent) == 1
    conversation.refresh_from_db()
    assert conversation.step == "check_in"


def test_check_in_is_canceled_when_the_conversation_moved_on(contact, scripted):
    old = Conversation.objects.create(contact=contact, channel="sms", step="done")
    Conversation.objects.create(contact=contact, channel="sms", step="menu")
    fake = scripted()
    day = datetime.datetime(2026, 11, 24, 17, 0, tzinfo=datetime.UTC)
    message = check_in_queue(contact, old, day)
    outbox.outbox_sweep(now=day)
    outbox.message_send(message_id=message.pk, now=day)
    message.refresh_from_db()
    assert message.status == "canceled"
    assert fake.sent == []


def test_check_in_for_an_erased_caller_is_canceled(contact, scripted):
    conversation = Conversation.objects.create(contact=contact, channel="sms", step="done")
    fake = scripted()
    day = datetime.datetime(2026, 11, 24, 17, 0, tzinfo=datetime.UTC)
    message = check_in_queue(contact, conversation, day)
    Message.objects.filter(pk=message.pk).update(contact=None)
    outbox.outbox_sweep(now=day)
    outbox.message_send(message_id=message.pk, now=day)
    message.refresh_from_db()
    assert message.status == "canceled"
    assert "erased" in message.error_message
    assert fake.sent == []


def test_one_twilio_client_per_configuration_keeps_its_connection(settings):
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "token"
    first = TwilioSender()._client
    assert TwilioSender()._client is first
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"
    moved = TwilioSender()._client
    assert moved is not first
    assert moved.http_client._netloc == "127.0.0.1:9"


def _sweep_and_send(times, start, step):
    """Run the sweep ``times`` times, ``step`` apart, sending what it hands back."""
    for n in range(1, times + 1):
        when = start + n * step
        for pk in outbox.outbox_sweep(now=when):
            outbox.message_send(message_id=pk, now=when)


def test_a_send_twilio_never_answers_is_sent_again_at_most_once(contact, scripted, settings):
    """A read timeout may mean Twilio has the text: it is sent once more after the timeout,
    then given up with a reason staff can read (before: 20 sweeps sent it 20 times)."""
    settings.PUBLIC_BASE_URL = BASE_URL
    timeout = AmbiguousSendError("network", "no answer from Twilio")
    fake = scripted(*[timeout] * 30)
    start = timezone.now()
    message = queue(contact)
    outbox.message_send(message_id=message.pk, now=start)
    message.refresh_from_db()
    assert message.retry_until is not None
    _sweep_and_send(
        20, start, datetime.timedelta(minutes=settings.OUTBOX_SENDING_TIMEOUT_MINUTES + 1)
    )
    assert len(fake.sent) == 2
    message.refresh_from_db()
    assert message.status == "failed"
    assert "did not answer" in message.error_message
    assert "may have been sent" in message.error_message


def test_without_a_status_callback_a_send_without_answer_is_never_sent_again(
    contact, scripted, settings
):
    """No callback URL: nothing can ever say Twilio had it, so a resend risks a duplicate."""
    settings.PUBLIC_BASE_URL = ""
    fake = scripted(*[AmbiguousSendError("network", "no answer")] * 30)
    start = timezone.now()
    message = queue(contact)
    outbox.message_send(message_id=message.pk, now=start)
    _sweep_and_send(
        20, start, datetime.timedelta(minutes=settings.OUTBOX_SENDING_TIMEOUT_MINUTES + 1)
    )
    assert len(fake.sent) == 1
    message.refresh_from_db()
    assert message.status == "failed"
    assert "may have been sent" in message.error_message


def test_a_send_without_answer_fails_once_its_retry_time_is_over(contact, scripted, settings):
    settings.OUTBOX_RETRY_HOURS = 1
    fake = scripted(AmbiguousSendError("network", "no answer"))
    start = timezone.now()
    message = queue(contact)
    outbox.message_send(message_id=message.pk, now=start)
    assert outbox.outbox_sweep(now=start + datetime.timedelta(hours=2)) == []
    message.refresh_from_db()
    assert message.status == "failed"
    assert len(fake.sent) == 1


def test_a_late_report_for_a_send_given_up_on_says_it_was_sent(contact, scripted, settings):
    settings.PUBLIC_BASE_URL = ""
    scripted(AmbiguousSendError("network", "no answer"))
    message = queue(contact)
    outbox.message_send(message_id=message.pk)
    outbox.outbox_sweep(now=timezone.now() + datetime.timedelta(hours=1))
    outbox.message_status_record(
        outbox_id=str(message.pk), message_sid="SMlate", status="delivered", error_code=""
    )
    message.refresh_from_db()
    assert (message.status, message.delivery_status) == ("sent", "delivered")


DAY = datetime.datetime(2026, 11, 24, 17, 0, tzinfo=datetime.UTC)  # 11:00 in Texas


def test_a_check_in_that_is_blocked_leaves_the_conversation_as_it_was(contact, scripted):
    """Opted out after the check-in was queued: it is blocked, and the conversation does not
    wait for a yes/no answer to a question the caller never got."""
    conversation = Conversation.objects.create(
        contact=contact, channel="sms", step="done", state={"step": "done"}
    )
    fake = scripted()
    message = check_in_queue(contact, conversation, DAY)
    Contact.objects.filter(pk=contact.pk).update(opted_out=True)
    outbox.outbox_sweep(now=DAY)
    outbox.message_send(message_id=message.pk, now=DAY)
    message.refresh_from_db()
    conversation.refresh_from_db()
    assert message.status == "blocked"
    assert (conversation.step, conversation.state["step"]) == ("done", "done")
    assert fake.sent == []


def test_a_whatsapp_check_in_after_a_call_that_cannot_go_opens_no_conversation(
    contact, scripted, settings
):
    settings.TWILIO_WHATSAPP_TEMPLATE_SID = ""
    call = Conversation.objects.create(
        contact=contact, channel="voice", step="done", state={"step": "done"}
    )
    fake = scripted()
    message = outbox.message_queue(
        contact=contact,
        channel="whatsapp",
        body="check",
        purpose="check_in",
        conversation=call,
        send_after=DAY,
    )
    outbox.outbox_sweep(now=DAY)
    outbox.message_send(message_id=message.pk, now=DAY)
    message.refresh_from_db()
    assert message.status == "blocked"
    assert message.conversation_id == call.pk
    assert list(Conversation.objects.values_list("pk", flat=True)) == [call.pk]
    assert fake.sent == []


def test_a_check_in_after_a_call_does_not_count_the_outcome_twice(contact, scripted):
    call = Conversation.objects.create(
        contact=contact,
        channel="voice",
        step="done",
        outcome="domestic_same_state",
        state={"step": "done", "outcome": "domestic_same_state"},
    )
    scripted()
    message = check_in_queue(contact, call, DAY)
    outbox.outbox_sweep(now=DAY)
    outbox.message_send(message_id=message.pk, now=DAY)
    message.refresh_from_db()
    texting = message.conversation
    assert texting.pk != call.pk
    assert (texting.channel, texting.step, texting.state["outcome"]) == (
        "sms",
        "check_in",
        "domestic_same_state",
    )
    assert Conversation.objects.exclude(outcome="").count() == 1


def test_a_send_that_fails_in_process_is_logged_as_itself_not_as_the_broker(
    contact, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Without Redis the task runs in-process: its own error is logged with its traceback."""

    def broken(**kwargs):
        raise RuntimeError("a bug in sending")

    monkeypatch.setattr(outbox, "message_send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        queue(contact)
    (record,) = [r for r in caplog.records if r.name == "cases.outbox"]
    assert "broker" not in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError


def test_a_broker_that_is_down_leaves_the_message_for_the_sweep(
    contact, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from cases import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(contact)
    assert "broker unavailable" in caplog.text
    assert outbox.outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=1)) == [message.pk]
