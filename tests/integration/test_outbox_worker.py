"""The outbox with real processes: Redis, a Celery worker, the twilio client, Prism.

Prism serves Twilio's own OpenAPI description, so a request the client builds wrongly is
refused (422); the fake Twilio plays rate limits, outages, refusals and a slow answer.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from cases import outbox
from cases.models import Contact, Conversation, Handoff, Message
from tests.integration.conftest import ROOT, free_port, port_open, wait_for, worker_env
from tests.twilio_helpers import signed_http_text, signed_post

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PHONE = "+15125550100"


def queue_texts(count: int, *, phone: str = PHONE) -> list[int]:
    contact, _ = Contact.objects.get_or_create(phone=phone)
    with transaction.atomic():
        return [
            outbox.message_queue(
                contact=contact, channel="sms", body=f"text {n}", purpose="staff_reply"
            ).pk
            for n in range(count)
        ]


def rows(ids: list[int]) -> list[Message]:
    return list(Message.objects.filter(pk__in=ids).order_by("pk"))


def test_sent_through_prism_with_the_real_client(prism_url, start_worker):
    start_worker(prism_url)
    ids = queue_texts(5)
    wait_for(
        lambda: all(m.twilio_sid for m in rows(ids)),
        timeout=60,
        what="five texts accepted by the Twilio mock",
    )
    for message in rows(ids):
        # Prism validated the request against Twilio's spec (it answers 422 otherwise);
        # its invented SID and status are stored as Twilio's answer.
        assert message.error_code == ""
        assert message.attempts == 1
        assert message.twilio_sid


def test_transient_errors_are_retried_until_sent(fake_twilio, start_worker):
    fake_twilio.script = [(429, 20429), (503, 20500), (500, 20500), "ok"]
    start_worker(fake_twilio.url)
    [message_id] = queue_texts(1)
    wait_for(lambda: rows([message_id])[0].twilio_sid, timeout=30, what="the retried send")
    message = rows([message_id])[0]
    assert message.attempts == 4
    assert len(fake_twilio.creates()) == 4
    assert {request["To"] for request in fake_twilio.creates()} == {PHONE}
    assert fake_twilio.creates()[0]["StatusCallback"].endswith(f"?outbox={message_id}")


@pytest.mark.parametrize("code", [21211, 21614, 21408])
def test_permanent_errors_are_not_retried(fake_twilio, start_worker, worker_settled, code):
    fake_twilio.script = [(400, code)]
    start_worker(fake_twilio.url, concurrency=1)
    [message_id] = queue_texts(1)
    wait_for(lambda: rows([message_id])[0].status == "failed", timeout=30, what="the refusal")
    worker_settled()
    assert len(fake_twilio.creates()) == 1
    assert rows([message_id])[0].error_code == str(code)


def test_unsubscribed_recipient_is_marked_opted_out(fake_twilio, start_worker):
    fake_twilio.script = [(400, 21610)]
    start_worker(fake_twilio.url)
    [message_id] = queue_texts(1)
    wait_for(lambda: Contact.objects.get(phone=PHONE).opted_out, timeout=30, what="opt-out")
    assert rows([message_id])[0].status == "failed"


def test_no_second_send_when_the_worker_dies_after_twilio_accepted(
    fake_twilio, start_worker, worker_settled, twilio_settings
):
    from cases.tasks import send_message, sweep_outbox

    fake_twilio.script = [("hang", 30)]
    worker = start_worker(fake_twilio.url)
    [message_id] = queue_texts(1)
    wait_for(lambda: fake_twilio.creates(), timeout=30, what="Twilio to receive the text")
    worker.kill()
    assert rows([message_id])[0].status == "sending"
    # Twilio reports on the message it accepted; the callback names our row.
    callback = signed_post(
        Client(),
        f"/twilio/sms/status/?outbox={message_id}",
        {"MessageSid": "SMaccepted", "MessageStatus": "sent", "AccountSid": "AC1"},
    )
    assert callback.status_code == 204
    start_worker(fake_twilio.url, concurrency=1)
    send_message.delay(message_id)  # the broker delivering the unacknowledged task again
    sweep_outbox.delay()
    worker_settled()
    assert len(fake_twilio.creates()) == 1
    message = rows([message_id])[0]
    assert (message.twilio_sid, message.status, message.delivery_status) == (
        "SMaccepted",
        "sent",
        "sent",
    )


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
def test_text_queued_while_redis_is_down_is_sent_when_it_returns(
    fake_twilio, start_worker, celery_queue
):
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"

    def redis_up() -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _redis_ping(port), timeout=10, what="Redis to start")

    def redis_down() -> None:
        subprocess.run(
            ["redis-cli", "-p", str(port), "shutdown", "nosave"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: not _redis_ping(port), timeout=10, what="Redis to stop")

    redis_up()
    web = None
    try:
        start_worker(fake_twilio.url, redis_url=redis_url, beat=True, OUTBOX_SWEEP_SECONDS="1")
        web_port = free_port()
        web = _start_web(web_port, redis_url, celery_queue, fake_twilio.url)
        contact = Contact.objects.create(phone=PHONE)
        redis_down()
        for body in ("hi", "1", "Texas"):
            status = signed_http_text(web_port, body, sender="+15125550321")[1]
            assert status == 200, "texts are answered while Redis is down"
        started = time.monotonic()
        message_id = _staff_text_over_http(web_port, contact)
        assert time.monotonic() - started < 5, "the API must answer while Redis is down"
        # Nothing can send it before Redis is back: the API has answered, and neither the
        # worker nor beat can reach the broker.
        assert rows([message_id])[0].status == "queued"
        assert fake_twilio.creates() == []
        redis_up()
        wait_for(lambda: rows([message_id])[0].twilio_sid, timeout=90, what="the sweep to send")
        assert len(fake_twilio.creates()) == 1
    finally:
        if web is not None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(timeout=10)
        redis_down()


def _redis_ping(port: int) -> bool:
    result = subprocess.run(
        ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() == "PONG"


def _start_web(port: int, redis_url: str, queue: str, api_base_url: str) -> subprocess.Popen:
    """gunicorn serving the hotline, as in production, on a loopback port."""
    env = worker_env(api_base_url, queue, redis_url, ALLOWED_HOSTS="127.0.0.1")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "hotline.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(lambda: port_open(port), timeout=30, what="the web server")
    return process


def _staff_text_over_http(port: int, contact: Contact) -> int:
    staff = get_user_model().objects.create_user("desk", password="pw-desk-1", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_handoff", "change_handoff"])
    )
    token = Token.objects.create(user=staff)
    conversation = Conversation.objects.create(contact=contact, channel="sms", step="handoff")
    handoff = Handoff.objects.create(contact=contact, conversation=conversation, reason="requested")
    response = requests.post(
        f"http://127.0.0.1:{port}/api/v1/handoffs/{handoff.pk}/reply/",
        json={"body": "Hello from the hotline staff."},
        headers={"Authorization": f"Token {token.key}"},
        timeout=10,
    )
    assert response.status_code == 202, response.text
    return response.json()["id"]
