"""Finding 7: /ready/ says whether this replica can answer webhooks; a Redis or worker outage
is reported without pulling the replica, and a crowd of probes costs one round of checks."""

import threading

import pytest
from django.test import RequestFactory

from hotline import health

pytestmark = pytest.mark.django_db

PROBES = 50


def test_a_redis_outage_the_webhooks_survive_keeps_the_replica_ready(client, settings):
    settings.READY_CACHE_SECONDS = 0
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["redis"].startswith("failed")


class _CountingLock:
    """The readiness lock, counting the probes that reached it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._arrived = 0
        self.all_arrived = threading.Event()

    def __enter__(self) -> None:
        with self._count_lock:
            self._arrived += 1
            if self._arrived == PROBES:
                self.all_arrived.set()
        self._lock.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self._lock.release()


def test_fifty_probes_at_once_while_the_worker_is_down_ping_it_once(settings, monkeypatch):
    """The worker ping goes on until all fifty probes wait for the checks' answer."""
    from hotline.celery import app

    settings.READY_CACHE_SECONDS = 5
    settings.REDIS_URL = "redis://redis.invalid:6379/0"
    monkeypatch.setattr(health, "_last_answer", None)
    monkeypatch.setattr(health, "_check_database", lambda: "ok")
    monkeypatch.setattr(health, "_check_redis", lambda: "ok")
    door = _CountingLock()
    monkeypatch.setattr(health, "_answer_lock", door)
    pings = []

    def no_worker(**kwargs):
        pings.append(1)
        door.all_arrived.wait(timeout=30)
        return []

    monkeypatch.setattr(app.control, "ping", no_worker)
    statuses = []

    def probe():
        statuses.append(health.ready(RequestFactory().get("/ready/")).status_code)

    probes = [threading.Thread(target=probe) for _ in range(PROBES)]
    for thread in probes:
        thread.start()
    for thread in probes:
        thread.join()
    assert door.all_arrived.is_set(), "the probes did not all wait at once"
    assert statuses == [200] * PROBES
    assert len(pings) == 1
