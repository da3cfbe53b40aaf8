"""Shared fixtures: staff accounts and authenticated API clients; the golden runs' clock and
their ``--snapshot-update`` option."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.golden_snapshots import UPDATE_OPTION


def pytest_addoption(parser):
    parser.addoption(
        UPDATE_OPTION,
        action="store_true",
        help="write the golden transcripts to tests/golden/snapshots/ instead of comparing them",
    )


@pytest.fixture
def staff_user(django_user_model):
    """A staff member with both roles (hotline staff and data editor)."""
    from django.contrib.auth.models import Group

    from staff.roles import ROLE_PERMISSIONS

    user = django_user_model.objects.create_user("staff", password="pw-staff-1", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=ROLE_PERMISSIONS))
    return user


@pytest.fixture
def api(staff_user):
    """An API client authenticated with a staff member's token."""
    client = APIClient()
    token = Token.objects.create(user=staff_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without `collectstatic`; production keeps the hashed manifest storage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def twilio_settings(settings):
    """Webhooks signed with a test token and checked against the public URL."""
    from tests.twilio_helpers import AUTH_TOKEN, BASE_URL

    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = BASE_URL
    return settings


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Unit tests run tasks in-process; integration tests talk to a real broker and worker."""
    from hotline.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Per-number rate limits count in the cache: every test starts with it empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; real password hashing is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def snapshot_update(request) -> bool:
    """Whether the golden tests write their snapshots instead of comparing them."""
    return request.config.getoption(UPDATE_OPTION)


@pytest.fixture
def golden_clock(monkeypatch):
    """The golden runs happen on one fixed day, whatever the date (see golden_snapshots)."""
    from django.utils import timezone

    from tests.golden_snapshots import clock

    monkeypatch.setattr(timezone, "now", clock())
