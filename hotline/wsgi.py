"""WSGI entry point: ``hotline.wsgi:application`` (gunicorn in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

application = get_wsgi_application()
