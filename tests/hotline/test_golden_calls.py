"""The golden conversations, played as phone calls through /twilio/voice/, following the
action URLs of the TwiML as Twilio would."""

import re
import xml.etree.ElementTree as ET

import pytest

from cases.models import Conversation, Handoff, Message
from tests.golden_scripts import golden_conversations, handoff_opened
from tests.golden_snapshots import Transcript, assert_matches_snapshot, snapshot_path
from tests.twilio_helpers import BASE_URL, new_sid, signed_post

pytestmark = pytest.mark.django_db

LANGUAGE_KEYS = {"en": "1", "es": "2"}
KEYPAD = re.compile(r"^[0-9*#]*$")
URL_LIKE = re.compile(r"[/]|\.gov|\.net|hcch|Retaining")


def call_params(call_sid: str, answer: str | None) -> dict[str, str]:
    params = {
        "CallSid": call_sid,
        "From": "+15125550150",
        "To": "+18005550199",
        "AccountSid": "AC1",
    }
    if answer is None or answer == "":
        return params
    if KEYPAD.match(answer):
        return {**params, "Digits": answer}
    return {**params, "SpeechResult": answer, "Confidence": "0.92"}


def spoken_text(root: ET.Element) -> str:
    return "\n".join(say.text or "" for say in root.iter("Say"))


def check_twiml(root: ET.Element) -> None:
    """The shape Twilio accepts: a Response of known verbs, Say/Pause inside Gather."""
    assert root.tag == "Response"
    for verb in root:
        assert verb.tag in {"Gather", "Say", "Pause", "Dial", "Record", "Hangup"}, verb.tag
    for gather in root.iter("Gather"):
        assert gather.get("action", "").startswith(f"{BASE_URL}/twilio/voice/step/?step=")
        assert gather.get("actionOnEmptyResult") == "true"
        assert gather.get("input") in {"dtmf", "dtmf speech", "speech"}
        assert gather.get("language") in {"en-US", "es-US"}
        assert {child.tag for child in gather} <= {"Say", "Pause"}
    for say in root.iter("Say"):
        assert say.get("voice")
        assert (say.text or "").strip()


def next_path(root: ET.Element) -> str | None:
    gather = root.find("Gather")
    return gather.get("action").removeprefix(BASE_URL) if gather is not None else None


def expected_in_speech(expected: str, spoken: str) -> bool:
    digits = re.sub(r"\D", "", expected)
    if len(digits) >= 7:
        return digits in re.sub(r"\D", "", spoken)
    return expected in spoken


def caller_action(answer: str) -> str:
    if answer == "":
        return "is silent"
    return "presses" if KEYPAD.match(answer) else "says"


@pytest.mark.parametrize(("script", "language"), golden_conversations("voice"))
def test_golden_call(client, twilio_settings, golden_clock, snapshot_update, script, language):
    call_sid = new_sid("CA")
    transcript = Transcript(script, "voice", language)
    response = signed_post(client, "/twilio/voice/", call_params(call_sid, None))
    transcript.caller(0, "calls")
    first = ET.fromstring(response.content)
    transcript.twiml(first)
    path = next_path(first)
    played = []
    for number, step in enumerate(script["steps"], start=1):
        if step["send"] == "MORE":
            played.append((step, None))
            continue
        if not path:
            break
        answer = LANGUAGE_KEYS[language] if number == 1 else step["send"]
        response = signed_post(client, path, call_params(call_sid, answer))
        transcript.caller(number, caller_action(answer), answer)
        if response.status_code != 200:
            transcript.note(f"HTTP {response.status_code}")
            played.append((step, (response.status_code, None, None, [])))
            break
        root = ET.fromstring(response.content)
        transcript.twiml(root)
        conversation = Conversation.objects.get(call_sid=call_sid)
        handoffs = list(Handoff.objects.order_by("pk"))
        transcript.recorded(conversation, handoffs)
        played.append((step, (response.status_code, root, conversation, handoffs)))
        path = next_path(root)
    transcript.queued(
        Message.objects.filter(direction="outbound").exclude(via="twiml").order_by("pk")
    )
    assert_matches_snapshot(
        snapshot_path(script, "voice", language), transcript.text(), update=snapshot_update
    )

    check_twiml(first)
    spoken = ""
    for number, (step, heard) in enumerate(played, start=1):
        where = f"step {number} ({step['send']!r})"
        if heard is None:
            # A call hears the whole answer at once: what a texter asks for with MORE was
            # in the outcome just spoken.
            for expected in step.get("contains", []) + step.get(f"contains_{language}", []):
                if not URL_LIKE.search(expected):
                    assert expected_in_speech(expected, spoken), (
                        f"{where}: {expected!r} not in {spoken!r}"
                    )
            continue
        status_code, root, conversation, handoffs = heard
        assert status_code == 200, where
        check_twiml(root)
        assert conversation.step == step["step"], f"{where}: {spoken_text(root)}"
        assert conversation.language == language, where
        if "outcome" in step:
            assert conversation.outcome == step["outcome"], where
        spoken = spoken_text(root)
        for expected in step.get("contains", []) + step.get(f"contains_{language}", []):
            if not URL_LIKE.search(expected):
                assert expected_in_speech(expected, spoken), (
                    f"{where}: {expected!r} not in {spoken!r}"
                )
        assert "http" not in spoken, where
        if "handoff" in step:
            assert handoff_opened(step, conversation, handoffs), where
        if step["step"] == "handoff":
            assert root.find("Record") is not None or root.find("Dial") is not None, where
        if step.get("hang_up"):
            assert next_path(root) is None, f"{where}: the call is still open"
            assert root.find("Hangup") is not None, f"{where}: no hang-up"
    assert len(played) == len(script["steps"]), f"step {len(played) + 1}: the call ended early"
