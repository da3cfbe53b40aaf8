"""Database connections in Celery workers: kept between tasks while good, closed when not."""

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
