"""The Twilio API mock from the integration tests, for the set-up command's test."""

from tests.integration.conftest import prism_url, real_services

__all__ = ["prism_url", "real_services"]
