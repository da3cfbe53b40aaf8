"""PostgreSQL restarted under traffic: errors only while it is down, recovery on its own,
and every text the hotline acknowledged is stored. The cluster restarted is the test's own
(tests/integration/throwaway_postgres.py), never the machine's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from tests.integration.conftest import ROOT, free_port, port_open, wait_for, worker_env
from tests.integration.throwaway_postgres import ThrowawayPostgres, throwaway_postgres
from tests.twilio_helpers import signed_http_text

pytestmark = pytest.mark.integration

#: Texts answered before the restart, and again after it, for the traffic to cover it.
TEXTS_AROUND = 30


def _migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "faults", "DEBUG": "false"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def _stored_inbound_sids(database_url: str) -> set[str]:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute("SELECT twilio_sid FROM cases_message WHERE direction = 'inbound'")
        return {sid for (sid,) in rows}


def test_postgres_restart_under_traffic(settings):
    with throwaway_postgres() as cluster:
        _migrate(cluster.url)
        _restart_under_traffic(cluster, settings.REDIS_URL)


def _restart_under_traffic(cluster: ThrowawayPostgres, redis_url: str) -> None:
    port = free_port()
    env = worker_env(
        "http://127.0.0.1:9",
        "faults",
        redis_url,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=cluster.url,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    web = subprocess.Popen(
        [str(gunicorn), "hotline.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results: list[tuple[float, str, int]] = []
    try:
        wait_for(lambda: port_open(port), timeout=30, what="gunicorn")
        assert signed_http_text(port, "hi", sender="+15125550300")[1] == 200
        stop = threading.Event()

        def traffic() -> None:
            number = 0
            while not stop.is_set() and number < 2000:
                number += 1
                sid, status = signed_http_text(port, "hi", sender=f"+1512555{number % 50:04d}")
                results.append((time.monotonic(), sid, status))
                time.sleep(0.02)

        sender = threading.Thread(target=traffic)
        sender.start()
        wait_for(lambda: len(results) >= TEXTS_AROUND, timeout=30, what="texts before")
        restart_started = time.monotonic()
        cluster.pg_ctl("restart")
        restart_ended = time.monotonic()

        def answered_after() -> int:
            return sum(1 for at, _, status in results if at > restart_ended + 2 and status == 200)

        wait_for(lambda: answered_after() >= TEXTS_AROUND, timeout=60, what="texts after")
        stop.set()
        sender.join(timeout=30)
        after = [
            signed_http_text(port, body, sender="+15125550301")[1] for body in ("hi", "1", "Texas")
        ]
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=15)
    failures = [(at, status) for at, _, status in results if status != 200]
    assert after == [200, 200, 200], "the hotline must recover without manual steps"
    assert len(results) > 50
    # Errors only around the restart itself (plus a second for connections to be replaced).
    assert all(restart_started - 1 <= at <= restart_ended + 2 for at, _ in failures), failures
    answered = {sid for _, sid, status in results if status == 200}
    assert answered <= _stored_inbound_sids(cluster.url), "every acknowledged text is stored"
    print(
        f"\nPostgreSQL restart: {len(results)} texts, {len(failures)} failed while it restarted "
        f"({restart_ended - restart_started:.1f} s), {len(answered)} acknowledged and stored"
    )
