"""A wrong TEXT_SENDER is named at start-up, not found when the first text fails."""

import pytest
from django.core import checks

from cases.checks import handoff_alert_check, send_window_check, text_sender_check


def _ids() -> list[str]:
    return [message.id for message in text_sender_check()]


def test_the_default_senders_pass(settings):
    for path in ("cases.sending.ConsoleSender", "hotline.twilio.sender.TwilioSender"):
        settings.TEXT_SENDER = path
        assert _ids() == []


def test_a_sender_that_cannot_be_imported_is_an_error(settings):
    settings.TEXT_SENDER = "hotline.twilio.sender.TwilioSendr"
    assert _ids() == ["cases.E001"]


def test_a_class_without_send_is_an_error(settings):
    settings.TEXT_SENDER = "cases.sending.Outgoing"
    assert _ids() == ["cases.E002"]


@pytest.mark.parametrize(("start", "end"), [(9, 20), (0, 24), (8, 9)])
def test_a_send_window_with_hours_passes(settings, start, end):
    settings.SEND_WINDOW_START_HOUR, settings.SEND_WINDOW_END_HOUR = start, end
    assert send_window_check() == []


@pytest.mark.parametrize(("start", "end"), [(20, 9), (9, 9), (24, 24), (-1, 20), (9, 25)])
def test_a_send_window_without_hours_is_an_error(settings, start, end):
    """An empty window pushed check-ins back a day for ever; an hour outside the day made
    the outbox raise ValueError."""
    settings.SEND_WINDOW_START_HOUR, settings.SEND_WINDOW_END_HOUR = start, end
    assert [message.id for message in send_window_check()] == ["cases.E003"]
    assert "cases.E003" in [message.id for message in checks.run_checks()]


def _alert_ids() -> list[str]:
    return [message.id for message in handoff_alert_check()]


def test_urgent_handoffs_mailed_in_production_pass(settings):
    settings.DEBUG = False
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert _alert_ids() == []


def test_urgent_handoffs_mailed_to_nobody_or_the_console_are_named(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.HANDOFF_ALERT_EMAILS = []
    assert _alert_ids() == ["cases.W001"]
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert _alert_ids() == ["cases.W002"]
    settings.DEBUG = True
    assert _alert_ids() == []
