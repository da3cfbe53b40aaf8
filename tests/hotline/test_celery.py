"""Database connections in Celery workers: kept between tasks while good, closed when not."""

import psycopg
import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection, transaction

from cases.tasks import send_message
from hotline.celery import app, database_connections_tidy

pytestmark = pytest.mark.django_db(transaction=True)


def test_celery_does_not_close_a_good_connection_around_each_task():
    fixup = DjangoWorkerFixup(app)
    connection.ensure_connection()
    opened = connection.connection
    for _ in range(10):
        fixup.on_task_prerun(sender=send_message)
        fixup.on_task_postrun(sender=send_message)
    assert connection.connection is opened


def test_a_good_connection_is_kept_for_the_next_task():
    connection.ensure_connection()
    opened = connection.connection
    database_connections_tidy()
    assert connection.connection is opened


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite connections are always usable"
)
def test_a_connection_that_failed_is_closed_before_the_next_task():
    connection.ensure_connection()
    connection.connection.close()  # the server went away mid-task
    connection.errors_occurred = True
    database_connections_tidy()
    assert connection.connection is None


def test_a_task_run_in_process_leaves_its_callers_transaction_alone():
    with transaction.atomic():
        connection.ensure_connection()
        opened = connection.connection
        send_message.apply(args=(0,))
        assert connection.connection is opened
        assert connection.in_atomic_block


@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates a PostgreSQL backend")
def test_the_next_task_reconnects_after_the_database_dropped_a_kept_connection():
    """A restarted PostgreSQL leaves workers holding dead connections: the first query of the
    next task checks the connection (CONN_HEALTH_CHECKS) and opens a new one."""
    from cases.models import Contact

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    with psycopg.connect(
        **{k: v for k, v in connection.get_connection_params().items() if k != "context"}
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    database_connections_tidy(sender=send_message)
    assert Contact.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend
