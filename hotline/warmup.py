"""The slow first-time work of the hot path, done when a web process starts.

Without it the first texts a new gunicorn worker answers wait for the Redis and PostgreSQL
connections, the reference data and place index, the message templates and catalogues and
the phone-number time-zone tables (about half a second on a 2-core machine), which shows as
the slowest percentile of every load test and as a slow answer after each deploy or restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import connection
from django.urls import resolve
from django.utils import timezone

from cases import flow
from cases.flow import Inbound
from cases.followups import zone_for_number
from cases.prompts import prompts_render
from cases.ratelimit import counter_connect
from routing.selectors import reference_data_get

logger = logging.getLogger(__name__)

#: A whole conversation for each channel, so every step's templates are compiled.
SCRIPT = ("1", "Texas", "Germany")
WEBHOOKS = ("/twilio/sms/", "/twilio/voice/", "/twilio/voice/step/")


def _services() -> None:
    connection.ensure_connection()
    counter_connect()


def _conversations() -> None:
    reference = reference_data_get()
    today = timezone.localdate()
    for language in ("en", "es"):
        for voice in (False, True):
            turn = flow.start(voice=voice, language=language)
            language_choice = ("1" if language == "en" else "2",) if voice else ()
            for text in (*language_choice, *SCRIPT):
                prompts_render(turn.prompts, language=language, voice=voice, reference=reference)
                turn = flow.advance(
                    turn.state, Inbound(text=text), voice=voice, reference=reference, today=today
                )
            prompts_render(turn.prompts, language=language, voice=voice, reference=reference)


def _lookups() -> None:
    for path in WEBHOOKS:
        resolve(path)
    zone_for_number("+15125550100")


STEPS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("connections", _services),
    ("conversations", _conversations),
    ("lookups", _lookups),
)


def process_warm() -> float:
    """Run every warm-up step; a failing one is logged and skipped, never stops the worker.

    Returns the seconds it took.
    """
    started = time.perf_counter()
    for name, step in STEPS:
        try:
            step()
        except Exception:
            logger.warning("Warm-up step %r failed; the first request will do it", name)
    return time.perf_counter() - started
