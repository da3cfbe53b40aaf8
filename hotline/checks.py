"""Start-up checks for the Twilio settings, so a missing one is named by ``migrate`` rather
than found in a worker's log after the first text fails."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

TWILIO_SENDER = "hotline.twilio.sender.TwilioSender"


def twilio_sender_check(**kwargs: object) -> list[checks.CheckMessage]:
    """Texts sent through Twilio need credentials and something to send from."""
    if settings.TEXT_SENDER != TWILIO_SENDER:
        return []
    errors: list[checks.CheckMessage] = []
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        errors.append(
            checks.Error(
                "TEXT_SENDER is Twilio's, but TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is unset.",
                hint="Set both, or unset TEXT_SENDER to print texts on the console.",
                id="hotline.E001",
            )
        )
    if not (settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID):
        errors.append(
            checks.Error(
                "Texts would go out through Twilio with no sender.",
                hint="Set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID.",
                id="hotline.E002",
            )
        )
    return errors
