"""`manage.py chat` holds a conversation through the signed webhook."""

import io

import pytest
from django.core.management import CommandError, call_command

from cases.models import Message

pytestmark = pytest.mark.django_db


def chat(*lines, **options):
    out = io.StringIO()
    call_command(
        "chat", stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out, **options
    )
    return out.getvalue()


def test_chat_reaches_an_outcome(twilio_settings):
    output = chat("hi", "1", "Texas", "Germany")
    assert "Where do you live?" in output
    assert "1-800-252-8014" in output
    assert Message.objects.filter(direction="inbound").count() == 4


def test_chat_in_spanish_over_whatsapp(twilio_settings):
    output = chat("1", language="es", whatsapp=True)
    assert "¿Dónde vive usted?" in output
    assert Message.objects.filter(channel="whatsapp").exists()


def test_chat_reports_silence_after_stop(twilio_settings):
    output = chat("STOP", "hi")
    assert "no reply" in output


def test_chat_needs_a_token(twilio_settings):
    twilio_settings.TWILIO_AUTH_TOKEN = ""
    with pytest.raises(CommandError):
        chat("hi")
