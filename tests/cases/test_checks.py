"""A wrong TEXT_SENDER is named at start-up, not found when the first text fails."""

from cases.checks import text_sender_check


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
