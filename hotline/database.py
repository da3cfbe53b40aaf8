"""The database settings, from one URL."""

from typing import Any

import environ

SQLITE_BUSY_SECONDS = 10
"""How long a text waits for another process's write on SQLite; Twilio gives a webhook 15 s."""


def database_settings(url: str, *, conn_max_age: int = 60) -> dict[str, Any]:
    """Django's settings for the database at ``url``.

    On SQLite (the embedded default, served by several gunicorn workers) a transaction takes
    the write lock when it begins. Each write path reads first and writes after; in SQLite's
    default deferred mode a reader that then writes while another process commits is refused
    at once ("database is locked": waiting could deadlock), and the text gets a 500. Taken
    at the start, the lock is waited for, up to the busy timeout. WAL lets staff pages read
    while a text is written.
    """
    settings = environ.Env.db_url_config(url)
    settings["CONN_MAX_AGE"] = conn_max_age
    settings["CONN_HEALTH_CHECKS"] = True
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_SECONDS,
            "init_command": "PRAGMA journal_mode=WAL",
            **settings.get("OPTIONS", {}),
        }
    return settings
