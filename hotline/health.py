"""``/health/`` (the process answers), ``/ready/`` (its dependencies answer), ``/metrics``.

Served by ``hotline.middleware.OpsEndpointsMiddleware``, ahead of host validation.
"""

from __future__ import annotations

import hmac
import ipaddress
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
    """200 when the database, Redis and a Celery worker answer; else 503 naming what failed."""
    checks: dict[str, str] = {}
    started = time.perf_counter()
    checks["database"] = _check_database()
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
        checks["worker"] = _check_worker() if checks["redis"] == "ok" else "skipped: no Redis"
    healthy = all(result == "ok" for result in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return JsonResponse(body, status=200 if healthy else 503)


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
