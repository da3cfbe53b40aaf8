"""A flood of texts from one number is answered once, politely, and not processed.

Counted in the cache (Redis in production, shared by every web process), so a flood costs
no database work at all.
"""

from __future__ import annotations

import time
from enum import Enum

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


class Rate(Enum):
    ALLOWED = "allowed"
    JUST_OVER = "just_over"  # the first text over the limit: say "slow down" once
    OVER = "over"


def text_rate(phone: str, *, now: float | None = None) -> Rate:
    """Count this text against the number's allowance for the current minute."""
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    key = f"texts:{phone}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    count = cache.incr(key)
    limit = settings.TEXTS_PER_MINUTE_PER_NUMBER
    if count <= limit:
        return Rate.ALLOWED
    return Rate.JUST_OVER if count == limit + 1 else Rate.OVER
