"""Point a Twilio number's webhooks at this hotline, through Twilio's REST API."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from twilio.base.exceptions import TwilioException, TwilioRestException

from hotline.twilio.client import twilio_client

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def wanted_settings(base_url: str) -> dict[str, str]:
    """The webhook settings a hotline number needs, for ``PUBLIC_BASE_URL``."""
    return {
        "sms_url": f"{base_url}/twilio/sms/",
        "sms_method": "POST",
        "voice_url": f"{base_url}/twilio/voice/",
        "voice_method": "POST",
        "status_callback": f"{base_url}/twilio/voice/status/",
        "status_callback_method": "POST",
    }


def changes_needed(phone: object, wanted: dict[str, str]) -> dict[str, tuple[str, str]]:
    """``{setting: (now, wanted)}`` for each setting of ``phone`` that differs."""
    current = {key: getattr(phone, key, None) or "" for key in wanted}
    return {key: (current[key], value) for key, value in wanted.items() if current[key] != value}


class Command(BaseCommand):
    help = (
        "Set a Twilio number's SMS and voice webhooks and its call status callback to "
        "PUBLIC_BASE_URL, and print what changed."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--number", help="the hotline's number, E.164 (+18005550199)")
        target.add_argument("--sid", help="the IncomingPhoneNumber SID (PN...), instead")
        parser.add_argument("--dry-run", action="store_true", help="show, change nothing")

    def handle(self, *args, number: str | None, sid: str | None, dry_run: bool, **options):
        base_url = settings.PUBLIC_BASE_URL
        if not base_url.startswith("https://"):
            raise CommandError(
                "PUBLIC_BASE_URL must be the hotline's public https:// address "
                f"(it is {base_url or 'unset'}): Twilio would call it."
            )
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise CommandError("Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN first.")
        if number is not None and not E164.match(number):
            raise CommandError(f"{number!r} is not an E.164 number such as +18005550199.")
        client = twilio_client()
        try:
            phone = self._find(client, number=number, sid=sid)
            changes = changes_needed(phone, wanted_settings(base_url))
            label = phone.phone_number or phone.sid
            if not changes:
                self.stdout.write(f"{label}: already set, nothing to change.")
                return
            for key, (before, after) in changes.items():
                self.stdout.write(f"{label}: {key}: {before or '(empty)'} -> {after}")
            if dry_run:
                self.stdout.write("Dry run: nothing changed.")
                return
            client.incoming_phone_numbers(phone.sid).update(
                **{key: after for key, (_, after) in changes.items()}
            )
        except TwilioRestException as error:
            raise CommandError(
                f"Twilio refused: HTTP {error.status}, error {error.code}: {error.msg}"
            ) from error
        except TwilioException as error:
            raise CommandError(f"Twilio's API did not answer as expected: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{label}: {len(changes)} setting(s) updated."))

    def _find(self, client, *, number: str | None, sid: str | None):
        if sid:
            try:
                return client.incoming_phone_numbers(sid).fetch()
            except TwilioRestException as error:
                if error.status == 404:
                    raise CommandError(f"No number {sid} in this Twilio account.") from error
                raise
        # Twilio filters by the exact number, so its first page holds every match.
        page = client.incoming_phone_numbers.page(phone_number=number, page_size=50)
        matches = [phone for phone in page if phone.phone_number == number]
        if not matches:
            raise CommandError(f"No number {number} in this Twilio account.")
        return matches[0]
