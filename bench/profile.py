"""`make profile`: where an inbound text's time goes, by pyinstrument, in one process.

Runs signed text conversations (the bench's script) through Django's full request stack
(middleware, signature check, the webhook, PostgreSQL) on a fresh database and prints the
profile, so an optimisation starts from a measurement rather than a guess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.run import ROOT, TEXT_SCRIPT, app_env, psql, services_check, signed, text_params

CONVERSATIONS = int(os.environ.get("PROFILE_CONVERSATIONS", "300"))
DATABASE = os.environ.get("PROFILE_DATABASE", "hotline_profile")


def conversations(client, count: int, first: int = 0) -> int:
    """Drive ``count`` whole conversations from new numbers; returns how many texts were sent."""
    requests = 0
    for number in range(first, first + count):
        sender = f"+1559{number:07d}"
        for body in TEXT_SCRIPT:
            params = text_params(sender, body)
            response = client.post(
                "/twilio/sms/",
                params,
                headers=signed("/twilio/sms/", params),
                secure=True,
                SERVER_NAME="hotline.example.org",
            )
            if response.status_code != 200:
                raise RuntimeError(f"webhook answered {response.status_code}")
            requests += 1
    return requests


def main() -> None:
    from pyinstrument import Profiler

    services_check(prism=False)
    env = app_env(prism_port=9)
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    env["ALLOWED_HOSTS"] = "hotline.example.org"
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "hotline.settings"
        import django

        django.setup()
        from django.test import Client

        client = Client()
        conversations(client, 20)
        started = time.perf_counter()
        plain = conversations(client, CONVERSATIONS, first=1000)
        plain_seconds = time.perf_counter() - started
        profiler = Profiler(interval=0.0005)
        with profiler:
            conversations(client, CONVERSATIONS, first=2000)
        from django.db import connections

        connections.close_all()
    finally:
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(
        f"{plain} inbound texts through the whole Django stack in {plain_seconds:.2f} s without "
        f"the profiler: {plain_seconds / plain * 1000:.2f} ms each (one process, one at a time)"
    )


if __name__ == "__main__":
    main()
