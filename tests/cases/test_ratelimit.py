"""The per-number flood limit's counter: Redis in production, the local cache when embedded."""

import pytest
from django.conf import settings
from django.core.cache import cache

from cases.ratelimit import WINDOW_SECONDS, Rate, _redis_client, counter_connect, text_rate

PHONE = "+15125550100"
NOON = 1_800_000_000.0


def test_the_limit_answers_once_then_stays_silent(settings):
    settings.TEXTS_PER_MINUTE_PER_NUMBER = 2
    rates = [text_rate(PHONE, now=NOON) for _ in range(4)]
    assert rates == [Rate.ALLOWED, Rate.ALLOWED, Rate.JUST_OVER, Rate.OVER]


def test_each_minute_and_each_number_count_apart(settings):
    settings.TEXTS_PER_MINUTE_PER_NUMBER = 1
    assert text_rate(PHONE, now=NOON) is Rate.ALLOWED
    assert text_rate(PHONE, now=NOON + WINDOW_SECONDS) is Rate.ALLOWED
    assert text_rate("+15125550199", now=NOON) is Rate.ALLOWED
    assert text_rate(PHONE, now=NOON) is Rate.JUST_OVER


@pytest.mark.skipif(not settings.REDIS_URL, reason="counts in Redis only when REDIS_URL is set")
def test_a_redis_count_takes_one_round_trip_and_expires(monkeypatch):
    client = _redis_client()
    executed = []
    real_pipeline = client.pipeline

    def counting_pipeline(*args, **kwargs):
        pipeline = real_pipeline(*args, **kwargs)
        real_execute = pipeline.execute
        monkeypatch.setattr(pipeline, "execute", lambda: executed.append(1) or real_execute())
        return pipeline

    def single_command(*args, **kwargs):
        raise AssertionError(f"a round trip of its own: {args[0]}")

    monkeypatch.setattr(client, "pipeline", counting_pipeline)
    monkeypatch.setattr(client, "execute_command", single_command)
    text_rate(PHONE, now=NOON)
    assert executed == [1]
    monkeypatch.undo()
    key = cache.make_key(f"texts:{PHONE}:{int(NOON // WINDOW_SECONDS)}")
    assert int(client.get(key)) == 1
    assert 0 < client.ttl(key) <= 2 * WINDOW_SECONDS


@pytest.mark.skipif(not settings.REDIS_URL, reason="counts in Redis only when REDIS_URL is set")
def test_after_counter_connect_the_first_text_opens_no_connection(monkeypatch):
    client = _redis_client()
    client.connection_pool.disconnect()
    client.connection_pool.reset()
    made = []
    real_make = client.connection_pool.make_connection
    monkeypatch.setattr(
        client.connection_pool, "make_connection", lambda: made.append(1) or real_make()
    )
    counter_connect()
    assert made == [1]
    text_rate(PHONE, now=NOON)
    assert made == [1]
