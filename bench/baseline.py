"""The framework baseline: the hotline's own gunicorn configuration, settings and middleware
answering the text webhook's path with a fixed TwiML document: no signature check, no
database, no conversation. The hotline's throughput as a share of this one is the cost of
its own work on top of the framework."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

application = get_wsgi_application()
