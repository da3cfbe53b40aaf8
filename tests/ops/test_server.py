"""The web process as docker-compose.yml runs it: gunicorn with several workers, production
settings, plain HTTP on an internal address behind a TLS proxy."""

import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families
from twilio.request_validator import RequestValidator

from tests.integration.conftest import free_port, port_open, wait_for
from tests.twilio_helpers import AUTH_TOKEN, BASE_URL, new_sid

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CALLER = "+15125550488"
TEXTS = ("hola", "1", "Tejas", "Alemania")


@dataclass
class Server:
    url: str
    log: Path


def _compose_gunicorn(port: int) -> list[str]:
    """The gunicorn command of docker-compose.yml's web service, bound to ``port``."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    script = compose["services"]["web"]["command"][-1]
    command = shlex.split(script.split("exec ", 1)[1])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    return [str(BIN / command[0]), *command[1:]]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("server")
    (tmp / "prometheus").mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'hotline.db'}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="hotline.example.org",
        PUBLIC_BASE_URL=BASE_URL,
        SECURE_SSL_REDIRECT="true",
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(tmp / "prometheus"),
        WEB_CONCURRENCY="2",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    log = tmp / "web.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            _compose_gunicorn(port),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: port_open(port), timeout=60, what="gunicorn to listen")
        yield Server(url=f"http://127.0.0.1:{port}", log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _text(server: Server, body: str, caller: str = CALLER) -> requests.Response:
    """A text as the TLS proxy forwards it: Twilio signed the public https URL."""
    params = {"MessageSid": new_sid(), "From": caller, "To": "+18005550199", "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{BASE_URL}/twilio/sms/", params)
    return requests.post(
        f"{server.url}/twilio/sms/",
        data=params,
        headers={
            "Host": "hotline.example.org",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "54.172.60.1",
            "X-Twilio-Signature": signature,
        },
        timeout=10,
    )


def test_probes_answer_the_container_health_check(server):
    """What the compose health check does: plain http://127.0.0.1:8000/health/."""
    health = requests.get(f"{server.url}/health/", timeout=5, allow_redirects=False)
    assert health.status_code == 200
    ready = requests.get(f"{server.url}/ready/", timeout=5, allow_redirects=False)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}


def test_public_pages_are_https_only(server):
    response = requests.get(
        f"{server.url}/api/schema/",
        headers={"Host": "hotline.example.org"},
        timeout=5,
        allow_redirects=False,
    )
    assert response.status_code == 301
    assert response.headers["Location"] == "https://hotline.example.org/api/schema/"
    secure = requests.get(
        f"{server.url}/api/schema/",
        headers={"Host": "hotline.example.org", "X-Forwarded-Proto": "https"},
        timeout=10,
    )
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert secure.headers["X-Frame-Options"] == "DENY"


def test_a_conversation_behind_the_proxy_is_counted_and_logged_safely(server):
    for body in TEXTS:
        response = _text(server, body)
        assert response.status_code == 200, response.text
        assert "<Message" in response.text
        assert len(response.headers["X-Request-ID"]) == 32
    metrics = requests.get(f"{server.url}/metrics", timeout=5)
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(metrics.text)
        for sample in family.samples
    }
    assert samples[("hotline_inbound_messages_total", (("channel", "sms"),))] == len(TEXTS)
    webhook_count = ("hotline_webhook_seconds_count", (("path", "/twilio/sms/"),))
    assert samples[webhook_count] == len(TEXTS), "latency from both gunicorn workers"
    assert (
        requests.get(
            f"{server.url}/metrics", headers={"X-Forwarded-For": "54.1.2.3"}, timeout=5
        ).status_code
        == 403
    )


def test_every_line_the_server_writes_is_redacted_json(server):
    _text(server, "Alemania")
    requests.get(f"{server.url}/metrics", headers={"X-Forwarded-For": "54.1.2.3"}, timeout=5)
    lines = server.log.read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert {"gunicorn.error", "hotline.request"} <= {entry["logger"] for entry in entries}
    refusals = [entry for entry in entries if entry["message"] == "Forbidden: /metrics"]
    assert refusals, "Django's 4xx warning is logged"
    assert all(len(entry["request_id"]) == 32 for entry in refusals)
    logged = "\n".join(lines)
    assert "5125550488" not in logged
    for body in ("hola", "Tejas", "Alemania"):
        assert body not in logged


def test_each_worker_warms_up_before_serving(server):
    """gunicorn.conf.py, read from the working directory as in the image, warms every worker."""

    def warmed() -> list[dict]:
        entries = [json.loads(line) for line in server.log.read_text().splitlines()]
        return [entry for entry in entries if " warmed up in " in entry["message"]]

    wait_for(lambda: len(warmed()) == 2, timeout=30, what="both workers to warm up")
    entries = [json.loads(line) for line in server.log.read_text().splitlines()]
    assert not [entry for entry in entries if entry["logger"] == "hotline.warmup"]


def test_texts_from_many_parents_at_once_are_all_answered_on_the_embedded_database(server):
    """Both workers write to one SQLite file: a write waits for the other's, never fails."""
    callers = [f"+1512555{number:04d}" for number in range(1000, 1048)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda caller: _text(server, "hola", caller).status_code, callers))
    print(f"\n{len(callers)} parents, 8 at a time: {statuses.count(200)} answered")
    assert statuses == [200] * len(callers), server.log.read_text()[-2000:]
