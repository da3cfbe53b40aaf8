"""The hotline Django project: settings, URLs, the Celery app and the Twilio channel adapters."""

from hotline.celery import app as celery_app

__all__ = ["celery_app"]
