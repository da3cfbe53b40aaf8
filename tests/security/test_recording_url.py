"""Finding 10: a voicemail's RecordingUrl is kept only as an https Twilio media address, and
the handoff page links nothing else."""

import pytest

from cases.models import Handoff
from tests.hotline.test_voice_webhook import Call
from tests.twilio_helpers import BASE_URL, signed_post

pytestmark = pytest.mark.django_db

TWILIO_RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"


def _leave_voicemail(client, recording_url: str) -> Handoff:
    call = Call(client)
    call.press("1")
    call.press("0")
    record = call.root.find("Record")
    signed_post(
        client,
        record.get("action").removeprefix(BASE_URL),
        call.params({"RecordingUrl": recording_url}),
    )
    return Handoff.objects.get()


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(document.cookie)",
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        "https://evil.example/2010-04-01/Accounts/AC1/Recordings/RE1",
        "https://api.twilio.com.evil.example/2010-04-01/Accounts/AC1/Recordings/RE1",
        "https://user@evil.example@api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
    ],
)
def test_a_recording_address_that_is_not_twilios_is_not_kept(
    client, twilio_settings, admin_client, hostile
):
    handoff = _leave_voicemail(client, hostile)
    assert handoff.reason == "voicemail"
    assert handoff.recording_url == ""
    Handoff.objects.filter(pk=handoff.pk).update(recording_url=hostile)  # an older row
    page = admin_client.get(f"/admin/cases/handoff/{handoff.pk}/change/").content.decode()
    assert hostile not in page


def test_twilios_recording_is_kept_and_linked(client, twilio_settings, admin_client):
    handoff = _leave_voicemail(client, TWILIO_RECORDING)
    assert handoff.recording_url == TWILIO_RECORDING
    page = admin_client.get(f"/admin/cases/handoff/{handoff.pk}/change/").content.decode()
    assert f'href="{TWILIO_RECORDING}"' in page
