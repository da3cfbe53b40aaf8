"""Start-up checks (``manage.py check``, run by ``migrate`` and ``runserver``) for settings
that would otherwise fail only when the first text is sent."""

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
