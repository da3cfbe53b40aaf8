"""Fixtures for the operations tests: the integration tests' real services and workers, and
a Twilio API mock that needs neither PostgreSQL nor Redis."""

from __future__ import annotations

import pytest

from tests.integration.conftest import celery_queue, prism_url, real_services, start_worker


@pytest.fixture(scope="session")
def twilio_api_mock(prism_url: str) -> str:
    """The integration tests' Prism, under the name the operations tests use."""
    return prism_url


__all__ = ["celery_queue", "prism_url", "real_services", "start_worker", "twilio_api_mock"]
