"""Per-request plumbing: a request id for the logs, and webhook latency for the metrics."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hotline.logging import request_id
from hotline.metrics import WEBHOOK_LATENCY

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestIdMiddleware:
    """Takes X-Request-ID (or Twilio's idempotency token) when sane, else makes one; the id is
    in every log line of the request and in the X-Request-ID response header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID") or request.headers.get(
            "I-Twilio-Idempotency-Token", ""
        )
        token = request_id.set(given if _SAFE_ID.match(given) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)


class WebhookLatencyMiddleware:
    """Times every Twilio webhook, by path, for /metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/twilio/"):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        WEBHOOK_LATENCY.labels(path=request.path).observe(time.perf_counter() - started)
        return response
