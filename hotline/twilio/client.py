"""The twilio REST client, optionally pointed at another base URL (a mock in tests).

The library has no base-URL setting: ``api.twilio.com`` is fixed and regions only rewrite
the host. An HTTP client that rewrites every ``*.twilio.com`` URL keeps working whatever
region or edge is set.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client


class RebasedHttpClient(TwilioHttpClient):
    """Sends requests meant for ``https://<anything>.twilio.com`` to ``base_url`` instead."""

    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        parts = urlsplit(base_url)
        self._scheme, self._netloc = parts.scheme, parts.netloc
        self._prefix = parts.path.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = urlunsplit(
                (self._scheme, self._netloc, self._prefix + parts.path, parts.query, "")
            )
        return super().request(method, url, *args, **kwargs)


def twilio_client() -> Client:
    """The client for the configured credentials, timeout and base URL.

    One per process and configuration, so the HTTP connection to Twilio is kept open from one
    request to the next instead of opened for each; a changed setting gets a new client.
    """
    return _client_for(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        settings.TWILIO_API_BASE_URL,
        settings.TWILIO_TIMEOUT_SECONDS,
    )


@functools.lru_cache(maxsize=4)
def _client_for(account_sid: str, auth_token: str, api_base_url: str, timeout: float) -> Client:
    if api_base_url:
        http_client = RebasedHttpClient(api_base_url, timeout=timeout)
    else:
        http_client = TwilioHttpClient(timeout=timeout)
    return Client(
        account_sid,
        auth_token,
        http_client=http_client,
        environment={"TWILIO_ACCOUNT_SID": account_sid},
    )
