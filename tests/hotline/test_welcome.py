"""What ``make run`` prints: addresses that answer, and how to reach it from another machine."""

from io import StringIO

import pytest
from django.core.management import call_command


def _welcome(**options) -> str:
    output = StringIO()
    call_command("hotline_welcome", stdout=output, **options)
    return output.getvalue()


@pytest.mark.django_db
def test_the_default_address_is_printed_with_no_further_step(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["localhost", "127.0.0.1", "[::1]"]
    printed = _welcome(host="127.0.0.1", port="8000")
    assert "http://127.0.0.1:8000/admin/" in printed
    assert "ALLOWED_HOSTS" not in printed


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_listening_on_every_address_prints_one_that_answers_and_names_the_setting(settings, host):
    """http://0.0.0.0:8080/ is no address to open, and another machine's request names a
    host Django refuses (400) until ALLOWED_HOSTS lists it."""
    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["localhost", "127.0.0.1", "[::1]"]
    printed = _welcome(host=host, port="8080")
    assert "http://127.0.0.1:8080/admin/" in printed
    assert f"http://{host}:8080" not in printed
    assert "ALLOWED_HOSTS=" in printed
    assert ".env.local" in printed


@pytest.mark.django_db
def test_an_address_django_would_refuse_is_named(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["localhost", "127.0.0.1", "[::1]"]
    printed = _welcome(host="192.168.1.20", port="8000")
    assert "http://192.168.1.20:8000/" in printed
    assert "ALLOWED_HOSTS=192.168.1.20" in printed


@pytest.mark.django_db
def test_an_allowed_address_needs_no_step(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["192.168.1.20"]
    assert "ALLOWED_HOSTS" not in _welcome(host="192.168.1.20", port="8000")
