"""The embedded SQLite database takes texts that arrive together from several processes.

Every write path reads first (the contact, the conversation) and then writes. In SQLite's
default deferred transactions, a reader that then writes while another connection is
committing is refused at once with "database is locked" (waiting could deadlock, so the
busy timeout is not used): a text answered with a 500, seen behind gunicorn's workers.
"""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from hotline.database import database_settings


@contextmanager
def _transaction(connection: BaseDatabaseWrapper):
    """What ``transaction.atomic`` does for an outermost block, on a connection of our own."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.set_autocommit(True)


@pytest.fixture
def one_file(tmp_path, django_db_blocker):
    """Two connections to one SQLite file, configured as the settings configure the hotline's.

    They are not the test database (that one is in memory), so pytest-django's block is lifted.
    """
    django_db_blocker.unblock()
    settings = database_settings(f"sqlite:///{tmp_path / 'hotline.db'}")
    handler = ConnectionHandler({"default": settings, "other": settings})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE turn (id INTEGER PRIMARY KEY, body TEXT)")
    yield handler
    handler.close_all()
    django_db_blocker.restore()


def test_a_reader_that_writes_waits_for_another_writer_instead_of_failing(one_file):
    first = one_file["default"]
    errors: list[Exception] = []

    def write_from_second() -> None:
        second = one_file["other"]  # a connection belongs to the thread that opens it
        try:
            with _transaction(second), second.cursor() as cursor:
                cursor.execute("INSERT INTO turn (body) VALUES ('second')")
        except Exception as error:
            errors.append(error)
        finally:
            second.close()

    with _transaction(first), first.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM turn")
        other = threading.Thread(target=write_from_second)
        other.start()
        time.sleep(0.3)  # the other text's transaction is under way
        cursor.execute("INSERT INTO turn (body) VALUES ('first')")
    other.join(timeout=30)

    assert errors == []
    with first.cursor() as cursor:
        cursor.execute("SELECT body FROM turn ORDER BY id")
        assert [body for (body,) in cursor.fetchall()] == ["first", "second"]


def test_a_wait_is_bounded_by_the_busy_timeout():
    options = database_settings("sqlite:///hotline.db")["OPTIONS"]
    assert 1 <= options["timeout"] <= 15  # Twilio gives a webhook 15 s


def test_postgresql_settings_keep_their_own_options():
    settings = database_settings("postgres://postgres@127.0.0.1:5432/hotline")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in settings.get("OPTIONS", {})
    assert settings["CONN_HEALTH_CHECKS"] is True
