"""Production settings: `check --deploy`, HTTPS behind a proxy, signatures behind a proxy."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from twilio.request_validator import RequestValidator

from tests.twilio_helpers import AUTH_TOKEN, BASE_URL, new_sid, text_params

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "hotline.example.org",
    "PUBLIC_BASE_URL": "https://hotline.example.org",
    "SECURE_SSL_REDIRECT": "true",
    # Texts sent through Twilio, swept by Celery beat, alerts mailed: else `check` warns.
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "TWILIO_FROM_NUMBER": "+18005550199",
    "REDIS_URL": "redis://redis:6379/0",
    "HANDOFF_ALERT_EMAILS": "desk@example.org",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
}
#: What the test runner sets for itself and a deployment would not.
TEST_ONLY = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT")


def _environment(**values: str) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    return {**base, **values}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _manage("check", "--deploy", "--fail-level", "WARNING", env=env)


def test_deploy_check_is_clean_with_production_settings():
    result = _deploy_check(_environment(**PRODUCTION))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_deploy_check_is_clean_with_the_example_environment():
    example = dict(
        re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.M)
    )
    example["SECRET_KEY"] = secrets.token_urlsafe(50)
    # What docker-compose.yml's x-app environment adds to the .env file.
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    example.update(
        (key, value)
        for key, value in compose["x-app"]["environment"].items()
        if key != "DATABASE_URL"  # the compose PostgreSQL: not reachable here, and not checked
    )
    result = _deploy_check(_environment(**example))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "found"),
    [
        # A token without its account SID: texts printed on the console, marked sent.
        ({"TWILIO_ACCOUNT_SID": ""}, "hotline.W001"),
        ({"REDIS_URL": ""}, "hotline.W002"),
        ({"PUBLIC_BASE_URL": "", "SECURE_SSL_REDIRECT": "false"}, "hotline.W003"),
        ({"HANDOFF_ALERT_EMAILS": ""}, "cases.W001"),
        ({"EMAIL_URL": "consolemail://"}, "cases.W002"),
    ],
)
def test_production_names_what_would_fail_silently(change, found):
    """Warnings: `migrate` still runs (and prints them), `check --deploy` fails on them."""
    environment = _environment(**{**PRODUCTION, **change})
    result = _manage("check", env=environment)
    assert result.returncode == 0, result.stderr
    assert found in result.stderr
    assert _deploy_check(environment).returncode != 0


@pytest.mark.parametrize(("start", "end"), [("20", "9"), ("9", "9"), ("9", "25"), ("-1", "20")])
def test_production_refuses_an_empty_send_window(start, end):
    result = _manage(
        "check",
        env=_environment(
            **{**PRODUCTION, "SEND_WINDOW_START_HOUR": start, "SEND_WINDOW_END_HOUR": end}
        ),
    )
    assert result.returncode != 0
    assert "cases.E003" in result.stderr


def test_deploy_check_catches_an_unsafe_setting():
    """The control: the check does fail on a production mistake."""
    result = _deploy_check(_environment(**{**PRODUCTION, "SECURE_HSTS_SECONDS": "0"}))
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def _settings_in(env: dict[str, str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'CSRF_TRUSTED_ORIGINS', 'X_FRAME_OPTIONS', 'LOG_FORMAT')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hotline.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_https_settings_follow_the_public_address():
    https = _settings_in(_environment(**PRODUCTION))
    assert https == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_TRUSTED_ORIGINS": ["https://hotline.example.org"],
        "X_FRAME_OPTIONS": "DENY",
        "LOG_FORMAT": "json",
    }
    local = _settings_in(_environment(DEBUG="true", PUBLIC_BASE_URL=""))
    assert local["SECURE_PROXY_SSL_HEADER"] is None, "no proxy header trusted unless configured"
    assert local["SECURE_HSTS_SECONDS"] == 0
    assert local["SESSION_COOKIE_SECURE"] is False
    assert local["LOG_FORMAT"] == "plain"


@pytest.mark.parametrize(
    ("change", "message"),
    [({"SECRET_KEY": ""}, "SECRET_KEY must be set"), ({"LOG_FORMAT": "xml"}, "LOG_FORMAT")],
)
def test_production_refuses_to_start_misconfigured(change, message):
    result = _manage("check", env=_environment(**{**PRODUCTION, **change}))
    assert result.returncode != 0
    assert message in result.stderr


PROXY_SETTINGS = {
    "ALLOWED_HOSTS": ["10.0.0.5"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


def _signed_for_public_url(params: dict[str, str]) -> str:
    return RequestValidator(AUTH_TOKEN).compute_signature(f"{BASE_URL}/twilio/sms/", params)


@pytest.mark.django_db
def test_signature_holds_behind_a_tls_proxy(client, twilio_settings):
    """Twilio signs https://hotline.example.org/twilio/sms/; the app sees plain http on an
    internal host, with the proxy's X-Forwarded-Proto."""
    for key, value in PROXY_SETTINGS.items():
        setattr(twilio_settings, key, value)
    params = text_params("hi")
    response = client.post(
        "/twilio/sms/",
        params,
        HTTP_HOST="10.0.0.5",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_TWILIO_SIGNATURE=_signed_for_public_url(params),
    )
    assert response.status_code == 200
    assert b"<Message" in response.content


@pytest.mark.django_db
def test_without_the_public_address_the_internal_url_fails(client, twilio_settings):
    """The control: checked against the request's own URL, Twilio's signature is wrong."""
    for key, value in PROXY_SETTINGS.items():
        setattr(twilio_settings, key, value)
    twilio_settings.PUBLIC_BASE_URL = ""
    params = {**text_params("hi"), "MessageSid": new_sid()}
    response = client.post(
        "/twilio/sms/",
        params,
        HTTP_HOST="10.0.0.5",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_TWILIO_SIGNATURE=_signed_for_public_url(params),
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_plain_http_from_outside_is_redirected(client, twilio_settings):
    for key, value in PROXY_SETTINGS.items():
        setattr(twilio_settings, key, value)
    response = client.get("/admin/login/", HTTP_HOST="10.0.0.5")
    assert response.status_code == 301
    assert response["Location"].startswith("https://10.0.0.5/")
