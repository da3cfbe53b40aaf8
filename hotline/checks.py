"""Start-up checks for the Twilio settings, so a missing one is named by ``migrate`` rather
than found in a worker's log after the first text fails.

Errors stop ``migrate``; warnings are printed by it and by ``check``, and are only given with
DEBUG off (a developer's machine prints texts on purpose). ``twilio_sender_check`` is
registered by the app; the others register themselves when the app imports this module.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

TWILIO_SENDER = "hotline.twilio.sender.TwilioSender"
CONSOLE_SENDER = "cases.sending.ConsoleSender"


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


@checks.register()
def console_sender_check(**kwargs: object) -> list[checks.CheckMessage]:
    """Outside DEBUG, the console sender marks staff replies, check-ins and summaries sent
    while nobody receives them: it is the default whenever a Twilio credential is missing."""
    if settings.DEBUG or settings.TEXT_SENDER != CONSOLE_SENDER:
        return []
    if settings.TWILIO_ACCOUNT_SID or settings.TWILIO_AUTH_TOKEN:
        missing = "TWILIO_AUTH_TOKEN" if settings.TWILIO_ACCOUNT_SID else "TWILIO_ACCOUNT_SID"
        hint = f"{missing} is unset: set it, and texts go out through Twilio."
    else:
        hint = "Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, and texts go out through Twilio."
    return [
        checks.Warning(
            "Texts are printed on the console, not sent (TEXT_SENDER is the console sender "
            "and DEBUG is off): callers receive no staff replies, check-ins or summaries.",
            hint=hint,
            id="hotline.W001",
        )
    ]


@checks.register()
def twilio_delivery_check(**kwargs: object) -> list[checks.CheckMessage]:
    """What else texts sent through Twilio need to reach callers and be known to fail."""
    if settings.DEBUG or settings.TEXT_SENDER != TWILIO_SENDER:
        return []
    warnings: list[checks.CheckMessage] = []
    if not settings.REDIS_URL:
        warnings.append(
            checks.Warning(
                "Texts go out through Twilio but REDIS_URL is unset: with no Celery beat to "
                "sweep the outbox, scheduled check-ins and retried texts are never sent.",
                hint="Set REDIS_URL and run a Celery worker with beat.",
                id="hotline.W002",
            )
        )
    if not settings.PUBLIC_BASE_URL:
        warnings.append(
            checks.Warning(
                "Texts go out through Twilio but PUBLIC_BASE_URL is unset: no delivery "
                "reports are asked for, so undelivered texts are never recorded.",
                hint="Set PUBLIC_BASE_URL to the https origin Twilio calls.",
                id="hotline.W003",
            )
        )
    return warnings
