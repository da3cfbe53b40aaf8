"""Per-request plumbing: a request id and one log line per request, the operations endpoints,
and webhook latency for the metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from hotline import health
from hotline.logging import request_id
from hotline.metrics import WEBHOOK_LATENCY

logger = logging.getLogger("hotline.request")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")

#: Answered before host validation and the HTTPS redirect: load balancers, container health
#: checks and Prometheus call the process by its internal address over plain HTTP.
OPS_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/": health.health,
    "/ready/": health.ready,
    "/metrics": health.metrics,
}


class RequestIdMiddleware:
    """Takes X-Request-ID (or Twilio's idempotency token, the same for Twilio's retries of one
    request) when sane, else makes one; the id is in every log line of the request and in the
    X-Request-ID response header. Logs the request (path only: queries may hold a number);
    successful probes of the operations endpoints are not logged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID") or request.headers.get(
            "I-Twilio-Idempotency-Token", ""
        )
        request_id.set(given if _SAFE_ID.match(given) else uuid.uuid4().hex)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        if response.status_code >= 500 or request.path_info not in OPS_VIEWS:
            milliseconds = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": milliseconds,
                },
            )
        return response


@receiver(request_finished, dispatch_uid="hotline.middleware.request_id_forget")
def request_id_forget(**kwargs) -> None:
    """The id lasts until the response is closed, not only until the middleware returns:
    Django logs 4xx answers ("Forbidden: ...") after the middleware chain."""
    request_id.set("-")


class OpsEndpointsMiddleware:
    """Serves ``OPS_VIEWS`` itself, ahead of ``ALLOWED_HOSTS`` and ``SECURE_SSL_REDIRECT``.

    These views build no URLs, so an unexpected Host header cannot be abused through them;
    ``/metrics`` checks its caller itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = OPS_VIEWS.get(request.path_info)
        return view(request) if view else self.get_response(request)


class WebhookLatencyMiddleware:
    """Times every Twilio webhook for /metrics, labelled by URL pattern (a request for an
    unknown path is ``unmatched``, so nobody can create label values at will)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/twilio/"):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        path = f"/{match.route}" if match is not None else "unmatched"
        WEBHOOK_LATENCY.labels(path=path).observe(time.perf_counter() - started)
        return response
