"""Text the hotline from a terminal, through the real webhook (signed like Twilio signs)."""

from __future__ import annotations

import sys
import uuid
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from twilio.request_validator import RequestValidator

SMS_PATH = "/twilio/sms/"
LOCAL_HOST = "localhost"


class Command(BaseCommand):
    help = (
        "Chat with the hotline as a texter would. Each line you type is posted to /twilio/sms/ "
        "as a signed Twilio request; the replies are printed. Ctrl-D or /quit ends."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--phone", default="+15555550100", help="the texter's number")
        parser.add_argument("--whatsapp", action="store_true", help="text as WhatsApp")
        parser.add_argument(
            "--language",
            choices=["en", "es"],
            default="en",
            help="es starts the chat with HOLA, so the hotline answers in Spanish",
        )

    def handle(self, *args, phone: str, whatsapp: bool, language: str, **options):
        token = settings.TWILIO_AUTH_TOKEN
        if not token:
            raise CommandError("Set TWILIO_AUTH_TOKEN (or DEBUG=true) so requests can be signed.")
        sender = f"whatsapp:{phone}" if whatsapp else phone
        stdin = options.get("stdin") or sys.stdin
        client = Client(SERVER_NAME=LOCAL_HOST)
        validator = RequestValidator(token)
        url = f"{settings.PUBLIC_BASE_URL or f'http://{LOCAL_HOST}'}{SMS_PATH}"
        sids = iter(lambda: f"SM{uuid.uuid4().hex}", None)
        self.stdout.write(f"Texting the hotline as {sender}. Type a message; Ctrl-D to stop.")
        if language == "es":
            self._send(client, validator, url, sender, next(sids), "HOLA", echo=True)
        for line in stdin:
            body = line.rstrip("\n")
            if body.strip() == "/quit":
                break
            self._send(client, validator, url, sender, next(sids), body, echo=False)

    def _send(self, client, validator, url, sender, sid, body, *, echo: bool) -> None:
        params = {"MessageSid": sid, "From": sender, "To": "+18005550199", "Body": body}
        signature = validator.compute_signature(url, params)
        response = client.post(SMS_PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)
        if echo:
            self.stdout.write(f"> {body}")
        if response.status_code != 200:
            self.stderr.write(f"[webhook answered {response.status_code}]")
            return
        replies = [m.text or "" for m in ET.fromstring(response.content).iter("Message")]
        if not replies:
            self.stdout.write("[no reply: opted out, or a repeated message]")
        for reply in replies:
            self.stdout.write(f"\n{reply}\n")
