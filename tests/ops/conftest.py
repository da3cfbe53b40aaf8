"""Fixtures for the operations tests: the integration tests' real services and workers, and
a Twilio API mock that needs neither PostgreSQL nor Redis."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator

import pytest

from tests.integration.conftest import (
    PRISM,
    TWILIO_SPEC,
    _missing,
    celery_queue,
    free_port,
    port_open,
    real_services,
    start_worker,
    wait_for,
)


@pytest.fixture(scope="session")
def twilio_api_mock() -> Iterator[str]:
    """Prism serving Twilio's own OpenAPI description; 422 for any request it does not allow."""
    if not PRISM.exists() or not TWILIO_SPEC.exists():
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


__all__ = ["celery_queue", "real_services", "start_worker", "twilio_api_mock"]
