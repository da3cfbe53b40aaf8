"""Finding 5: slow-body clients (a byte every two seconds) held every synchronous gunicorn
worker, so no text was answered. The production shape puts nginx in front of gunicorn
(docker-compose.yml's `proxy`, deploy/nginx.conf), which reads each request whole first.

The configuration is checked as text always; with an nginx binary (on PATH, or NGINX=path)
it is checked by `nginx -t` and run on loopback in front of the real gunicorn of
tests/ops/test_server.py, with slow clients holding connections while texts arrive.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import yaml
from twilio.request_validator import RequestValidator

from tests.integration.conftest import free_port, port_open, wait_for
from tests.ops.test_server import server  # noqa: F401  (the real gunicorn, as a fixture)
from tests.twilio_helpers import AUTH_TOKEN, BASE_URL, new_sid

ROOT = Path(__file__).resolve().parents[2]
CONF = (ROOT / "deploy" / "nginx.conf").read_text()
PROXY = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["proxy"]
SLOW_CLIENTS = 10
TEXTS = 4


def _directive(name: str) -> str:
    (value,) = re.findall(rf"^\s*{name}\s+([^;{{]+);", CONF, re.MULTILINE)
    return value.strip()


def _seconds(value: str) -> int:
    return int(value.removesuffix("s"))


def test_compose_runs_nginx_with_this_configuration():
    assert PROXY["image"].startswith("nginx:1.")
    assert PROXY["volumes"] == ["./deploy/nginx.conf:/etc/nginx/nginx.conf:ro"]
    assert PROXY["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "/health/" in str(PROXY["healthcheck"]["test"])


def test_bodies_are_buffered_with_time_and_size_limits():
    assert _directive("proxy_request_buffering") == "on"
    assert _directive("proxy_pass") == "http://hotline_web"
    assert _directive("server") == "web:8000"
    assert _seconds(_directive("client_body_timeout")) <= 15
    assert _seconds(_directive("client_header_timeout")) <= 15
    assert _directive("client_max_body_size") == "5m"
    assert _directive("proxy_set_header X-Forwarded-For") == "$proxy_add_x_forwarded_for"
    assert re.search(r"location = /metrics \{\s*return 404;", CONF)


def _nginx_binary() -> str:
    found = os.environ.get("NGINX") or shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is needed (apt-get install nginx)")
        pytest.skip("no nginx binary (set NGINX=/path/to/nginx)")
    return found


def _local_conf(tmp: Path, upstream_port: int, port: int) -> Path:
    """The shipped file, pointed at a gunicorn on loopback, with its scratch files in ``tmp``."""
    scratch = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = (
        CONF.replace("server web:8000;", f"server 127.0.0.1:{upstream_port};")
        .replace("listen 8080;", f"listen 127.0.0.1:{port};")
        .replace("http {\n", f"http {{\n{scratch}\n", 1)
    )
    path = tmp / "nginx.conf"
    path.write_text(f"pid {tmp / 'nginx.pid'};\n{text}")
    tmp.chmod(0o777)
    return path


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = _nginx_binary()
    conf = _local_conf(tmp_path, free_port(), free_port())
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def nginx_in_front(server, tmp_path):  # noqa: F811
    nginx = _nginx_binary()
    port = free_port()
    upstream = int(server.url.rsplit(":", 1)[1])
    conf = _local_conf(tmp_path, upstream, port)
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: port_open(port), timeout=20, what="nginx to listen")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def _slow_client(port: int, announced: threading.Semaphore, stop: threading.Event) -> None:
    """Announces a 1,000-byte form and sends it a byte every two seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(
            b"POST /twilio/sms/ HTTP/1.1\r\nHost: hotline.example.org\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        )
        announced.release()
        while not stop.wait(2):
            try:
                connection.sendall(b"a")
            except OSError:
                return


def _text(port: int, body: str, timeout: float) -> int:
    params = {"MessageSid": new_sid(), "From": "+15125550499", "To": "+18005550199", "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{BASE_URL}/twilio/sms/", params)
    try:
        return requests.post(
            f"http://127.0.0.1:{port}/twilio/sms/",
            data=params,
            headers={
                "Host": "hotline.example.org",
                "X-Forwarded-Proto": "https",
                "X-Twilio-Signature": signature,
            },
            timeout=timeout,
        ).status_code
    except requests.RequestException:
        return 0


def _texts_while_slow_clients_hold_connections(
    port: int, timeout: float
) -> tuple[list[int], float]:
    """Texts one after another (the test server's SQLite takes one writer at a time), once
    every slow client is connected and has sent its headers, so it is ahead of the texts."""
    announced = threading.Semaphore(0)
    stop = threading.Event()
    slow = [
        threading.Thread(target=_slow_client, args=(port, announced, stop), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for thread in slow:
        thread.start()
    for _ in slow:
        assert announced.acquire(timeout=10), "a slow client could not connect"
    started = time.perf_counter()
    statuses = [_text(port, f"hi {n}", timeout) for n in range(TEXTS)]
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in slow:
        thread.join(timeout=5)
    return statuses, elapsed


@pytest.mark.integration
def test_slow_clients_do_not_stop_texts_behind_nginx(server, nginx_in_front):  # noqa: F811
    direct_port = int(server.url.rsplit(":", 1)[1])
    direct, _ = _texts_while_slow_clients_hold_connections(direct_port, timeout=2)
    proxied, seconds = _texts_while_slow_clients_hold_connections(nginx_in_front, timeout=10)
    print(
        f"\n{SLOW_CLIENTS} slow clients, {TEXTS} texts: straight to gunicorn "
        f"{direct.count(200)} answered; through nginx {proxied.count(200)} answered "
        f"in {seconds:.2f} s"
    )
    assert direct.count(200) < TEXTS  # the control: the finding, without the proxy
    assert proxied == [200] * TEXTS, server.log.read_text()[-3000:]
