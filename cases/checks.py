"""Start-up checks (``manage.py check``, run by ``migrate`` and ``runserver``) for settings
that would otherwise fail only when the first text is sent, or an alert is.

Errors stop ``migrate``; warnings are printed and only given with DEBUG off.
``text_sender_check`` is registered by the app; the others register themselves when the app
imports this module."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


def text_sender_check(**kwargs: object) -> list[checks.CheckMessage]:
    """``TEXT_SENDER`` names an importable class with a ``send`` method."""
    path = settings.TEXT_SENDER
    hint = "Unset it for the default, or name hotline.twilio.sender.TwilioSender."
    try:
        sender_class = import_string(path)
    except ImportError as error:
        return [
            checks.Error(
                f"TEXT_SENDER {path!r} cannot be imported ({error}).", hint=hint, id="cases.E001"
            )
        ]
    if not callable(getattr(sender_class, "send", None)):
        return [
            checks.Error(f"TEXT_SENDER {path!r} has no send() method.", hint=hint, id="cases.E002")
        ]
    return []


@checks.register()
def send_window_check(**kwargs: object) -> list[checks.CheckMessage]:
    """Scheduled texts go out between the window's hours: an empty window pushes them back
    every day for ever, an hour outside the day stops the outbox with an error."""
    start, end = settings.SEND_WINDOW_START_HOUR, settings.SEND_WINDOW_END_HOUR
    if 0 <= start < end <= 24:
        return []
    return [
        checks.Error(
            f"SEND_WINDOW_START_HOUR={start} and SEND_WINDOW_END_HOUR={end} leave no hour to "
            "send check-ins in.",
            hint="The start must come before the end, both within 0 to 24 (default 9 and 20).",
            id="cases.E003",
        )
    ]


#: Mail backends that deliver nothing to anyone.
UNDELIVERED_MAIL = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
)


@checks.register()
def handoff_alert_check(**kwargs: object) -> list[checks.CheckMessage]:
    """Outside DEBUG, urgent handoffs (a child's abduction) are e-mailed to someone."""
    if settings.DEBUG:
        return []
    if not settings.HANDOFF_ALERT_EMAILS:
        return [
            checks.Warning(
                "HANDOFF_ALERT_EMAILS is unset: nobody is e-mailed about urgent handoffs "
                "(a child's abduction); they wait in the queue.",
                hint="Set HANDOFF_ALERT_EMAILS to the desk's addresses, comma-separated.",
                id="cases.W001",
            )
        ]
    if settings.EMAIL_BACKEND in UNDELIVERED_MAIL:
        return [
            checks.Warning(
                "Urgent handoff alerts are not mailed: EMAIL_URL picks a mail backend that "
                "delivers nothing (the default prints them on the console).",
                hint="Set EMAIL_URL to the mail server, e.g. smtp+tls://user:password@host:587.",
                id="cases.W002",
            )
        ]
    return []
