"""The hotline's settings with one change: the URLs are the framework baseline's."""

from hotline.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
