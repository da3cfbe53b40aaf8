"""`manage.py twilio_setup`: the logic with a fake client, the requests against Prism."""

import io
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from twilio.base.exceptions import TwilioRestException

from hotline.management.commands import twilio_setup
from hotline.twilio.client import RebasedHttpClient, twilio_client

NUMBER = "+18005550199"
BASE = "https://hotline.example.org"
ACCOUNT_SID = "AC" + "1" * 32
PHONE_SID = "PN" + "a" * 32


class FakeNumbers:
    """``client.incoming_phone_numbers``: a list filtered by number, and one number by SID."""

    def __init__(self, phone):
        self.phone = phone
        self.updated = None
        self.listed_with = None

    def page(self, phone_number, page_size):
        self.listed_with = phone_number
        return [self.phone] if phone_number == self.phone.phone_number else []

    def __call__(self, sid):
        fake = self

        class One:
            def fetch(self):
                if sid != fake.phone.sid:
                    raise TwilioRestException(404, "/IncomingPhoneNumbers", "not found", 20404)
                return fake.phone

            def update(self, **changes):
                assert sid == fake.phone.sid
                fake.updated = changes

        return One()


@pytest.fixture
def fake_twilio(monkeypatch, settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = "token"
    phone = SimpleNamespace(
        sid="PN1",
        phone_number=NUMBER,
        sms_url="https://old.example.org/sms",
        sms_method="GET",
        voice_url="",
        voice_method="POST",
        status_callback=None,
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
    assert fake_twilio.listed_with == NUMBER
    assert f"{NUMBER}: sms_url: https://old.example.org/sms -> {BASE}/twilio/sms/" in output
    assert f"{NUMBER}: sms_method: GET -> POST" in output
    assert f"{NUMBER}: voice_url: (empty) -> {BASE}/twilio/voice/" in output
    assert f"{NUMBER}: status_callback: (empty) -> {BASE}/twilio/voice/status/" in output
    assert "voice_method" not in output
    assert "4 setting(s) updated" in output
    assert fake_twilio.updated == {
        "sms_url": f"{BASE}/twilio/sms/",
        "sms_method": "POST",
        "voice_url": f"{BASE}/twilio/voice/",
        "status_callback": f"{BASE}/twilio/voice/status/",
    }


def test_by_sid(fake_twilio):
    run("--sid", "PN1")
    assert fake_twilio.updated["voice_url"] == f"{BASE}/twilio/voice/"
    with pytest.raises(CommandError, match="No number PN2"):
        run("--sid", "PN2")


def test_dry_run_changes_nothing(fake_twilio):
    output = run("--number", NUMBER, "--dry-run")
    assert "sms_url: https://old.example.org/sms ->" in output
    assert "Dry run" in output
    assert fake_twilio.updated is None


def test_already_set_number_is_left_alone(fake_twilio):
    for key, value in twilio_setup.wanted_settings(BASE).items():
        setattr(fake_twilio.phone, key, value)
    assert "nothing to change" in run("--number", NUMBER)
    assert fake_twilio.updated is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PUBLIC_BASE_URL": "http://hotline.example.org"}, "must be the hotline's public https"),
        ({"PUBLIC_BASE_URL": ""}, "it is unset"),
        ({"TWILIO_ACCOUNT_SID": ""}, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"),
        ({"TWILIO_AUTH_TOKEN": ""}, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"),
    ],
)
def test_clear_errors_before_calling_twilio(fake_twilio, settings, change, message):
    for key, value in change.items():
        setattr(settings, key, value)
    with pytest.raises(CommandError, match=message):
        run("--number", NUMBER)
    assert fake_twilio.listed_with is None


def test_number_must_be_e164(fake_twilio):
    with pytest.raises(CommandError, match=r"not an E\.164 number"):
        run("--number", "800-555-0199")
    assert fake_twilio.listed_with is None


def test_unknown_number(fake_twilio):
    with pytest.raises(CommandError, match=r"No number \+18005550100 in this Twilio account"):
        run("--number", "+18005550100")
    assert fake_twilio.updated is None


@pytest.fixture
def mocked_api(twilio_api_mock, settings, monkeypatch):
    """The command's HTTP requests to Prism, recorded with Prism's status for each."""
    settings.PUBLIC_BASE_URL = BASE
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = "token"
    settings.TWILIO_API_BASE_URL = twilio_api_mock
    sent = []
    request = RebasedHttpClient.request

    def recording(self, method, url, *args, **kwargs):
        response = request(self, method, url, *args, **kwargs)
        sent.append(
            SimpleNamespace(
                method=method,
                path=urlsplit(url).path,
                params=kwargs.get("params") or {},
                data=kwargs.get("data") or {},
                status=response.status_code,
            )
        )
        return response

    monkeypatch.setattr(RebasedHttpClient, "request", recording)
    return sent


@pytest.mark.integration
def test_mock_refuses_an_invalid_update(mocked_api):
    """The control: Prism checks request bodies against Twilio's description."""
    with pytest.raises(TwilioRestException) as refused:
        twilio_client().incoming_phone_numbers(PHONE_SID).update(sms_method="FETCH")
    assert refused.value.status == 422
    assert mocked_api[-1].status == 422


@pytest.mark.integration
def test_lookup_by_number_is_a_valid_request(mocked_api):
    """Prism invents the account's numbers, so ours is not among them; the list request itself
    must be one Twilio's API accepts."""
    with pytest.raises(CommandError, match="No number"):
        run("--number", "+19995550000")
    (listing,) = mocked_api
    assert listing.method == "GET"
    assert listing.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json"
    assert listing.params["PhoneNumber"] == "+19995550000"
    assert listing.status == 200


@pytest.mark.integration
def test_update_is_a_valid_request(mocked_api):
    """The update goes to the SID the fetch answered with (Prism invents one)."""
    output = run("--sid", PHONE_SID)
    fetch, update = mocked_api
    numbers = f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers/"
    assert (fetch.method, fetch.path, fetch.status) == ("GET", f"{numbers}{PHONE_SID}.json", 200)
    assert (update.method, update.status) == ("POST", 200)
    assert re.fullmatch(rf"{numbers}PN[0-9a-fA-F]{{32}}\.json", update.path)
    assert update.data["SmsUrl"] == f"{BASE}/twilio/sms/"
    assert update.data["VoiceUrl"] == f"{BASE}/twilio/voice/"
    assert update.data["StatusCallback"] == f"{BASE}/twilio/voice/status/"
    assert set(update.data) <= {
        "SmsUrl",
        "SmsMethod",
        "VoiceUrl",
        "VoiceMethod",
        "StatusCallback",
        "StatusCallbackMethod",
    }
    assert all(update.data[key] == "POST" for key in update.data if key.endswith("Method"))
    assert "sms_url: " in output
    assert f"-> {BASE}/twilio/voice/status/" in output
    assert "setting(s) updated" in output
