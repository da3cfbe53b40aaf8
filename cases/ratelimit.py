"""A flood of texts from one number is answered once, politely, and not processed.

Counted in the cache (Redis in production, shared by every web process), so a flood costs
no database work at all.
"""

from __future__ import annotations

import functools
import logging
import time
from enum import Enum

import redis
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
    try:
        count = _count(f"texts:{phone}:{window}")
    except Exception:
        logger.warning("Rate limit not checked: the cache is unavailable")
        return Rate.ALLOWED
    limit = settings.TEXTS_PER_MINUTE_PER_NUMBER
    if count <= limit:
        return Rate.ALLOWED
    return Rate.JUST_OVER if count == limit + 1 else Rate.OVER


def _count(key: str) -> int:
    """Add one to ``key``'s count and return it: one round trip to Redis.

    Through Django's cache API the same takes three (add, then incr's exists and incr), and
    every inbound text pays for it. Without Redis (the embedded set-up) the cache API counts.
    """
    client = _redis_client()
    if client is None:
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        return cache.incr(key)
    stored = cache.make_key(key)
    pipeline = client.pipeline(transaction=False)
    pipeline.set(stored, 0, ex=WINDOW_SECONDS * 2, nx=True)
    pipeline.incr(stored)
    return pipeline.execute()[1]


def counter_connect() -> None:
    """Open the counter's connection now (a web worker's warm-up), not on the first text."""
    client = _redis_client()
    if client is None:
        cache.get("texts:warm-up")
    else:
        client.ping()


@functools.cache
def _redis_client() -> redis.Redis | None:
    """The process's client for the cache's Redis (short timeouts: a hung Redis must not hold
    up a text), or None when the cache is not Redis."""
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
