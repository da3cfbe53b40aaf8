"""Celery application ``hotline`` (``celery -A hotline worker``).

Configured from Django settings (``CELERY_*``); without ``REDIS_URL`` tasks run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
