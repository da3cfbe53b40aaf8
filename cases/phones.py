"""Phone numbers as Twilio sends them (``+1…``, ``whatsapp:+1…``) to one E.164 form."""

from __future__ import annotations

import phonenumbers

from cases.models import Channel

WHATSAPP_PREFIX = "whatsapp:"
MAX_PHONE_LENGTH = 20


def channel_of(address: str) -> str:
    """``whatsapp`` for a ``whatsapp:`` address, else ``sms``."""
    return Channel.WHATSAPP if address.lower().startswith(WHATSAPP_PREFIX) else Channel.SMS


def phone_normalize(address: str) -> str:
    """E.164 (``+15551234567``); an unparsable address is kept, trimmed, so nothing is lost."""
    raw = address.strip()
    if raw.lower().startswith(WHATSAPP_PREFIX):
        raw = raw[len(WHATSAPP_PREFIX) :]
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return raw[:MAX_PHONE_LENGTH]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_mask(phone: str) -> str:
    """For people without access to personal data: the last two digits only."""
    return f"{'•' * max(len(phone) - 2, 0)}{phone[-2:]}" if phone else ""
