"""Finding 10: deleting a jurisdiction a live conversation names does not make that caller's
next text a 500; the caller starts again from the menu."""

import pytest

from routing.models import Jurisdiction
from tests.hotline.test_sms_webhook import send

pytestmark = pytest.mark.django_db


def test_next_text_after_the_callers_country_is_deleted(client, twilio_settings):
    for body in ("hi", "1", "Germany"):
        send(client, body)
    Jurisdiction.objects.filter(code="DE").delete()
    reply = "\n".join(send(client, "Texas"))
    assert "Reply 1" in reply
    assert "Where do you live?" in "\n".join(send(client, "1"))
