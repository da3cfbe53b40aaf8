"""Finding 9: behind a proxy every request comes from the proxy's address; failed logins are
counted per real client (from X-Forwarded-For, as many proxies from the right as are
trusted), so wrong passwords from one place do not lock a username out everywhere."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.5"
STAFF_MEMBER = "198.51.100.7"


@pytest.fixture
def dana(django_user_model, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    return django_user_model.objects.create_user("dana", password="right-pw-123", is_staff=True)


def _log_in(client: Client, password: str, forwarded_for: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "dana", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_wrong_passwords_from_one_client_do_not_lock_out_another(dana):
    for _ in range(6):
        _log_in(Client(), "wrong", ATTACKER)
    assert _log_in(Client(), "right-pw-123", ATTACKER).status_code != 302
    response = _log_in(Client(), "right-pw-123", STAFF_MEMBER)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_client_cannot_dodge_the_count_with_its_own_forwarded_for(dana):
    for n in range(6):
        _log_in(Client(), "wrong", f"192.0.2.{n}, {ATTACKER}")
    assert _log_in(Client(), "right-pw-123", ATTACKER).status_code != 302


def test_without_trusted_proxies_the_header_is_ignored(dana, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(6):
        _log_in(Client(), "wrong", f"192.0.2.{n}")
    assert _log_in(Client(), "right-pw-123", STAFF_MEMBER).status_code != 302
