"""Finding 7: /ready/ says whether this replica can answer webhooks; a Redis or worker outage
is reported without pulling the replica, and a crowd of probes costs one round of checks."""

import threading
import time

import pytest
from django.test import RequestFactory

from hotline import health

pytestmark = pytest.mark.django_db


def test_a_redis_outage_the_webhooks_survive_keeps_the_replica_ready(client, settings):
    settings.READY_CACHE_SECONDS = 0
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["redis"].startswith("failed")


def test_fifty_probes_at_once_while_the_worker_is_down_ping_it_once(settings, monkeypatch):
    from hotline.celery import app

    settings.READY_CACHE_SECONDS = 5
    settings.REDIS_URL = "redis://redis.invalid:6379/0"
    monkeypatch.setattr(health, "_last_answer", None)
    monkeypatch.setattr(health, "_check_database", lambda: "ok")
    monkeypatch.setattr(health, "_check_redis", lambda: "ok")
    pings = []

    def no_worker(**kwargs):
        pings.append(1)
        time.sleep(health.WORKER_PING_SECONDS)
        return []

    monkeypatch.setattr(app.control, "ping", no_worker)
    statuses = []

    def probe():
        statuses.append(health.ready(RequestFactory().get("/ready/")).status_code)

    probes = [threading.Thread(target=probe) for _ in range(50)]
    started = time.perf_counter()
    for thread in probes:
        thread.start()
    for thread in probes:
        thread.join()
    elapsed = time.perf_counter() - started
    print(f"\n50 concurrent /ready/ with no worker: {elapsed:.2f} s, {len(pings)} worker ping(s)")
    assert statuses == [200] * 50
    assert len(pings) == 1
    assert elapsed < 3
