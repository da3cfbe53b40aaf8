"""Logs: one redacted JSON object per line, with the request id; no number, no message body."""

import io
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.db import connection
from gunicorn.config import Config

from hotline.logging import (
    REDACTED,
    GunicornLogger,
    JsonFormatter,
    RedactFilter,
    redact,
)
from tests.integration.conftest import wait_for, worker_env
from tests.twilio_helpers import signed_post, text_params

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured root handler writes (JSON, redacted), at every level."""
    root = logging.getLogger()
    (handler,) = (h for h in root.handlers if any(isinstance(f, RedactFilter) for f in h.filters))
    stream = io.StringIO()
    previous_stream = handler.setStream(stream)
    previous_formatter, previous_level = handler.formatter, root.level
    handler.setFormatter(JsonFormatter())
    root.setLevel(logging.DEBUG)
    yield stream
    root.setLevel(previous_level)
    handler.setFormatter(previous_formatter)
    handler.setStream(previous_stream)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    "number",
    [
        "+15125550100",
        "+1 512 555 0100",
        "+1 (512) 555-0100",
        "+44 20 7946 0958",
        "+4930123456",
        "whatsapp:+15125550100",
        "whatsapp%3A%2B15125550100",
        "%2B15125550100",
        "(512) 555-0100",
        "512-555-0100",
        "512.555.0100",
        "512 555 0100",
        "5125550100",
        "15125550100",
        "1-512-555-0100",
    ],
)
def test_phone_numbers_are_redacted(number):
    assert redact(f"text from {number} at noon") == f"text from {REDACTED} at noon"


@pytest.mark.parametrize(
    "text",
    [
        "outcome domestic_same_state for 3 callers",
        "message 1712345678 queued, epoch ms 1712345678901",
        "peer 10.0.0.5:8000 on 2024-05-12 at 12:30:45",
        "SM0000000000000000000000000000a1f3 delivered",
        "Connecting to: redis://redis:6379/0",
    ],
)
def test_other_text_is_left_alone(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From=%2B15125550100&Body=my+ex+owes&To=%2B18005550199", "From=@&Body=@&To=@"),
        ("Body=I live in Texas, he is in Germany", "Body=@"),
        ("Body: I live in Texas\nnext line", "Body: @\nnext line"),
        ("{'Body': 'my ex, he owes', 'step': 2}", "{'Body': '@', 'step': 2}"),
        ('{"SpeechResult": "Texas", "n": 4}', '{"SpeechResult": "@", "n": 4}'),
        ("ProfileName=Ana Lopez&WaId=15125550100", "ProfileName=@&WaId=@"),
    ],
)
def test_personal_fields_are_redacted(text, expected):
    assert redact(text) == expected.replace("@", REDACTED)


def test_dicts_are_redacted_by_key():
    assert redact({"body": "my ex owes", "From": "+15125550100", "step": 2, "n": [1]}) == {
        "body": REDACTED,
        "From": REDACTED,
        "step": 2,
        "n": [1],
    }


class Caller:
    """An object whose text holds a number, as a model's or a request's might."""

    def __str__(self) -> str:
        return "caller +15125550100"


def test_every_part_of_a_record_is_redacted(log_output):
    logger = logging.getLogger("cases.example")
    logger.info("text from %s said %s", "+15125550100", {"Body": "my ex owes $400"})
    logger.info("%(who)s wrote", {"who": Caller()})
    logger.warning("webhook", extra={"body": "my ex owes", "form": {"From": "+15125550100"}})
    try:
        raise ValueError("bad number 512-555-0100")
    except ValueError:
        logger.exception("failed for %s", Caller())
    logged = log_output.getvalue()
    assert "5125550100" not in logged.replace("-", "")
    assert "owes" not in logged
    first, second, third, fourth = _lines(log_output)
    assert first["message"] == f"text from {REDACTED} said {{'Body': '{REDACTED}'}}"
    assert second["message"] == f"caller {REDACTED} wrote"
    assert third["body"] == REDACTED
    assert third["form"] == {"From": REDACTED}
    assert "ValueError: bad number [redacted]" in fourth["exception"]


def test_json_lines_have_the_fields(log_output):
    logging.getLogger("hotline.example").info(
        "two\nlines", extra={"duration_ms": 1.5, "path": "/x"}
    )
    (line,) = log_output.getvalue().splitlines()
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "request_id", "duration_ms", "path"}
    assert entry["level"] == "INFO"
    assert entry["logger"] == "hotline.example"
    assert entry["message"] == "two\nlines"
    assert entry["time"].endswith("+00:00")
    assert entry["duration_ms"] == 1.5


def test_request_id_is_taken_or_made_and_logged(client, log_output):
    given = client.get("/api/schema/", HTTP_X_REQUEST_ID="abc-123")
    assert given["X-Request-ID"] == "abc-123"
    twilio = client.get("/api/schema/", HTTP_I_TWILIO_IDEMPOTENCY_TOKEN="tok-9")
    assert twilio["X-Request-ID"] == "tok-9"
    made = client.get("/api/schema/", HTTP_X_REQUEST_ID="<script>")
    assert len(made["X-Request-ID"]) == 32
    assert made["X-Request-ID"] != client.get("/api/schema/")["X-Request-ID"]
    requests = [line for line in _lines(log_output) if line["logger"] == "hotline.request"]
    assert requests[0]["request_id"] == "abc-123"
    assert requests[0]["path"] == "/api/schema/"
    assert requests[0]["status"] in (200, 403)
    assert requests[1]["request_id"] == "tok-9"
    assert requests[2]["request_id"] == made["X-Request-ID"]


def test_probes_are_not_logged_unless_they_fail(client, log_output):
    client.get("/health/")
    assert "hotline.request" not in log_output.getvalue()


@pytest.mark.django_db
def test_a_whole_conversation_logs_no_number_and_no_body(client, twilio_settings, log_output):
    """Texts by SMS and WhatsApp, at DEBUG level with Django's SQL log switched on."""
    bodies = ("hola", "1", "Tejas", "Alemania", "AGENTE", "STOP")
    connection.force_debug_cursor = True
    try:
        for body in bodies:
            signed_post(client, "/twilio/sms/", text_params(body, sender="+15125550477"))
            signed_post(client, "/twilio/sms/", text_params(body, sender="whatsapp:+15125550478"))
        client.post("/twilio/sms/", text_params("unsigned secret", sender="+15125550479"))
    finally:
        connection.force_debug_cursor = False
    logged = log_output.getvalue()
    requests = [line for line in _lines(log_output) if line["logger"] == "hotline.request"]
    assert len(requests) == 2 * len(bodies) + 1, "every webhook request was logged"
    assert requests[-1]["status"] == 403
    for secret in ("512555047", "Tejas", "Alemania", "AGENTE", "unsigned secret"):
        assert secret not in logged


def test_gunicorn_writes_the_same_json(monkeypatch):
    logger = GunicornLogger(Config())
    stream = io.StringIO()
    for handler in logger.error_log.handlers:
        handler.setStream(stream)
    logger.info("Booting worker with pid: %s for +15125550100", 42)
    entry = json.loads(stream.getvalue())
    assert entry["logger"] == "gunicorn.error"
    assert entry["message"] == f"Booting worker with pid: 42 for {REDACTED}"


def test_workers_keep_the_configured_logging():
    from hotline.celery import app

    assert app.conf.worker_hijack_root_logger is False


@pytest.mark.integration
def test_a_real_worker_writes_only_json(celery_queue, tmp_path):
    """The worker command of docker-compose.yml: every line it writes is a JSON record, but
    for the one line Celery prints itself when it is stopped."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["worker"]["command"]
    env = worker_env("http://127.0.0.1:9", celery_queue, os.environ["REDIS_URL"])
    output = tmp_path / "worker.log"
    with output.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", *command, "-Q", celery_queue, "-n", f"{celery_queue}@localhost"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: "ready." in output.read_text(), timeout=60, what="the worker")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    lines = output.read_text().splitlines()
    assert lines[-1] == "worker: Warm shutdown (MainProcess)"
    entries = [json.loads(line) for line in lines[:-1] if line]
    assert any(entry["message"].endswith("ready.") for entry in entries)
    assert all(entry["request_id"] == "-" for entry in entries)
