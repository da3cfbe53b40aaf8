"""/health/, /ready/ and /metrics."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from cases.models import Contact, Conversation, Handoff, Message
from cases.texts import inbound_text_handle
from hotline import health, metrics
from hotline.metrics import metrics_text
from tests.twilio_helpers import new_sid, signed_post, text_params

ROOT = Path(__file__).resolve().parents[2]
DEAD_REDIS = "redis://127.0.0.1:1/0"
BEARER = {"HTTP_AUTHORIZATION": "Bearer scrape-token"}


@pytest.fixture(autouse=True)
def _fresh_readiness(settings):
    """Every /ready/ here runs its checks (the reuse of results is tested on its own)."""
    settings.READY_CACHE_SECONDS = 0


@pytest.fixture
def database_down(monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refused)


def test_health_needs_no_database(client, database_down):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health/", "/ready/", "/metrics"])
def test_probes_answer_on_the_internal_address_over_plain_http(client, settings, path):
    """Health checks and Prometheus call http://10.0.0.7:8000/…, a host the public site does
    not serve, and must not be redirected to https."""
    settings.ALLOWED_HOSTS = ["hotline.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    response = client.get(path, HTTP_HOST="10.0.0.7:8000", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert client.get("/admin/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_probes_are_get_only(client):
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_ready_with_the_database_alone(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"] == {"database": "ok"}


@pytest.mark.django_db
def test_ready_fails_when_the_database_is_down(client, settings, database_down):
    settings.REDIS_URL = ""
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"] == {"database": "failed: OperationalError"}


@pytest.mark.django_db
def test_ready_reports_but_survives_redis_down(client, settings):
    settings.REDIS_URL = DEAD_REDIS
    started = time.perf_counter()
    response = client.get("/ready/")
    assert time.perf_counter() - started < 3
    assert response.status_code == 200
    assert response.json()["degraded"] == ["redis", "worker"]
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "failed: ConnectionError",
        "worker": "skipped: no Redis",
    }


@pytest.mark.django_db
def test_ready_reports_but_survives_no_worker(client, settings, monkeypatch):
    from hotline.celery import app

    settings.REDIS_URL = "redis://redis.invalid:6379/0"
    monkeypatch.setattr(health, "_check_redis", lambda: "ok")
    monkeypatch.setattr(app.control, "ping", lambda **kwargs: [])
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "failed: no worker answered"


@pytest.mark.integration
@pytest.mark.django_db
def test_ready_with_real_redis_and_worker(client, start_worker):
    """No worker: 200, reported, after the ping's one second. A worker: reported as soon as
    it answers."""
    started = time.perf_counter()
    alone = client.get("/ready/")
    waited = time.perf_counter() - started
    assert alone.status_code == 200
    assert alone.json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "worker": "failed: no worker answered",
    }
    assert 0.9 < waited < 2.5
    start_worker("http://127.0.0.1:9")
    deadline = time.monotonic() + 60
    while client.get("/ready/").json()["degraded"]:
        assert time.monotonic() < deadline, "the worker never answered"
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get("/ready/").status_code == 200
        timings.append(time.perf_counter() - started)
    # As soon as the worker answers, not after the ping's full second.
    assert sorted(timings)[2] < health.WORKER_PING_SECONDS / 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote_addr", "headers", "status"),
    [
        ("93.184.216.34", {}, 403),
        ("93.184.216.34", {"HTTP_AUTHORIZATION": "Bearer nope"}, 403),
        ("93.184.216.34", {"HTTP_AUTHORIZATION": "scrape-token"}, 403),
        ("93.184.216.34", {"HTTP_AUTHORIZATION": "Token scrape-token"}, 403),
        ("93.184.216.34", BEARER, 200),
        ("93.184.216.34", {"HTTP_X_FORWARDED_FOR": "127.0.0.1"}, 403),
        ("100.64.0.1", {}, 403),
        ("172.32.0.1", {}, 403),
        ("2001:db8::1", {}, 403),
        ("127.0.0.1", {}, 200),
        ("10.1.2.3", {}, 200),
        ("172.20.0.5", {}, 200),
        ("192.168.1.10", {}, 200),
        ("::1", {}, 200),
        ("::ffff:10.0.0.1", {}, 200),
        ("fd00::5", {}, 200),
        # Through a proxy every caller has the proxy's private address: the header it adds
        # marks the request as coming from outside.
        ("172.20.0.2", {"HTTP_X_FORWARDED_FOR": "93.184.216.34"}, 403),
        ("172.20.0.2", {"HTTP_FORWARDED": "for=93.184.216.34"}, 403),
        ("172.20.0.2", {"HTTP_X_FORWARDED_FOR": "1.2.3.4", **BEARER}, 200),
    ],
)
def test_metrics_are_for_internal_callers_or_the_token(
    client, settings, remote_addr, headers, status
):
    settings.METRICS_TOKEN = "scrape-token"
    response = client.get("/metrics", REMOTE_ADDR=remote_addr, **headers)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_no_token_configured_means_internal_only(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR="93.184.216.34", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


def _samples(text: bytes) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
    }


def _message(
    contact, *, direction, channel="sms", status="received", delivery_status="", error_code=""
):
    return Message(
        contact=contact,
        direction=direction,
        channel=channel,
        status=status,
        delivery_status=delivery_status,
        error_code=error_code,
    )


@pytest.mark.django_db
def test_metrics_count_what_the_database_holds(client):
    inbound_text_handle(address="+15125550400", body="hi", message_sid=new_sid())
    inbound_text_handle(address="whatsapp:+15125550401", body="hi", message_sid=new_sid())
    contact = Contact.objects.create(phone="+15125550402")
    Message.objects.bulk_create(
        [
            _message(contact, direction="inbound"),
            _message(contact, direction="inbound", channel="voice"),
            # One the outbox gave up on, one Twilio reported failed: both count.
            _message(contact, direction="outbound", status="failed", error_code="30007"),
            _message(
                contact,
                direction="outbound",
                status="sent",
                delivery_status="failed",
                error_code="30007",
            ),
            _message(contact, direction="outbound", status="sent", delivery_status="undelivered"),
            _message(contact, direction="outbound", status="sent", delivery_status="delivered"),
        ]
    )
    conversations = [
        Conversation.objects.create(contact=contact, channel=channel, step="outcome", outcome=code)
        for channel, code in [
            ("voice", "hague"),
            ("voice", ""),
            ("sms", "hague"),
            ("sms", "hague"),
            ("whatsapp", "none"),
        ]
    ]
    for priority, status in [
        ("urgent", "open"),
        ("normal", "open"),
        ("normal", "claimed"),
        ("normal", "resolved"),
    ]:
        Handoff.objects.create(
            conversation=conversations[0],
            contact=contact,
            reason="requested",
            priority=priority,
            status=status,
        )
    samples = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)
    assert samples[("hotline_inbound_messages_total", (("channel", "sms"),))] == 2
    assert samples[("hotline_inbound_messages_total", (("channel", "whatsapp"),))] == 1
    assert ("hotline_inbound_messages_total", (("channel", "voice"),)) not in samples
    assert samples[("hotline_calls_total", ())] == 2
    assert samples[("hotline_outcomes_total", (("channel", "sms"), ("outcome", "hague")))] == 2
    assert samples[("hotline_outcomes_total", (("channel", "voice"), ("outcome", "hague")))] == 1
    assert samples[("hotline_outcomes_total", (("channel", "whatsapp"), ("outcome", "none")))] == 1
    assert samples[("hotline_open_handoffs", (("priority", "urgent"),))] == 1
    assert samples[("hotline_open_handoffs", (("priority", "normal"),))] == 2
    assert samples[("hotline_outbound_failures_total", (("error_code", "30007"),))] == 2
    assert samples[("hotline_outbound_failures_total", (("error_code", "none"),))] == 1


@pytest.mark.django_db
def test_open_handoffs_are_zero_not_missing(client):
    samples = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)
    assert samples[("hotline_open_handoffs", (("priority", "urgent"),))] == 0
    assert samples[("hotline_open_handoffs", (("priority", "normal"),))] == 0


def _webhook_count(client, path: str) -> float:
    samples = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)
    return samples.get(("hotline_webhook_seconds_count", (("path", path),)), 0)


@pytest.mark.django_db
def test_webhook_latency_by_url_pattern(client, twilio_settings):
    before = {path: _webhook_count(client, path) for path in ("/twilio/sms/", "unmatched")}
    signed_post(client, "/twilio/sms/", text_params("hi"))
    client.post("/twilio/sms/", text_params("unsigned"))
    client.post("/twilio/no-such-hook/", {})
    client.get("/api/schema/")
    assert _webhook_count(client, "/twilio/sms/") == before["/twilio/sms/"] + 2
    assert _webhook_count(client, "unmatched") == before["unmatched"] + 1
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "/api/schema/" not in text
    assert 'hotline_webhook_seconds_bucket{le="0.005",path="/twilio/sms/"}' in text


OBSERVE = (
    "from hotline.metrics import WEBHOOK_LATENCY; "
    "WEBHOOK_LATENCY.labels(path='/twilio/voice/').observe(0.2)"
)


@pytest.mark.django_db
def test_latency_is_summed_across_gunicorn_workers(tmp_path, monkeypatch):
    """With PROMETHEUS_MULTIPROC_DIR, any worker's /metrics shows every worker's requests."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", OBSERVE], cwd=ROOT, env=env, check=True)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = _samples(metrics_text())
    assert samples[("hotline_webhook_seconds_count", (("path", "/twilio/voice/"),))] == 2
    assert samples[("hotline_webhook_seconds_sum", (("path", "/twilio/voice/"),))] == 0.4
    assert ("hotline_open_handoffs", (("priority", "urgent"),)) in samples


@pytest.mark.django_db
def test_scrape_stays_cheap(client):
    """Eight queries (two boundaries and the oldest pending text, four counters, the open
    handoffs), whatever the rows."""
    contact = Contact.objects.create(phone="+15125550403")
    Message.objects.bulk_create(
        _message(contact, direction="inbound", status="received")
        if n % 2
        else _message(contact, direction="outbound", status="sent", delivery_status="delivered")
        for n in range(1000)
    )
    client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert len(queries) == 8


@pytest.mark.django_db
def test_settled_rows_are_counted_once_then_kept(client):
    """Rows older than the settled boundary are counted once and their totals kept in the
    cache: a later scrape reads only newer rows (an old row changed behind the counters' back
    no longer moves them), new rows still count, and a lost cache counts everything again."""
    contact = Contact.objects.create(phone="+15125550404")
    old = timezone.now() - metrics.SETTLED_AFTER - datetime.timedelta(hours=1)
    Message.objects.bulk_create(_message(contact, direction="inbound") for _ in range(3))
    Message.objects.update(created_at=old)
    key = ("hotline_inbound_messages_total", (("channel", "sms"),))
    assert _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)[key] == 3
    Message.objects.filter(pk=Message.objects.first().pk).update(channel="whatsapp")
    inbound_text_handle(address="+15125550405", body="hi", message_sid=new_sid())
    assert _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)[key] == 4
    cache.clear()
    assert _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)[key] == 3


@pytest.mark.django_db
def test_a_settled_boundary_never_moves_back(client):
    """Rows written side by side can have ids out of their creation order: when the newest
    settled row has a smaller id than the last scrape's boundary, the kept totals stand (no
    recount of the years, no double count)."""
    contact = Contact.objects.create(phone="+15125550406")
    old = timezone.now() - metrics.SETTLED_AFTER - datetime.timedelta(hours=2)
    first, second = Message.objects.bulk_create(
        _message(contact, direction="inbound") for _ in range(2)
    )
    Message.objects.filter(pk=first.pk).update(created_at=old)
    Message.objects.filter(pk=second.pk).update(created_at=old + datetime.timedelta(hours=1))
    key = ("hotline_inbound_messages_total", (("channel", "sms"),))
    assert _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)[key] == 2
    assert cache.get(metrics.SETTLED_CACHE_KEY)["boundaries"]["message"] == second.pk
    Message.objects.filter(pk=second.pk).update(created_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        samples = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)
    assert samples[key] == 2
    assert cache.get(metrics.SETTLED_CACHE_KEY)["boundaries"]["message"] == second.pk
    recount = '"cases_message"."id" > 0'
    assert not any(recount in query["sql"] for query in queries.captured_queries)


DEAD_REDIS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}
}


@pytest.mark.django_db
def test_metrics_answer_with_redis_down(client, settings, caplog):
    """A Redis outage is when the counters are needed: the kept totals cannot be read or
    written, so the scrape counts every row afresh and says so in a warning."""
    contact = Contact.objects.create(phone="+15125550407")
    old = timezone.now() - metrics.SETTLED_AFTER - datetime.timedelta(hours=1)
    Message.objects.bulk_create(_message(contact, direction="inbound") for _ in range(3))
    Message.objects.update(created_at=old)
    inbound_text_handle(address="+15125550408", body="hi", message_sid=new_sid())
    settings.CACHES = DEAD_REDIS_CACHE
    started = time.perf_counter()
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert time.perf_counter() - started < 3
    assert response.status_code == 200
    samples = _samples(response.content)
    assert samples[("hotline_inbound_messages_total", (("channel", "sms"),))] == 4
    assert samples[("hotline_open_handoffs", (("priority", "urgent"),))] == 0
    warnings = [r for r in caplog.records if r.name == "hotline.metrics"]
    assert [r.levelname for r in warnings] == ["WARNING"]
    assert all("+1512" not in r.getMessage() for r in warnings)


@pytest.mark.django_db
def test_metrics_answer_when_the_totals_cannot_be_kept(client, monkeypatch, caplog):
    import redis

    def refused(*args, **kwargs):
        raise redis.exceptions.ConnectionError("connection refused")

    inbound_text_handle(address="+15125550409", body="hi", message_sid=new_sid())
    monkeypatch.setattr(metrics.cache, "set", refused)
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert (
        _samples(response.content)[("hotline_inbound_messages_total", (("channel", "sms"),))] == 1
    )
    assert "totals not kept" in caplog.text


@pytest.mark.django_db
def test_a_text_still_pending_is_not_settled(client):
    """A check-in is written days before it is sent and a transient failure is retried for
    hours: a row older than the settled age that is still scheduled, queued or sending is not
    folded into the kept totals, so its failure is counted when it comes."""
    contact = Contact.objects.create(phone="+15125550410")
    old = timezone.now() - metrics.SETTLED_AFTER - datetime.timedelta(days=3)
    check_in, retried, settled = Message.objects.bulk_create(
        [
            _message(contact, direction="outbound", status="scheduled"),
            _message(contact, direction="outbound", status="queued"),
            _message(contact, direction="inbound"),
        ]
    )
    Message.objects.update(created_at=old)
    key = ("hotline_outbound_failures_total", (("error_code", "30007"),))
    assert key not in _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)
    Message.objects.filter(pk__in=[check_in.pk, retried.pk]).update(
        status="failed", error_code="30007"
    )
    assert _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)[key] == 2
    assert cache.get(metrics.SETTLED_CACHE_KEY)["boundaries"]["message"] == settled.pk
    assert _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1").content)[key] == 2
