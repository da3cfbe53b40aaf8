"""Text the hotline from a terminal, through the real webhook (signed like Twilio signs)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from hotline.twilio.simulator import SimulationError, text_through_webhook

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
        sender = f"whatsapp:{phone}" if whatsapp else phone
        stdin = options.get("stdin") or sys.stdin
        self.stdout.write(f"Texting the hotline as {sender}. Type a message; Ctrl-D to stop.")
        if language == "es":
            self.stdout.write("> HOLA")
            self._send(sender, "HOLA")
        for line in stdin:
            body = line.rstrip("\n")
            if body.strip() == "/quit":
                break
            self._send(sender, body)

    def _send(self, sender: str, body: str) -> None:
        try:
            replies = text_through_webhook(sender=sender, body=body, host=LOCAL_HOST)
        except SimulationError as error:
            raise CommandError(str(error)) from error
        if not replies:
            self.stdout.write("[no reply: opted out, or a repeated message]")
        for reply in replies:
            self.stdout.write(f"\n{reply}\n")
