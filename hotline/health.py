"""``/health/`` (the process answers), ``/ready/`` (it can answer webhooks), ``/metrics``.

Served by ``hotline.middleware.OpsEndpointsMiddleware``, ahead of host validation.
"""

from __future__ import annotations

import hmac
import ipaddress
import threading
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from hotline.metrics import metrics_text

#: Seconds /ready/ waits for a Celery worker's answer (it returns at the first one).
WORKER_PING_SECONDS = 1.0

#: Who may read /metrics without a token: loopback and private (RFC 1918, IPv6 ULA) addresses.
INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::1/128",
        "fc00::/7",
    )
)

#: Headers a proxy adds: a request carrying one came from outside, whatever REMOTE_ADDR says.
FORWARDED_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Can this replica answer webhooks? 200 when its database answers, else 503.

    Redis and the Celery worker are checked and reported but never fail it: texts are
    answered without them (the flood limit fails open, the outbox waits for the sweep), and a
    load balancer that pulled every replica during a Redis outage would answer nobody.
    """
    body = _readiness()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


_answer_lock = threading.Lock()
_last_answer: tuple[float, dict] | None = None


def _readiness() -> dict:
    """The checks' results, reused for ``READY_CACHE_SECONDS``: many probes at once (or a
    worker ping waiting its full second) cost one round of checks, not one each."""
    global _last_answer
    with _answer_lock:
        now = time.monotonic()
        if _last_answer is not None and now - _last_answer[0] < settings.READY_CACHE_SECONDS:
            return _last_answer[1]
        body = _checks_run()
        _last_answer = (time.monotonic(), body)
        return body


def _checks_run() -> dict:
    checks: dict[str, str] = {}
    started = time.perf_counter()
    checks["database"] = _check_database()
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
        checks["worker"] = _check_worker() if checks["redis"] == "ok" else "skipped: no Redis"
    return {
        "status": "ok" if checks["database"] == "ok" else "unavailable",
        "degraded": sorted(name for name, result in checks.items() if result != "ok"),
        "checks": checks,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"failed: {type(error).__name__}"
    return "ok"


def _check_redis() -> str:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except Exception as error:
        return f"failed: {type(error).__name__}"
    finally:
        client.close()
    return "ok"


def _check_worker() -> str:
    from hotline.celery import app

    try:
        replies = app.control.ping(timeout=WORKER_PING_SECONDS, limit=1)
    except Exception as error:
        return f"failed: {type(error).__name__}"
    return "ok" if replies else "failed: no worker answered"


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for internal addresses or a bearer token only."""
    if not (_internal(request) or _token_ok(request)):
        return HttpResponse("Metrics are for internal addresses or a token.", status=403)
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


def _internal(request: HttpRequest) -> bool:
    """A direct caller on a private network. Behind a proxy every request comes from the
    proxy's private address, so one that the proxy forwarded (it says so in a header the
    client cannot remove) is not internal."""
    if any(header in request.headers for header in FORWARDED_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in INTERNAL_NETWORKS)


def _token_ok(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), expected.encode())
    )
