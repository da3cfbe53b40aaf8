"""`make bench`: the production shape on loopback under load, with the figures and targets.

Starts a fresh PostgreSQL database, gunicorn serving the hotline with its production
configuration (gunicorn.conf.py), the same configuration and Django stack answering fixed TwiML
(the framework baseline, bench/baseline.py), a bare WSGI server (bench/bare.py), a Celery
worker with two processes and Prism mocking Twilio's API; drives signed text conversations
and calls at several concurrency levels; measures the outbox; prints a table; stops
everything. All traffic stays on 127.0.0.1 and every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRISM = ROOT / "node_modules/.bin/prism"
SPEC = ROOT / "tests/integration/twilio_api_v2010.json"
PUBLIC = "https://hotline.example.org"
TOKEN = "bench-auth-token"
DATABASE = os.environ.get("BENCH_DATABASE", "hotline_bench")
LEVELS = (1, 16, 64)
SECONDS_PER_LEVEL = float(os.environ.get("BENCH_SECONDS", "8"))
OUTBOX_SIZES = (1000, 5000)
#: The open-loop search: texts must be answered within this at the 99th percentile; it
#: starts at a share of the closed-loop text throughput at 16 and takes at most this many
#: steps (each BENCH_SECONDS long), stopping when the bracket is within 10%.
OPEN_LOOP_P99_MS = 50.0
PACED_START_SHARE = 0.5
PACED_MAX_STEPS = int(os.environ.get("BENCH_OPEN_LOOP_STEPS", "6"))
TEXT_SCRIPT = ("hi", "1", "Texas", "Germany")
TO = "+18005550199"
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
#: The hotline's own gunicorn.conf.py applies (read from the working directory).
GUNICORN_FLAGS = ["--log-level", "warning"]
#: The bare server has no Django to warm up: no configuration file, the same worker count.
BARE_FLAGS = ["-c", "/dev/null", "-w", WORKERS, "--log-level", "warning"]
KINDS = ("text", "call", "baseline", "bare")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def wait_port(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def app_env(prism_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "CELERY_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_BASE_URL": PUBLIC,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": "AC" + "b" * 32,
        "TWILIO_FROM_NUMBER": "+18005550199",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{prism_port}",
        "TEXTS_PER_MINUTE_PER_NUMBER": "1000",
        "LOG_LEVEL": "WARNING",
    }


class Processes:
    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def services_check(*, prism: bool = True) -> None:
    """Stop with one clear line when something the benchmark runs on is missing."""
    missing = []
    if (
        shutil.which("psql") is None
        or subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "SELECT 1"], capture_output=True
        ).returncode
    ):
        missing.append("PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and its psql client")
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", 6379)):
            missing.append("Redis on 127.0.0.1:6379")
    if prism and not PRISM.exists():
        missing.append("the npm test tools (Prism): run `make install` with npm available")
    if missing:
        sys.exit("The benchmark needs " + "; ".join(missing) + ".")


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", command],
        check=True,
        capture_output=True,
    )


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def line(self) -> dict[str, float]:
        ordered = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

        return {
            "requests": len(self.latencies),
            "rps": len(self.latencies) / self.seconds if self.seconds else 0.0,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "errors": self.errors,
        }


def signed(path: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(PUBLIC + path, params)}


def text_params(sender: str, body: str) -> dict[str, str]:
    """The form Twilio posts for one inbound text (a new MessageSid each time)."""
    return {"MessageSid": f"SM{uuid.uuid4().hex}", "From": sender, "Body": body, "To": TO}


async def conversation_text(client: httpx.AsyncClient, port: int, run: Run, sender: str):
    """One whole text conversation from ``sender``, each text sent when the last is answered."""
    for body in TEXT_SCRIPT:
        params = text_params(sender, body)
        started = time.perf_counter()
        response = await client.post(
            f"http://127.0.0.1:{port}/twilio/sms/",
            data=params,
            headers=signed("/twilio/sms/", params),
        )
        run.latencies.append(time.perf_counter() - started)
        if response.status_code != 200 or b"<Message" not in response.content:
            run.errors += 1


async def texter(client: httpx.AsyncClient, port: int, run: Run, stop_at: float, caller: int):
    conversation = 0
    while time.monotonic() < stop_at:
        conversation += 1
        await conversation_text(client, port, run, f"+1555{caller:03d}{conversation:04d}")


async def paced(port: int, texts_per_second: float) -> Run:
    """Open loop: new conversations start on a fixed schedule whatever the answers' speed, as
    texts arrive from the public, so latency is measured without the generator waiting."""
    run = Run()
    interval = len(TEXT_SCRIPT) / texts_per_second
    async with httpx.AsyncClient(timeout=30) as client:
        started = time.monotonic()
        tasks = []
        for number in range(max(1, int(SECONDS_PER_LEVEL / interval))):
            await asyncio.sleep(max(0.0, started + number * interval - time.monotonic()))
            sender = f"+1554{uuid.uuid4().int % 10**7:07d}"
            tasks.append(asyncio.create_task(conversation_text(client, port, run, sender)))
        await asyncio.gather(*tasks)
        run.seconds = time.monotonic() - started
    return run


def paced_measure(port: int, server: int, texts_per_second: float) -> dict[str, float]:
    """One open-loop level with the web workers' CPU per text."""
    before = cpu_seconds({server})
    line = asyncio.run(paced(port, texts_per_second)).line()
    line["web_cpu_ms"] = (cpu_seconds({server}) - before) / (line["requests"] or 1) * 1000
    line["offered"] = texts_per_second
    return line


def open_loop_search(port: int, server: int, start: float) -> list[dict[str, float]]:
    """The highest arrival rate whose texts keep p99 within OPEN_LOOP_P99_MS: grow by half
    while it holds, then bisect, in at most PACED_MAX_STEPS levels."""
    steps, passed, failed, rate = [], 0.0, None, start
    for _ in range(PACED_MAX_STEPS):
        line = paced_measure(port, server, rate)
        steps.append(line)
        if line["p99"] <= OPEN_LOOP_P99_MS and not line["errors"]:
            passed = rate
        else:
            failed = rate
        if failed is not None and failed - passed <= 0.1 * failed:
            break
        rate = passed * 1.5 if failed is None else (passed + failed) / 2 if passed else rate / 2
    return steps


def open_loop_best(steps: list[dict[str, float]]) -> dict[str, float] | None:
    passing = [s for s in steps if s["p99"] <= OPEN_LOOP_P99_MS and not s["errors"]]
    return max(passing, key=lambda s: s["offered"]) if passing else None


async def caller_loop(client: httpx.AsyncClient, port: int, run: Run, stop_at: float, who: int):
    call = 0
    while time.monotonic() < stop_at:
        call += 1
        base = {"CallSid": f"CA{uuid.uuid4().hex}", "From": f"+1556{who:03d}{call:04d}"}
        steps = [("/twilio/voice/", {})]
        answers = [
            {"Digits": "1"},
            {"Digits": "1"},
            {"SpeechResult": "Texas", "Confidence": "0.9"},
            {"SpeechResult": "Germany", "Confidence": "0.9"},
            {},
        ]
        for number, answer in enumerate(answers, start=1):
            steps.append((f"/twilio/voice/step/?step={number}", answer))
        for path, answer in steps:
            params = {**base, **answer}
            started = time.perf_counter()
            response = await client.post(
                f"http://127.0.0.1:{port}{path}", data=params, headers=signed(path, params)
            )
            run.latencies.append(time.perf_counter() - started)
            if response.status_code != 200 or b"<Response" not in response.content:
                run.errors += 1


async def drive(kind: str, port: int, concurrency: int) -> Run:
    run = Run()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.monotonic()
        stop_at = started + SECONDS_PER_LEVEL
        worker = caller_loop if kind == "call" else texter
        await asyncio.gather(*(worker(client, port, run, stop_at, n) for n in range(concurrency)))
        run.seconds = time.monotonic() - started
    return run


def queries_per_request() -> dict[str, int]:
    """Statements per request type, counted in-process on the bench database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.texts import inbound_text_handle
    from routing.selectors import reference_data_get

    reference_data_get()  # steady state: this process's snapshot is current
    counts = {}
    sender = f"+1557{uuid.uuid4().int % 10**7:07d}"
    for label, body in zip(
        ("first text", "menu answer", "place", "outcome"), TEXT_SCRIPT, strict=True
    ):
        with CaptureQueriesContext(connection) as captured:
            inbound_text_handle(address=sender, body=body, message_sid=f"SM{uuid.uuid4().hex}")
        counts[label] = len(captured.captured_queries)
    return counts


def outbox_rate(size: int, pids: dict[str, int] | None = None) -> dict[str, float]:
    """Queue ``size`` texts as the outbox does and time them to Twilio (the mock), with the
    CPU each message cost the Celery worker, Prism and PostgreSQL (``pids``: name -> pid)."""
    pids = {**(pids or {}), "postgres": 0}

    def cpu() -> dict[str, float]:
        return {
            name: cpu_seconds(postgres_pids() if name == "postgres" else {pid})
            for name, pid in pids.items()
        }

    cpu_before = cpu()
    from django.db import transaction

    from cases import outbox
    from cases.models import Contact, Message

    contact = Contact.objects.create(phone=f"+1558{uuid.uuid4().int % 10**7:07d}")
    started = time.monotonic()
    with transaction.atomic():
        ids = [
            outbox.message_queue(
                contact=contact, channel="sms", body=f"bench {n}", purpose="staff_reply"
            ).pk
            for n in range(size)
        ]
    rows = Message.objects.filter(pk__in=ids)
    deadline = started + 600
    while time.monotonic() < deadline:
        unsent = rows.filter(twilio_sid="", error_code="")
        if not unsent.exclude(status=Message.Status.BLOCKED).exists():
            break
        time.sleep(0.25)
    seconds = time.monotonic() - started
    cpu_after = cpu()
    return {
        **{f"{name}_cpu_ms": (cpu_after[name] - cpu_before[name]) / size * 1000 for name in pids},
        "messages": size,
        "seconds": seconds,
        "per_second": size / seconds,
        "sent": rows.exclude(twilio_sid="").count(),
        # Prism invents delivery statuses ("failed", "canceled"...): only errors the sender
        # recorded (an error code, or a row not sent at all) count.
        "errors": rows.exclude(error_code="").count()
        + rows.filter(status=Message.Status.BLOCKED).count(),
        "retried": rows.filter(attempts__gt=1).count(),
        "duplicate_sids": size - rows.exclude(twilio_sid="").values("twilio_sid").distinct().count()
        if rows.exclude(twilio_sid="").count() == size
        else 0,
    }


def cpu_seconds(pids: set[int]) -> float:
    """CPU time of ``pids``, their live children and their ended children, from /proc."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) in pids:
            total += sum(int(ticks) for ticks in fields[11:15]) / CLOCK_TICKS
        elif int(fields[1]) in pids:
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def postgres_pids() -> set[int]:
    """The postmaster and its backends (an ended backend's time moves to the postmaster)."""
    found = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout
    return {int(pid) for pid in found.split()}


def measure(kind: str, port: int, level: int, server: int) -> dict[str, float]:
    """One load level, with the CPU it cost the web workers and PostgreSQL per request."""
    database = postgres_pids()
    web_before, db_before = cpu_seconds({server}), cpu_seconds(database)
    line = asyncio.run(drive(kind, port, level)).line()
    requests = line["requests"] or 1
    line["web_cpu_ms"] = (cpu_seconds({server}) - web_before) / requests * 1000
    line["db_cpu_ms"] = (cpu_seconds(database) - db_before) / requests * 1000
    return line


def gunicorn(app: str, port: int, flags: list[str]) -> list[str]:
    return [str(BIN / "gunicorn"), app, "-b", f"127.0.0.1:{port}", *flags]


def main() -> None:
    services_check()
    processes = Processes()
    prism_port = free_port()
    ports = {"text": free_port(), "baseline": free_port(), "bare": free_port()}
    ports["call"] = ports["text"]
    env = app_env(prism_port)
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    try:
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        prism = ["mock", "-d", "--errors", "-h", "127.0.0.1", "-p", str(prism_port), str(SPEC)]
        prism_pid = processes.start([str(PRISM), *prism]).pid
        servers = {
            "text": processes.start(
                gunicorn("hotline.wsgi:application", ports["text"], GUNICORN_FLAGS), env
            ).pid,
            "baseline": processes.start(
                gunicorn("bench.baseline:application", ports["baseline"], GUNICORN_FLAGS), env
            ).pid,
            "bare": processes.start(
                gunicorn("bench.bare:application", ports["bare"], BARE_FLAGS), env
            ).pid,
        }
        servers["call"] = servers["text"]
        worker = ["worker", "--concurrency=2", "--loglevel=WARNING", "-Q", env["CELERY_QUEUE"]]
        worker_pid = processes.start([str(BIN / "celery"), "-A", "hotline", *worker], env).pid
        for port in (prism_port, *ports.values()):
            wait_port(port)
        time.sleep(2)  # the workers' warm-up (gunicorn.conf.py) ends before the first level
        os.environ.update(env)
        results = {
            (kind, level): measure(kind, ports[kind], level, servers[kind])
            for level in LEVELS
            for kind in KINDS
        }
        paced_steps = open_loop_search(
            ports["text"], servers["text"], results[("text", 16)]["rps"] * PACED_START_SHARE
        )
        queries = queries_per_request()
        outbox_pids = {"worker": worker_pid, "prism": prism_pid}
        outbox = {size: outbox_rate(size, outbox_pids) for size in OUTBOX_SIZES}
    finally:
        processes.stop()
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    report(results, paced_steps, queries, outbox)


def report(results, paced_steps, queries, outbox) -> None:
    print(
        f"\nMachine: {os.cpu_count()} cores; gunicorn.conf.py, {WORKERS} sync workers; "
        f"{SECONDS_PER_LEVEL:.0f} s per level. CPU ms: per request, gunicorn workers "
        "(web) and PostgreSQL (db).\n"
    )
    print(
        f"{'load':<10}{'conc':>5}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'web CPU':>9}{'db CPU':>8}"
    )
    for (kind, level), line in results.items():
        print(
            f"{kind:<10}{level:>5}{line['requests']:>10}{line['rps']:>9.1f}{line['p50']:>9.1f}"
            f"{line['p95']:>9.1f}{line['p99']:>9.1f}{line['errors']:>8}"
            f"{line['web_cpu_ms']:>9.2f}{line['db_cpu_ms']:>8.2f}"
        )
    print("\nOpen loop (conversations start on a schedule), the search for p99 <= 50 ms:")
    for line in paced_steps:
        print(
            f"  offered {line['offered']:.1f} texts/s: served {line['rps']:.1f}/s, p50 "
            f"{line['p50']:.1f} ms, p99 {line['p99']:.1f} ms, errors {line['errors']}, web CPU "
            f"{line['web_cpu_ms']:.2f} ms per text"
        )
    print("\nSQL statements per inbound text (steady state):", queries)
    for size, figures in outbox.items():
        print(
            f"Outbox {size}: {figures['per_second']:.1f} msg/s, {figures['seconds']:.1f} s, "
            f"sent {figures['sent']}, errors {figures['errors']}, retried {figures['retried']}, "
            f"duplicate SIDs {figures['duplicate_sids']}; CPU ms per message: worker "
            f"{figures['worker_cpu_ms']:.1f}, Prism {figures['prism_cpu_ms']:.1f}, PostgreSQL "
            f"{figures['postgres_cpu_ms']:.1f}"
        )
    text16, base16 = results[("text", 16)], results[("baseline", 16)]
    ratio = text16["rps"] / base16["rps"] if base16["rps"] else 0.0
    bare16 = results[("bare", 16)]
    print(
        f"\nClosed loop at 16: text throughput {ratio:.0%} of the framework baseline, "
        f"{text16['rps'] / bare16['rps'] if bare16['rps'] else 0:.0%} of the bare server"
    )
    baseline_rps = max(results[("baseline", level)]["rps"] for level in LEVELS)
    baseline_cpu = base16["web_cpu_ms"] or float("inf")
    best = open_loop_best(paced_steps)
    best_rate = best["rps"] if best else 0.0
    cpu_ratio = (best or text16)["web_cpu_ms"] / baseline_cpu
    print(
        f"Open loop: {best_rate:.1f} texts/s with p99 <= {OPEN_LOOP_P99_MS:.0f} ms = "
        f"{best_rate / baseline_rps:.0%} of the framework baseline's {baseline_rps:.1f} req/s; "
        f"web CPU {(best or text16)['web_cpu_ms']:.2f} ms per text = {cpu_ratio:.1f}x the "
        f"baseline's {base16['web_cpu_ms']:.2f} ms per request"
    )
    checks = [
        (
            "open loop: highest rate with p99 <= 50 ms >= 25% of the baseline's throughput",
            best_rate >= 0.25 * baseline_rps,
            f"{best_rate / baseline_rps:.0%}",
        ),
        (
            "web CPU per text <= 3x the baseline's per request",
            cpu_ratio <= 3,
            f"{cpu_ratio:.1f}x",
        ),
        (
            "<= 10 SQL statements per inbound text",
            max(queries.values()) <= 10,
            f"max {max(queries.values())}",
        ),
        (
            "outbox >= 50 messages/s with two worker processes",
            outbox[1000]["per_second"] >= 50,
            f"{outbox[1000]['per_second']:.1f}/s",
        ),
        (
            "5,000-message run: no error, none lost or duplicated",
            outbox[5000]["errors"] == 0
            and outbox[5000]["sent"] == 5000
            and outbox[5000]["duplicate_sids"] == 0,
            f"errors {outbox[5000]['errors']}, sent {outbox[5000]['sent']}",
        ),
    ]
    print("\nTargets:")
    for name, met, figure in checks:
        print(f"  [{'met' if met else 'MISSED'}] {name}: {figure}")


if __name__ == "__main__":
    main()
