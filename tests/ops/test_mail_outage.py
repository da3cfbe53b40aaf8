"""Finding 2: a mail server that never answers holds nothing for ever, and the urgent-handoff
e-mail is never sent inside the webhook (with the broker down it waits for the sweep)."""

import smtplib
import socket
import time

import pytest
from django.core import mail

from cases import handoffs, tasks
from cases.models import Handoff
from tests.cases.test_followups import text

pytestmark = pytest.mark.django_db


def test_mail_has_a_timeout_by_default():
    from hotline import settings as project_settings

    assert project_settings.EMAIL_TIMEOUT is not None
    assert 0 < project_settings.EMAIL_TIMEOUT <= 30


@pytest.fixture
def silent_mail_server():
    """Accepts connections and never says a word (the review's stalled mail server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


def test_a_silent_mail_server_fails_the_alert_within_the_timeout(settings, silent_mail_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_mail_server
    settings.EMAIL_TIMEOUT = 1
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]
    handoff = Handoff.objects.create(
        contact=_contact(), reason="abduction", priority="urgent", alert_due=True
    )
    started = time.monotonic()
    with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
        handoffs.handoff_alert_send(handoff_id=handoff.pk)
    assert time.monotonic() - started < 5
    handoff.refresh_from_db()
    assert handoff.alert_due  # the next sweep tries again


def _contact():
    from cases.models import Contact

    return Contact.objects.create(phone="+15125550177")


def test_with_the_broker_down_the_alert_is_not_sent_in_the_webhook_but_by_the_sweep(
    client, twilio_settings, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.HANDOFF_ALERT_EMAILS = ["desk@example.org"]

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.alert_urgent_handoff, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            text(client, "hi")
            text(client, "2")
    handoff = Handoff.objects.get(priority="urgent")
    assert mail.outbox == []
    assert handoff.alert_due
    settings.OUTBOX_SWEEP_SECONDS = 0
    tasks.sweep_outbox()
    tasks.sweep_outbox()
    assert len(mail.outbox) == 1
    handoff.refresh_from_db()
    assert not handoff.alert_due
