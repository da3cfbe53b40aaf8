"""Twilio as the sender needs credentials and a number (or service) to send from."""

from django.core import checks

from hotline.checks import (
    CONSOLE_SENDER,
    TWILIO_SENDER,
    console_sender_check,
    twilio_delivery_check,
    twilio_sender_check,
)


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


def _production(settings) -> None:
    """Twilio with everything it needs, DEBUG off: no warning."""
    settings.DEBUG = False
    settings.TEXT_SENDER = TWILIO_SENDER
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "token"
    settings.TWILIO_FROM_NUMBER, settings.TWILIO_MESSAGING_SERVICE_SID = "+18005550199", ""
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+18005550199"
    settings.REDIS_URL = "redis://redis:6379/0"
    settings.PUBLIC_BASE_URL = "https://hotline.example.org"


def _warnings() -> list[str]:
    return [message.id for message in console_sender_check() + twilio_delivery_check()]


def test_production_with_twilio_set_up_has_no_warning(settings):
    _production(settings)
    assert _warnings() == []


def test_a_token_without_its_account_prints_texts_and_says_so(settings):
    """The default sender is the console's unless both credentials are set: in production
    staff replies, check-ins and summaries would be marked sent and printed."""
    _production(settings)
    settings.TEXT_SENDER = CONSOLE_SENDER
    settings.TWILIO_ACCOUNT_SID = ""
    [warning] = console_sender_check()
    assert (warning.id, warning.level) == ("hotline.W001", checks.WARNING)
    assert "printed on the console, not sent" in warning.msg
    assert "TWILIO_ACCOUNT_SID is unset" in warning.hint


def test_the_console_sender_is_fine_with_debug(settings):
    settings.DEBUG = True
    settings.TEXT_SENDER = CONSOLE_SENDER
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = ""
    assert _warnings() == []


def test_twilio_without_redis_public_address_or_whatsapp_sender_is_named(settings):
    _production(settings)
    settings.REDIS_URL = settings.PUBLIC_BASE_URL = ""
    settings.TWILIO_FROM_NUMBER, settings.TWILIO_MESSAGING_SERVICE_SID = "", "MG" + "0" * 32
    settings.TWILIO_WHATSAPP_FROM = ""
    assert _warnings() == ["hotline.W002", "hotline.W003"]
    assert _ids() == []  # the Messaging Service sends SMS and WhatsApp


def test_the_new_checks_run_with_manage_py_check(settings):
    _production(settings)
    settings.REDIS_URL = ""
    assert "hotline.W002" in [message.id for message in checks.run_checks()]
