"""Twilio as the sender needs credentials and a number (or service) to send from."""

from django.core import checks

from hotline.checks import TWILIO_SENDER, twilio_sender_check


def _ids() -> list[str]:
    return [message.id for message in twilio_sender_check()]


def test_twilio_with_everything_set_passes(settings):
    settings.TEXT_SENDER = TWILIO_SENDER
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "token"
    settings.TWILIO_FROM_NUMBER, settings.TWILIO_MESSAGING_SERVICE_SID = "+18005550199", ""
    assert _ids() == []


def test_twilio_without_credentials_or_sender_is_named(settings):
    settings.TEXT_SENDER = TWILIO_SENDER
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_FROM_NUMBER = settings.TWILIO_MESSAGING_SERVICE_SID = ""
    assert _ids() == ["hotline.E001", "hotline.E002"]


def test_the_console_sender_needs_no_twilio_settings(settings):
    settings.TEXT_SENDER = "cases.sending.ConsoleSender"
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_FROM_NUMBER = ""
    assert _ids() == []


def test_the_checks_run_with_manage_py_check(settings):
    settings.TEXT_SENDER = "nowhere.Sender"
    assert "cases.E001" in [message.id for message in checks.run_checks()]
