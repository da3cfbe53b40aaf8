"""Operations: deploy checks, health and readiness, metrics, logs without personal data."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from twilio.request_validator import RequestValidator

from cases.services import inbound_text_handle
from hotline.logging import JsonFormatter, RedactFilter, RequestIdFilter, redact
from tests.twilio_helpers import AUTH_TOKEN, BASE_URL, new_sid, signed_post, text_params

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "hotline.example.org",
    "PUBLIC_BASE_URL": "https://hotline.example.org",
    "SECURE_SSL_REDIRECT": "true",
}


def test_deploy_check_is_clean_with_production_settings():
    test_only = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, **PRODUCTION, "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_signature_holds_behind_a_tls_proxy(client, twilio_settings):
    """Twilio signs https://hotline.example.org/...; the app sees plain http on an internal host."""
    twilio_settings.ALLOWED_HOSTS = ["10.0.0.5"]
    params = text_params("hi")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{BASE_URL}/twilio/sms/", params)
    behind_proxy = {
        "HTTP_HOST": "10.0.0.5",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_TWILIO_SIGNATURE": signature,
    }
    assert client.post("/twilio/sms/", params, **behind_proxy).status_code == 200
    twilio_settings.PUBLIC_BASE_URL = ""  # trusting the request's own URL would fail here
    retry = {**params, "MessageSid": new_sid()}
    retry_signature = RequestValidator(AUTH_TOKEN).compute_signature(
        f"{BASE_URL}/twilio/sms/", retry
    )
    response = client.post(
        "/twilio/sms/", retry, **{**behind_proxy, "HTTP_X_TWILIO_SIGNATURE": retry_signature}
    )
    assert response.status_code == 403


def test_health_needs_nothing(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_ready_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


@pytest.mark.django_db
def test_ready_fails_when_the_database_is_down(client, settings, monkeypatch):
    from hotline import health

    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed: OperationalError"


@pytest.mark.django_db
def test_ready_fails_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/ready/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"].startswith("failed")
    assert checks["worker"] == "skipped: no Redis"


@pytest.mark.django_db
def test_metrics_are_internal_or_need_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-token"
    for body in ("hi", "1", "Texas", "Texas"):
        inbound_text_handle(address="+15125550400", body=body, message_sid=new_sid())
    assert client.get("/metrics", REMOTE_ADDR="93.184.216.34").status_code == 403
    wrong = client.get("/metrics", REMOTE_ADDR="93.184.216.34", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    with_token = client.get(
        "/metrics", REMOTE_ADDR="93.184.216.34", HTTP_AUTHORIZATION="Bearer scrape-token"
    )
    assert with_token.status_code == 200
    local = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'hotline_inbound_messages{channel="sms"} 4.0' in local
    assert 'hotline_outcomes{outcome="domestic_same_state"} 1.0' in local
    assert "hotline_open_handoffs" in local
    assert "hotline_webhook_seconds" in local


def _captured(record_message, *args):
    record = logging.LogRecord("test", logging.INFO, __file__, 1, record_message, args, None)
    RequestIdFilter().filter(record)
    RedactFilter().filter(record)
    return JsonFormatter().format(record)


def test_log_records_are_redacted_json():
    line = _captured("text from %s said %s", "+15125550100", {"Body": "my ex owes $400"})
    entry = json.loads(line)
    assert "5125550100" not in line
    assert "owes" not in line
    assert entry["level"] == "INFO"
    assert "request_id" in entry
    assert "5125550100" not in redact("From=whatsapp:+15125550100&Body=hola")
    assert redact("call (512) 555-0100 now") == "call [redacted] now"
    assert redact("outcome domestic_same_state for 3 callers") == (
        "outcome domestic_same_state for 3 callers"
    )


@pytest.mark.django_db
def test_a_whole_conversation_logs_no_number_and_no_body(client, twilio_settings, caplog):
    caplog.set_level(logging.DEBUG)
    handler = logging.getLogger().handlers[0]
    stream = []
    handler_emit = handler.emit

    def capture(record):
        stream.append(handler.format(record))
        return handler_emit(record)

    handler.emit = capture
    try:
        for body in ("hi", "1", "Texas", "Germany", "AGENT", "STOP"):
            signed_post(client, "/twilio/sms/", text_params(body, sender="+15125550477"))
        client.post("/twilio/sms/", text_params("unsigned secret", sender="+15125550477"))
        logging.getLogger("cases").warning("debug From=+15125550477 Body=Germany")
    finally:
        handler.emit = handler_emit
    logged = "\n".join(stream)
    assert stream, "the conversation wrote log lines"
    assert "5125550477" not in logged
    assert "Germany" not in logged
    assert "unsigned secret" not in logged
