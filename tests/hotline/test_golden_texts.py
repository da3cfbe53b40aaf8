"""The golden conversations, played through /twilio/sms/ as SMS and as WhatsApp."""

import xml.etree.ElementTree as ET

import pytest

from cases.models import Conversation, Handoff, Message
from tests.golden_scripts import golden_conversations, handoff_opened
from tests.golden_snapshots import Transcript, assert_matches_snapshot, snapshot_path
from tests.twilio_helpers import signed_post, text_params

pytestmark = pytest.mark.django_db

SENDERS = {"sms": "+15125550142", "whatsapp": "whatsapp:+15125550143"}


GREETINGS = {"en": "hi", "es": "hola"}


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize(("script", "language"), golden_conversations("sms"))
def test_golden_conversation(
    client, twilio_settings, golden_clock, snapshot_update, script, channel, language
):
    sender = SENDERS[channel]
    as_written = script.get("first_text", False)
    transcript = Transcript(script, channel, language)
    played = []
    for number, step in enumerate(script["steps"], start=1):
        sent = GREETINGS[language] if number == 1 and not as_written else step["send"]
        response = signed_post(client, "/twilio/sms/", text_params(sent, sender=sender))
        transcript.caller(number, "texts", sent)
        replies = []
        if response.status_code == 200:
            replies = [m.text or "" for m in ET.fromstring(response.content).iter("Message")]
        else:
            transcript.note(f"HTTP {response.status_code}")
        for reply in replies:
            transcript.hotline("hotline", reply)
        open_conversations = list(
            Conversation.objects.filter(
                channel=channel, status__in=["active", "completed", "handed_off"]
            )
        )
        handoffs = list(Handoff.objects.order_by("pk"))
        for conversation in open_conversations:
            transcript.recorded(conversation, handoffs)
        played.append((step, response.status_code, replies, open_conversations, handoffs))
    transcript.queued(
        Message.objects.filter(direction="outbound").exclude(via="twiml").order_by("pk")
    )
    assert_matches_snapshot(
        snapshot_path(script, channel, language), transcript.text(), update=snapshot_update
    )

    for number, (step, status_code, replies, open_conversations, handoffs) in enumerate(
        played, start=1
    ):
        where = f"step {number} ({step['send']!r})"
        assert status_code == 200, where
        assert replies, f"{where}: no reply"
        assert len(open_conversations) == 1, f"{where}: {len(open_conversations)} conversations"
        conversation = open_conversations[0]
        assert conversation.step == step["step"], f"{where}: {replies}"
        assert conversation.language == language, where
        if "outcome" in step:
            assert conversation.outcome == step["outcome"], where
        text = "\n".join(replies)
        for expected in step.get("contains", []) + step.get(f"contains_{language}", []):
            assert expected in text, f"{where}: {expected!r} not in {text!r}"
        if "handoff" in step:
            assert handoff_opened(step, conversation, handoffs), where
