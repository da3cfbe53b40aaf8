"""`make bench-volume`: does the hotline's cost stay flat as two years of data pile up?

On a fresh database: texts and call steps are measured empty, then the database is filled
with two years of a national hotline (bench/volume_fill.py; ``VOLUME_SCALE=0.01`` for a
hundredth of it), and the same texts and calls are measured again, with the staff pages, the
API lists, ``/metrics``, the hot queries' plans and the retention purge under traffic. The
ratios full/empty are the figures to read (the machine's speed varies; both halves run
within minutes of each other). Everything stays on 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import statistics
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg

from bench import run, volume_fill

SCALE = float(os.environ.get("VOLUME_SCALE", "1"))
DATABASE = os.environ.get("VOLUME_DATABASE", "hotline_volume")
#: Requests per staff page or API list (after one warm-up request).
PAGE_REPEATS = int(os.environ.get("VOLUME_PAGE_REPEATS", "20"))
#: Texts per second sent while the retention purge runs.
PURGE_TRAFFIC_RATE = 5.0
RETENTION_DAYS = 365
DSN = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"


def fill(now: datetime.datetime) -> dict[str, float]:
    """Drop the big tables' secondary indexes, write the rows on two connections, build the
    indexes again (sorted builds are much faster than index upkeep row by row), ANALYZE."""
    sizes = volume_fill.Sizes.at(SCALE)
    timings = {}
    started = time.monotonic()
    with psycopg.connect(DSN, autocommit=True) as connection:
        definitions = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(volume_fill.TABLES)],
        ).fetchall()
        # The rows the empty half's texts and calls wrote go too.
        connection.execute(f"TRUNCATE {', '.join(volume_fill.TABLES)} RESTART IDENTITY CASCADE")
        for name, _ in definitions:
            connection.execute(f'DROP INDEX "{name}"')
    steps = volume_fill.statements(sizes, now, RETENTION_DAYS)
    tables, messages = steps[:3], steps[3:]

    def execute(step: tuple[str, str]) -> None:
        with psycopg.connect(DSN, autocommit=True) as connection:
            connection.execute("SET session_replication_role = replica")  # no FK triggers
            connection.execute("SET synchronous_commit = off")
            begun = time.monotonic()
            connection.execute(step[1])
            print(f"  {step[0]}: {time.monotonic() - begun:.1f} s", flush=True)

    for step in tables:
        execute(step)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(execute, messages))
    timings["rows_s"] = time.monotonic() - started
    begun = time.monotonic()
    with psycopg.connect(DSN, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '1GB'")
        connection.execute("SET max_parallel_maintenance_workers = 2")
        for name, definition in definitions:
            step = time.monotonic()
            connection.execute(definition)
            print(f"  index {name}: {time.monotonic() - step:.1f} s", flush=True)
        timings["indexes_s"] = time.monotonic() - begun
        begun = time.monotonic()
        for label, sql in volume_fill.finishing(now, RETENTION_DAYS):
            step = time.monotonic()
            connection.execute(sql)
            print(f"  {label}: {time.monotonic() - step:.1f} s", flush=True)
        for table in volume_fill.TABLES:
            connection.execute(f"VACUUM ANALYZE {table}")
        timings["vacuum_s"] = time.monotonic() - begun
        size = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    timings["total_s"] = time.monotonic() - started
    timings["gigabytes"] = size / 1e9
    return timings


def traffic(ports: dict[str, int], server: int) -> dict[str, dict[str, float]]:
    """Texts and call steps, one conversation at a time (latency without queueing), twice."""
    lines = {}
    for kind in ("text", "call"):
        tries = [run.measure(kind, ports["text"], 1, server) for _ in range(2)]
        lines[kind] = {key: statistics.median(t[key] for t in tries) for key in tries[0]}
    return lines


def staff_pages() -> dict[str, dict[str, float]]:
    """Each page or list PAGE_REPEATS times in process (Django's test client, a superuser;
    static files by name, as no ``collectstatic`` manifest exists here)."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BY_NAME}}
    with override_settings(STORAGES=plain):
        return _staff_pages()


STATIC_BY_NAME = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _staff_pages() -> dict[str, dict[str, float]]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from cases.models import Contact, Conversation
    from hotline.metrics import SETTLED_CACHE_KEY

    user, _ = get_user_model().objects.get_or_create(
        username="volume-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    conversation = Conversation.objects.filter(channel="sms").order_by("-id").first()
    phone = conversation.contact.phone if conversation else "+15125550100"
    pages = {
        "handoff queue (admin)": "/admin/cases/handoff/",
        "conversation list (admin)": "/admin/cases/conversation/",
        "search by number (admin)": f"/admin/cases/conversation/?q={phone}",
        "search by last 4 digits (admin)": f"/admin/cases/conversation/?q={phone[-4:]}",
        "a conversation (admin)": f"/admin/cases/conversation/{conversation.pk}/change/"
        if conversation
        else "/admin/",
        "dashboard": "/admin/dashboard/",
        "API conversations": "/api/v1/conversations/",
        "API conversations by number": f"/api/v1/conversations/?phone={phone}",
        "API handoffs": "/api/v1/handoffs/",
        "API messages": "/api/v1/messages/",
        "API messages by number": f"/api/v1/messages/?phone={phone}",
    }
    results = {}
    cache.delete(SETTLED_CACHE_KEY)
    started = time.perf_counter()
    client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    first_scrape = (time.perf_counter() - started) * 1000
    pages["/metrics"] = "/metrics"
    for name, path in pages.items():
        client.get(path, REMOTE_ADDR="127.0.0.1")
        times, status = [], 0
        for _ in range(PAGE_REPEATS):
            begun = time.perf_counter()
            response = client.get(path, REMOTE_ADDR="127.0.0.1")
            times.append((time.perf_counter() - begun) * 1000)
            status = max(status, response.status_code)
        times.sort()
        results[name] = {
            "p50": times[len(times) // 2],
            "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
            "status": status,
        }
    results["/metrics"]["first"] = first_scrape
    results["/metrics"]["contacts"] = Contact.objects.count()
    return results


def plans() -> dict[str, str]:
    from django.db import transaction

    from bench.hot_queries import explain, full_reads, hot_queries
    from cases.models import Conversation

    call = Conversation.objects.exclude(call_sid="").order_by("-id").first()
    text = Conversation.objects.filter(channel="sms").order_by("-id").first()
    if call is None or text is None:
        return {}
    with transaction.atomic():
        queries = hot_queries(
            phone=text.contact.phone, call_sid=call.call_sid, conversation_id=text.pk
        )
        return {
            name: explain(query)
            + (f"\n  FULL READ: {full_reads(query)}" if full_reads(query) else "")
            for name, query in queries.items()
        }


def purge_under_traffic(port: int) -> dict[str, float]:
    """The retention purge in a thread while texts arrive at PURGE_TRAFFIC_RATE per second."""
    from cases.retention import personal_data_purge

    outcome: dict[str, float] = {}

    def purge() -> None:
        from django.db import connection

        begun = time.monotonic()
        outcome["rows"] = personal_data_purge()
        outcome["seconds"] = time.monotonic() - begun
        connection.close()

    async def texts(worker: threading.Thread) -> run.Run:
        measured = run.Run()
        async with httpx.AsyncClient(timeout=30) as client:
            started, sent, tasks = time.monotonic(), 0, []
            while worker.is_alive() or sent < PURGE_TRAFFIC_RATE:
                await asyncio.sleep(
                    max(0.0, started + sent / PURGE_TRAFFIC_RATE - time.monotonic())
                )
                sender = f"+1553{uuid.uuid4().int % 10**7:07d}"
                tasks.append(
                    asyncio.create_task(run.conversation_text(client, port, measured, sender))
                )
                sent += 1
            await asyncio.gather(*tasks)
            measured.seconds = time.monotonic() - started
        return measured

    worker = threading.Thread(target=purge)
    worker.start()
    line = asyncio.run(texts(worker)).line()
    worker.join()
    return {**outcome, **{f"text_{key}": value for key, value in line.items()}}


def main() -> None:
    run.services_check(prism=False)
    processes = run.Processes()
    port = run.free_port()
    env = {
        **run.app_env(run.free_port()),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
    }
    run.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    run.psql(f"CREATE DATABASE {DATABASE}")
    report: dict = {"scale": SCALE, "sizes": volume_fill.Sizes.at(SCALE)}
    try:
        subprocess.run(
            [str(run.BIN / "python"), "manage.py", "migrate", "-v0"],
            cwd=run.ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        server = processes.start(
            run.gunicorn("hotline.wsgi:application", port, run.GUNICORN_FLAGS), env
        ).pid
        run.wait_port(port)
        time.sleep(2)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
        import django

        django.setup()
        ports = {"text": port}
        report["empty"] = traffic(ports, server)
        report["empty_pages"] = staff_pages()
        print("Filling…", flush=True)
        report["fill"] = fill(datetime.datetime.now(datetime.UTC))
        report["full"] = traffic(ports, server)
        report["full_pages"] = staff_pages()
        report["plans"] = plans()
        report["purge"] = purge_under_traffic(port)
    finally:
        processes.stop()
        if not os.environ.get("VOLUME_KEEP"):
            run.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    print_report(report)


def print_report(report: dict) -> None:
    sizes, fill_times = report["sizes"], report["fill"]
    print(
        f"\nScale {report['scale']}: {sizes.contacts:,} contacts, {sizes.conversations:,} "
        f"conversations, {sizes.messages:,} messages, {sizes.handoffs:,} handoffs; filled in "
        f"{fill_times['total_s']:.0f} s (rows {fill_times['rows_s']:.0f} s, indexes "
        f"{fill_times['indexes_s']:.0f} s, vacuum/analyze {fill_times['vacuum_s']:.0f} s), "
        f"{fill_times['gigabytes']:.1f} GB."
    )
    print(f"\n{'one at a time':<16}{'empty p50/p95 ms':>20}{'full p50/p95 ms':>20}", end="")
    print(f"{'web CPU ms e/f':>18}{'ratio p50':>11}{'ratio CPU':>11}")
    for kind in ("text", "call"):
        empty, full = report["empty"][kind], report["full"][kind]
        print(
            f"{kind:<16}{empty['p50']:>11.1f} /{empty['p95']:>6.1f}"
            f"{full['p50']:>12.1f} /{full['p95']:>6.1f}"
            f"{empty['web_cpu_ms']:>10.1f} /{full['web_cpu_ms']:>5.1f}"
            f"{full['p50'] / empty['p50']:>11.2f}{full['web_cpu_ms'] / empty['web_cpu_ms']:>11.2f}"
        )
    print(f"\n{'page':<34}{'empty p95 ms':>14}{'full p50 ms':>13}{'full p95 ms':>13}{'status':>8}")
    for name, line in report["full_pages"].items():
        empty = report["empty_pages"][name]
        print(
            f"{name:<34}{empty['p95']:>14.1f}{line['p50']:>13.1f}{line['p95']:>13.1f}"
            f"{line['status']:>8}"
        )
    first = report["full_pages"]["/metrics"]["first"]
    print(f"/metrics, the first scrape (settled totals not cached yet): {first:.0f} ms")
    purge = report["purge"]
    print(
        f"\nRetention purge: {purge['rows']:,} rows in {purge['seconds']:.1f} s; texts meanwhile: "
        f"{purge['text_requests']} at {purge['text_rps']:.1f}/s, p50 {purge['text_p50']:.1f} ms, "
        f"p99 {purge['text_p99']:.1f} ms, errors {purge['text_errors']}"
    )
    print("\nPlans of the hot queries on the filled database:")
    for name, plan in report["plans"].items():
        print(f"\n-- {name}\n{plan}")


if __name__ == "__main__":
    main()
