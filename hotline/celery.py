"""Celery application ``hotline`` (``celery -A hotline worker``).

Configured from Django settings (``CELERY_*``); without ``REDIS_URL`` tasks run in-process.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def database_connections_tidy(sender=None, **kwargs) -> None:
    """Around each task, what Django does around each request: a connection that failed or
    is older than ``CONN_MAX_AGE`` is closed, a good one is kept for the next task.

    Celery itself would close every connection around every task (``CELERY_DB_REUSE_MAX``
    in settings stops that), and opening one cost a text more than its own queries. A task
    run in-process (no broker) is left alone: its caller's request owns the connection.
    """
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    close_old_connections()
