"""A flood of texts from one number is answered once, politely, and not processed.

Counted in the cache (Redis in production, shared by every web process), so a flood costs
no database work at all.
"""

from __future__ import annotations

import logging
import time
from enum import Enum

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class Rate(Enum):
    ALLOWED = "allowed"
    JUST_OVER = "just_over"  # the first text over the limit: say "slow down" once
    OVER = "over"


def text_rate(phone: str, *, now: float | None = None) -> Rate:
    """Count this text against the number's allowance for the current minute.

    Without the cache (Redis down) every text is allowed: answering callers matters more
    than stopping a flood.
    """
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    key = f"texts:{phone}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        count = cache.incr(key)
    except Exception:
        logger.warning("Rate limit not checked: the cache is unavailable")
        return Rate.ALLOWED
    limit = settings.TEXTS_PER_MINUTE_PER_NUMBER
    if count <= limit:
        return Rate.ALLOWED
    return Rate.JUST_OVER if count == limit + 1 else Rate.OVER
