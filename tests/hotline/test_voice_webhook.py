"""/twilio/voice/: signatures, repeats, confirmation, transfer, voicemail, hang-up."""

import xml.etree.ElementTree as ET

import pytest

from cases import outbox
from cases.models import Contact, Conversation, Handoff, Message
from routing.messages import text_render
from tests.twilio_helpers import BASE_URL, new_sid, signed_post

pytestmark = pytest.mark.django_db

CALLER = "+15125550160"


class Call:
    """One phone call, following the TwiML's own action URLs as Twilio does."""

    def __init__(self, client):
        self.client = client
        self.sid = new_sid("CA")
        self.root = self._post("/twilio/voice/", {})
        self.path = self._action()

    def params(self, extra):
        return {"CallSid": self.sid, "From": CALLER, "To": "+18005550199", **extra}

    def _post(self, path, extra):
        response = signed_post(self.client, path, self.params(extra))
        assert response.status_code == 200, response.content
        return ET.fromstring(response.content)

    def _action(self):
        gather = self.root.find("Gather")
        return gather.get("action").removeprefix(BASE_URL) if gather is not None else None

    def press(self, digits):
        return self.answer({"Digits": digits})

    def say(self, words, confidence="0.9"):
        return self.answer({"SpeechResult": words, "Confidence": confidence})

    def answer(self, extra):
        self.root = self._post(self.path, extra)
        self.path = self._action()
        return self.root

    @property
    def conversation(self):
        return Conversation.objects.get(call_sid=self.sid)

    def spoken(self):
        return " ".join(say.text or "" for say in self.root.iter("Say"))


def test_every_voice_path_needs_a_signature(client, twilio_settings):
    for path in (
        "/twilio/voice/",
        "/twilio/voice/step/?step=1",
        "/twilio/voice/dial/",
        "/twilio/voice/voicemail/",
        "/twilio/voice/status/",
    ):
        assert client.post(path, {"CallSid": "CA1", "From": CALLER}).status_code == 403, path
    assert not Conversation.objects.exists()


def test_repeated_step_is_answered_the_same_without_advancing(client, twilio_settings):
    call = Call(client)
    path = call.path
    first = signed_post(client, path, call.params({"Digits": "1"})).content
    again = signed_post(client, path, call.params({"Digits": "2"})).content
    assert first == again
    assert call.conversation.language == "en"
    assert call.conversation.call_step == 2


def test_repeated_new_call_webhook_is_harmless(client, twilio_settings):
    call = Call(client)
    twice = signed_post(client, "/twilio/voice/", call.params({}))
    assert ET.fromstring(twice.content).find("Gather").get("action").endswith("step=1")
    assert Conversation.objects.count() == 1


def test_bad_step_and_missing_call_are_400(client, twilio_settings):
    assert (
        signed_post(
            client, "/twilio/voice/step/?step=x", {"CallSid": "CA1", "From": CALLER}
        ).status_code
        == 400
    )
    assert signed_post(client, "/twilio/voice/", {"From": CALLER}).status_code == 400


def test_low_confidence_place_is_read_back(client, twilio_settings):
    call = Call(client)
    call.press("1")
    call.press("1")
    call.say("I live in Texas", confidence="0.5")
    assert "Did you say" not in call.spoken()
    assert call.conversation.step == "other_place"
    call.say("Germany")
    assert call.conversation.step == "read_back"
    assert "Texas" in call.spoken()
    assert "Germany" in call.spoken()
    call.press("2")
    assert call.conversation.step == "caller_place"
    call.say("Texas", confidence="0.35")
    call.say("Germany")
    call.press("1")
    assert call.conversation.step == "done"
    assert call.conversation.outcome


def test_place_question_uses_speech_with_hints(client, twilio_settings):
    call = Call(client)
    call.press("2")
    call.press("1")
    gather = call.root.find("Gather")
    assert gather.get("input") == "dtmf speech"
    assert gather.get("language") == "es-US"
    hints = gather.get("hints")
    assert "Nueva York" in hints
    assert "Alemania" in hints
    assert len(hints) <= 5000


def test_numbers_are_read_digit_by_digit_without_links(client, twilio_settings):
    call = Call(client)
    call.press("1")
    call.press("1")
    call.say("Texas")
    call.say("Germany")
    spoken = call.spoken()
    assert "1, 8 0 0, 2 5 2, 8 0 1 4" in spoken
    assert "http" not in spoken


def test_the_language_menu_is_the_template_each_line_in_its_own_voice(client, twilio_settings):
    """The bilingual menu is written once, in templates/flow/language_menu.txt (a translator's
    file), and each of its lines is spoken by the voice of its language."""
    twilio_settings.TWILIO_VOICE_EN, twilio_settings.TWILIO_VOICE_ES = "Polly.Joanna", "Polly.Lupe"
    menu = text_render("flow/language_menu.txt", {"voice": True}, language="en").splitlines()
    said = [(say.get("voice"), say.text) for say in Call(client).root.iter("Say")]
    assert said == [("Polly.Joanna", menu[0]), ("Polly.Lupe", menu[1])]


def test_voices_are_configurable(client, twilio_settings):
    twilio_settings.TWILIO_VOICE_EN = "Polly.Matthew"
    call = Call(client)
    call.press("1")
    assert {say.get("voice") for say in call.root.iter("Say")} == {"Polly.Matthew"}


def test_person_with_staff_number_is_dialled_then_voicemail(client, twilio_settings):
    twilio_settings.STAFF_PHONE_NUMBER = "+15125550999"
    call = Call(client)
    call.press("1")
    call.press("0")
    dial = call.root.find("Dial")
    assert dial.find("Number").text == "+15125550999"
    assert int(dial.get("timeout")) > 0
    handoff = Handoff.objects.get()
    assert (handoff.reason, handoff.status) == ("requested", "open")
    action = dial.get("action").removeprefix(BASE_URL)
    answered = ET.fromstring(
        signed_post(client, action, call.params({"DialCallStatus": "completed"})).content
    )
    assert answered.find("Hangup") is not None
    missed = ET.fromstring(
        signed_post(client, action, call.params({"DialCallStatus": "no-answer"})).content
    )
    record = missed.find("Record")
    assert record is not None
    recording = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"
    thanks = signed_post(
        client,
        record.get("action").removeprefix(BASE_URL),
        call.params({"RecordingUrl": recording}),
    )
    assert ET.fromstring(thanks.content).find("Hangup") is not None
    handoff.refresh_from_db()
    assert (handoff.reason, handoff.recording_url) == ("voicemail", recording)


def test_person_without_staff_number_goes_to_voicemail(client, twilio_settings):
    twilio_settings.STAFF_PHONE_NUMBER = ""
    call = Call(client)
    call.press("2")
    call.press("0")
    assert call.root.find("Dial") is None
    assert call.root.find("Record") is not None
    assert "mensaje" in call.spoken()


def test_silence_after_the_outcome_says_goodbye(client, twilio_settings):
    call = Call(client)
    for answer in ("1", "1"):
        call.press(answer)
    call.say("Ohio")
    call.say("Ohio")
    call.answer({})
    assert call.root.find("Hangup") is not None
    assert "Goodbye" in call.spoken()


def test_summary_is_texted_after_the_call_ends(
    client, twilio_settings, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []

    class Recorder:
        def send(self, outgoing):
            from cases.sending import Sent

            sent.append(outgoing)
            return Sent(sid="SMsummary", status="queued")

    monkeypatch.setattr(outbox, "sender_get", lambda: Recorder())
    call = Call(client)
    for answer in ("1", "1"):
        call.press(answer)
    call.say("Texas")
    call.say("Texas")
    call.press("1")
    assert "text" in call.spoken()
    assert not Message.objects.filter(purpose="summary").exists()
    status = {"CallSid": call.sid, "CallStatus": "completed", "From": CALLER}
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_post(client, "/twilio/voice/status/", status).status_code == 204
        assert signed_post(client, "/twilio/voice/status/", status).status_code == 204
    summary = Message.objects.get(purpose="summary")
    assert summary.channel == "sms"
    assert "1-800-252-8014" in summary.body
    # The full guidance with its web address, not the short texted answer.
    assert "https://childsupport.oag.texas.gov/" in summary.body
    assert "Reply MORE" not in summary.body
    assert summary.twilio_sid == "SMsummary"
    assert [o.to for o in sent] == [CALLER]
    assert call.conversation.status == "closed"


def test_no_summary_unless_asked_and_none_to_opted_out(client, twilio_settings):
    call = Call(client)
    call.press("1")
    status = {"CallSid": call.sid, "CallStatus": "completed", "From": CALLER}
    signed_post(client, "/twilio/voice/status/", status)
    assert not Message.objects.filter(purpose="summary").exists()
    other = Call(client)
    for answer in ("1", "1"):
        other.press(answer)
    other.say("Ohio")
    other.say("Ohio")
    other.press("1")
    Contact.objects.filter(phone=CALLER).update(opted_out=True)
    signed_post(client, "/twilio/voice/status/", {**status, "CallSid": other.sid})
    assert Message.objects.get(purpose="summary").status == "blocked"


def test_a_country_deleted_during_the_call_is_said_and_ends_without_a_500(client, twilio_settings):
    """Staff deleted the country after the outcome: pressing 2 hears why and the menu, and
    the summary asked for earlier is not sent (the end of the call used to fail)."""
    from routing.models import Jurisdiction

    call = Call(client)
    for answer in ("1", "1"):
        call.press(answer)
    call.say("Texas")
    call.say("Germany")
    assert "Texas" in call.spoken()
    Jurisdiction.objects.filter(code="DE").delete()
    call.press("2")
    assert "our information about a place in your answers has changed" in call.spoken()
    assert call.conversation.step == "menu"
    asked = Call(client)
    for answer in ("1", "1"):
        asked.press(answer)
    asked.say("Texas")
    asked.say("France")
    asked.press("1")
    Jurisdiction.objects.filter(code="FR").delete()
    status = {"CallSid": asked.sid, "CallStatus": "completed", "From": CALLER}
    assert signed_post(client, "/twilio/voice/status/", status).status_code == 204
    assert not Message.objects.filter(purpose="summary").exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"SpeechResult": "x" * 10000, "Confidence": "0.9"},
        {"SpeechResult": "Texas", "Confidence": "not-a-number"},
        {"Digits": "#####"},
        {"SpeechResult": "\u200f\u0645\u0643\u0633\u064a\u0643"},
    ],
)
def test_hostile_answers_are_asked_again(client, twilio_settings, extra):
    call = Call(client)
    call.press("1")
    call.press("1")
    call.answer(extra)
    assert call.root.find("Gather") is not None


def test_check_in_after_a_call_continues_by_text(client, twilio_settings, monkeypatch):
    import datetime

    from cases.sending import Sent
    from tests.twilio_helpers import text_params

    class Accept:
        def send(self, outgoing):
            return Sent(sid="SMcheckin", status="queued")

    monkeypatch.setattr(outbox, "sender_get", lambda: Accept())
    call = Call(client)
    for answer in ("1", "1"):
        call.press(answer)
    call.say("Ohio")
    call.say("Ohio")
    check_in = Message.objects.get(purpose="check_in")
    assert check_in.channel == "sms"
    day = datetime.datetime(2030, 1, 8, 17, 0, tzinfo=datetime.UTC)
    Message.objects.filter(pk=check_in.pk).update(send_after=day)
    outbox.outbox_sweep(now=day)
    outbox.message_send(message_id=check_in.pk, now=day)
    check_in.refresh_from_db()
    assert check_in.twilio_sid == "SMcheckin"
    texting = check_in.conversation
    # The call's answers and outcome go on in the state; the call alone counts the outcome.
    assert (texting.channel, texting.step, texting.state["outcome"]) == (
        "sms",
        "check_in",
        "domestic_same_state",
    )
    assert texting.outcome == ""
    reply = signed_post(client, "/twilio/sms/", text_params("2", sender=CALLER))
    assert "staff" in reply.content.decode()
    assert Handoff.objects.filter(reason="check_in", conversation=texting).exists()


def test_nul_in_a_call_field_is_400(client, twilio_settings):
    call = Call(client)
    response = signed_post(client, call.path, call.params({"Digits": "\x00"}))
    assert response.status_code == 400


def test_a_call_is_logged_as_its_transcript(client, twilio_settings):
    call = Call(client)
    call.press("1")
    call.press("1")
    call.say("Ohio")
    call.answer({})
    rows = list(call.conversation.messages.order_by("created_at", "id"))
    assert [(m.direction, m.channel) for m in rows[:3]] == [
        ("outbound", "voice"),
        ("inbound", "voice"),
        ("outbound", "voice"),
    ]
    assert "For English, press 1." in rows[0].body
    assert rows[0].status == "spoken"
    assert [m.body for m in rows if m.direction == "inbound"] == [
        "[pressed 1]",
        "[pressed 1]",
        "Ohio",
        "[no answer]",
    ]
    assert rows[-3].body.startswith("Where does the other parent live?")
    assert rows[-1].body.startswith("Sorry, I did not hear anything.")


def test_a_transfer_is_noted_in_the_transcript(client, twilio_settings):
    twilio_settings.STAFF_PHONE_NUMBER = "+15125550999"
    call = Call(client)
    call.press("1")
    call.press("0")
    assert (
        call.conversation.messages.order_by("-id").first().body.endswith("[put through to staff]")
    )


#: SQL statements for one answer in the middle of a call (the transcript's insert included).
@pytest.mark.parametrize(("answers", "expected"), [(["1"], 4), (["1", "1"], 4)])
def test_queries_per_call_step(client, twilio_settings, answers, expected):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from routing.selectors import reference_data_get

    call = Call(client)
    *before, last = answers
    for answer in before:
        call.press(answer)
    reference_data_get()
    with CaptureQueriesContext(connection) as captured:
        call.press(last)
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == expected, [sql[:80] for sql in statements]
