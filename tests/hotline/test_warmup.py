"""Worker warm-up: the slow first-time work is done before the first request."""

import logging

import pytest

from cases.followups import zone_for_number
from hotline import warmup
from routing import places

pytestmark = pytest.mark.django_db


def test_warm_up_builds_what_the_first_text_would_wait_for():
    places._build_index.cache_clear()
    zone_for_number.cache_clear()
    assert warmup.process_warm() > 0
    assert places._build_index.cache_info().currsize == 1
    assert zone_for_number.cache_info().currsize == 1


def test_a_failing_step_is_logged_and_the_rest_still_run(monkeypatch, caplog):
    ran = []

    def broken():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(
        warmup, "STEPS", (("connections", broken), ("lookups", lambda: ran.append("lookups")))
    )
    with caplog.at_level(logging.WARNING, logger="hotline.warmup"):
        warmup.process_warm()
    assert ran == ["lookups"]
    assert "'connections' failed" in caplog.text


def test_warm_up_opens_the_flood_counters_connection(monkeypatch):
    opened = []
    monkeypatch.setattr(warmup, "counter_connect", lambda: opened.append(1))
    warmup.process_warm()
    assert opened == [1]
