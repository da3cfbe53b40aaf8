"""The golden conversations, played through /twilio/sms/ as SMS and as WhatsApp."""

import xml.etree.ElementTree as ET

import pytest

from cases.models import Conversation, Handoff
from tests.golden_scripts import golden_conversations
from tests.twilio_helpers import signed_post, text_params

pytestmark = pytest.mark.django_db

SENDERS = {"sms": "+15125550142", "whatsapp": "whatsapp:+15125550143"}


GREETINGS = {"en": "hi", "es": "hola"}


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize(("script", "language"), golden_conversations("sms"))
def test_golden_conversation(client, twilio_settings, script, channel, language):
    sender = SENDERS[channel]
    as_written = script.get("first_text", False)
    for number, step in enumerate(script["steps"], start=1):
        sent = GREETINGS[language] if number == 1 and not as_written else step["send"]
        response = signed_post(client, "/twilio/sms/", text_params(sent, sender=sender))
        where = f"step {number} ({step['send']!r})"
        assert response.status_code == 200, where
        replies = [m.text or "" for m in ET.fromstring(response.content).iter("Message")]
        assert replies, f"{where}: no reply"
        conversation = Conversation.objects.get(
            channel=channel, status__in=["active", "completed", "handed_off"]
        )
        assert conversation.step == step["step"], f"{where}: {replies}"
        assert conversation.language == language, where
        if "outcome" in step:
            assert conversation.outcome == step["outcome"], where
        text = "\n".join(replies)
        for expected in step.get("contains", []) + step.get(f"contains_{language}", []):
            assert expected in text, f"{where}: {expected!r} not in {text!r}"
        if "handoff" in step:
            assert Handoff.objects.filter(
                conversation=conversation, reason=step["handoff"], status="open"
            ).exists(), where
