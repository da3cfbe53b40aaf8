"""``/health/`` (the process answers), ``/ready/`` (its dependencies answer), ``/metrics``."""

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

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as error:
        return f"failed: {type(error).__name__}"
    return "ok"


def _check_worker() -> str:
    from hotline.celery import app

    try:
        replies = app.control.ping(timeout=1.0)
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
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def _token_ok(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(expected) and hmac.compare_digest(given, expected)
