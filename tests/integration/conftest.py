"""Real processes for integration tests: Redis, a Celery worker, Prism, a fake Twilio.

These tests need PostgreSQL and Redis (``DATABASE_URL``/``REDIS_URL``) and the npm test tools
(``make install``). Without them they are skipped on a laptop; under ``CI=true`` a missing
piece is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.integration.fake_twilio import FakeTwilio
from tests.ports import free_port
from tests.twilio_helpers import AUTH_TOKEN, BASE_URL

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
TWILIO_SPEC = Path(__file__).with_name("twilio_api_v2010.json")
ACCOUNT_SID = "AC" + "1" * 32
FROM_NUMBER = "+18005550199"
#: The workers' longest wait before retrying a send: a retry is due within this.
OUTBOX_RETRY_MAX_SECONDS = 1.0


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"integration test cannot run: {reason}")
    pytest.skip(reason)


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def real_services() -> None:
    if connection.vendor != "postgresql":
        _missing("DATABASE_URL must point at PostgreSQL")
    if not settings.REDIS_URL:
        _missing("REDIS_URL is not set")


@pytest.fixture(scope="session")
def prism_url() -> Iterator[str]:
    """Prism serving Twilio's own OpenAPI description of its REST API (422 for any request
    the description does not allow); needs neither PostgreSQL nor Redis."""
    if not PRISM.exists():
        _missing("npm test tools not installed (make install)")
    port = free_port()
    process = subprocess.Popen(
        [str(PRISM), "mock", "-d", "--errors", "-h", "127.0.0.1", "-p", str(port), TWILIO_SPEC],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: port_open(port), timeout=90, what="Prism to listen")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


def worker_env(api_base_url: str, queue: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The worker's environment: the test database, the test queue, Twilio at ``api_base_url``."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "SECRET_KEY": "integration-test-key",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": api_base_url,
        "PUBLIC_BASE_URL": BASE_URL,
        "OUTBOX_RETRY_BASE_SECONDS": "0.2",
        "OUTBOX_RETRY_MAX_SECONDS": str(OUTBOX_RETRY_MAX_SECONDS),
        "TWILIO_TIMEOUT_SECONDS": "10",
    }
    env.update(extra)
    return env


class Worker:
    """``celery -A hotline worker`` as its own process group, so it can be killed whole."""

    def __init__(
        self, env: dict[str, str], *, concurrency: int = 2, beat_schedule: Path | None = None
    ) -> None:
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hotline",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-n",
            self.name,
            "-Q",
            env["CELERY_QUEUE"],
            "--without-mingle",
            "--without-gossip",
            "--include",
            "tests.integration.sentinel",
        ]
        if beat_schedule is not None:
            command += ["--beat", "--schedule", str(beat_schedule)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acknowledgement, like a crashed machine."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_queue(real_services) -> Iterator[str]:
    """A queue of this test's own, so tasks of other tests or runs never reach its worker."""
    from hotline.celery import app

    queue = f"hotline-test-{uuid.uuid4().hex[:12]}"
    previous = (app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    yield queue
    app.conf.task_default_queue, app.conf.task_always_eager = previous


@pytest.fixture
def start_worker(celery_queue, tmp_path) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(
        api_base_url: str,
        *,
        redis_url: str | None = None,
        beat: bool = False,
        concurrency: int = 2,
        **extra: str,
    ) -> Worker:
        env = worker_env(api_base_url, celery_queue, redis_url or settings.REDIS_URL, **extra)
        schedule = tmp_path / "celerybeat-schedule" if beat else None
        worker = Worker(env, concurrency=concurrency, beat_schedule=schedule)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker_settled(celery_queue, tmp_path) -> Callable[[], None]:
    """Returns once a worker started with ``concurrency=1`` has run every task queued so far
    and every retry those tasks scheduled.

    A first sentinel runs after the tasks before it, which have then scheduled whatever they
    schedule; a second, due ``OUTBOX_RETRY_MAX_SECONDS`` later, runs after every retry due
    before it.
    """
    from tests.integration.sentinel import touch

    def reach(countdown: float) -> None:
        path = tmp_path / f"sentinel-{uuid.uuid4().hex}"
        touch.apply_async((str(path),), countdown=countdown)
        wait_for(path.exists, timeout=30 + countdown, what="the worker to reach the sentinel")

    def settled() -> None:
        reach(0)
        reach(OUTBOX_RETRY_MAX_SECONDS)

    return settled
