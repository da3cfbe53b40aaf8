"""`manage.py twilio_setup`: the logic with a fake client, the requests against Prism."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from hotline.management.commands import twilio_setup

NUMBER = "+18005550199"
BASE = "https://hotline.example.org"


class FakeNumbers:
    def __init__(self, phone):
        self.phone = phone
        self.updated = None

    def page(self, phone_number, page_size):
        return [self.phone] if phone_number == self.phone.phone_number else []

    def __call__(self, sid):
        fake = self

        class One:
            def fetch(self):
                return fake.phone

            def update(self, **changes):
                fake.updated = changes

        return One()


@pytest.fixture
def fake_twilio(monkeypatch, settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "token"
    phone = SimpleNamespace(
        sid="PN1",
        phone_number=NUMBER,
        sms_url="https://old.example.org/sms",
        sms_method="POST",
        voice_url="",
        voice_method="POST",
        status_callback="",
        status_callback_method="POST",
    )
    numbers = FakeNumbers(phone)
    monkeypatch.setattr(
        twilio_setup, "twilio_client", lambda: SimpleNamespace(incoming_phone_numbers=numbers)
    )
    return numbers


def run(*args):
    out = io.StringIO()
    call_command("twilio_setup", *args, stdout=out)
    return out.getvalue()


def test_sets_the_webhooks_and_says_what_changed(fake_twilio):
    output = run("--number", NUMBER)
    assert f"sms_url: https://old.example.org/sms -> {BASE}/twilio/sms/" in output
    assert f"voice_url: (empty) -> {BASE}/twilio/voice/" in output
    assert fake_twilio.updated == {
        "sms_url": f"{BASE}/twilio/sms/",
        "voice_url": f"{BASE}/twilio/voice/",
        "status_callback": f"{BASE}/twilio/voice/status/",
    }


def test_dry_run_changes_nothing(fake_twilio):
    assert "Dry run" in run("--number", NUMBER, "--dry-run")
    assert fake_twilio.updated is None


def test_already_set_number_is_left_alone(fake_twilio):
    for key, value in twilio_setup.wanted_settings(BASE).items():
        setattr(fake_twilio.phone, key, value)
    assert "nothing to change" in run("--number", NUMBER)
    assert fake_twilio.updated is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PUBLIC_BASE_URL": "http://hotline.example.org"}, "https://"),
        ({"TWILIO_ACCOUNT_SID": ""}, "TWILIO_ACCOUNT_SID"),
    ],
)
def test_clear_errors(fake_twilio, settings, change, message):
    for key, value in change.items():
        setattr(settings, key, value)
    with pytest.raises(CommandError, match=message):
        run("--number", NUMBER)


def test_unknown_number(fake_twilio):
    with pytest.raises(CommandError, match="No number"):
        run("--number", "+18005550100")


@pytest.mark.integration
def test_requests_are_valid_for_twilios_api(prism_url, settings):
    """Prism answers 422 to a request that breaks Twilio's OpenAPI description."""
    settings.PUBLIC_BASE_URL = BASE
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TWILIO_API_BASE_URL = prism_url
    output = run("--sid", "PN" + "a" * 32)
    assert "setting(s) updated" in output or "nothing to change" in output
    with pytest.raises(CommandError, match="No number"):
        run("--number", "+19995550000")
