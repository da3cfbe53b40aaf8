"""The benchmark's own arithmetic and signing (the run itself is `make bench`)."""

import io
import os
import time

import pytest
from twilio.request_validator import RequestValidator

from bench import bare, run
from bench.run import PUBLIC, TOKEN, Run, cpu_seconds, signed


def test_percentiles_and_throughput():
    run = Run(latencies=[n / 1000 for n in range(1, 101)], errors=2, seconds=2.0)
    line = run.line()
    assert line["requests"] == 100
    assert line["rps"] == 50
    assert line["p50"] == 51
    assert line["p99"] == 100
    assert line["errors"] == 2


def test_requests_are_signed_as_twilio_signs_them():
    params = {"MessageSid": "SM1", "Body": "hi"}
    header = signed("/twilio/sms/", params)["X-Twilio-Signature"]
    assert RequestValidator(TOKEN).validate(f"{PUBLIC}/twilio/sms/", params, header)


def test_the_bare_server_answers_fixed_twiml():
    started = []
    body = b"From=%2B15125550100&Body=hi"
    environ = {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
    answer = bare.application(environ, lambda status, headers: started.append(status))
    assert started == ["200 OK"]
    assert b"<Message>ok</Message>" in b"".join(answer)


def test_the_framework_baseline_answers_fixed_twiml_through_the_middleware(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    response = client.post("/twilio/sms/", {"Body": "hi"})
    assert response.status_code == 200
    assert b"<Message>ok</Message>" in response.content
    assert response.headers["X-Request-ID"]  # the hotline's own middleware ran
    assert client.get("/twilio/sms/").status_code == 405


def test_cpu_time_is_read_from_proc():
    before = cpu_seconds({os.getpid()})
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    assert cpu_seconds({os.getpid()}) >= before + 0.03


def test_a_missing_service_stops_the_benchmark_with_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "PRISM", tmp_path / "no-prism")
    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        run.services_check()
    message = str(stopped.value)
    assert "PostgreSQL on 127.0.0.1:5432" in message
    assert "make install" in message


def test_the_open_loop_search_brackets_the_highest_rate_within_bounded_steps(monkeypatch):
    """Texts keep p99 <= 50 ms up to 37/s here: the search grows, then bisects to within 10%."""

    def level(port, server, rate):
        return {"offered": rate, "rps": rate, "p99": 30.0 if rate <= 37 else 90.0, "errors": 0}

    monkeypatch.setattr(run, "paced_measure", level)
    steps = run.open_loop_search(0, 0, 20.0)
    assert len(steps) <= run.PACED_MAX_STEPS
    best = run.open_loop_best(steps)["offered"]
    failed = min(s["offered"] for s in steps if s["p99"] > 50)
    assert best <= 37 < failed
    assert failed - best <= 0.1 * failed or len(steps) == run.PACED_MAX_STEPS
    assert best >= 30


def test_an_open_loop_that_never_holds_reports_no_rate(monkeypatch):
    monkeypatch.setattr(
        run,
        "paced_measure",
        lambda port, server, rate: {"offered": rate, "rps": rate, "p99": 80.0, "errors": 0},
    )
    steps = run.open_loop_search(0, 0, 20.0)
    assert len(steps) == run.PACED_MAX_STEPS
    assert run.open_loop_best(steps) is None
