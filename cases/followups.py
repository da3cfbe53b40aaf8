"""When a text the hotline starts may go out: 09:00-20:00 in the recipient's own time zone."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache

import phonenumbers
from django.conf import settings
from phonenumbers import timezone as number_timezones

DEFAULT_ZONE = "America/New_York"


@lru_cache(maxsize=4096)
def zone_for_number(phone: str) -> zoneinfo.ZoneInfo:
    """The number's time zone (the first phonenumbers gives; U.S. Eastern when unknown)."""
    try:
        number = phonenumbers.parse(phone, None)
        zones = [z for z in number_timezones.time_zones_for_number(number) if "/" in z]
    except phonenumbers.NumberParseException:
        zones = []
    try:
        return zoneinfo.ZoneInfo(zones[0] if zones else DEFAULT_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:
        return zoneinfo.ZoneInfo(DEFAULT_ZONE)


def within_send_window(when: datetime.datetime, phone: str, *, start: int, end: int) -> bool:
    local = when.astimezone(zone_for_number(phone))
    return start <= local.hour < end


def next_send_time(
    earliest: datetime.datetime, phone: str, *, start: int, end: int
) -> datetime.datetime:
    """``earliest`` if it falls in the window, else the window's next opening."""
    if within_send_window(earliest, phone, start=start, end=end):
        return earliest
    zone = zone_for_number(phone)
    local = earliest.astimezone(zone)
    opening = local.replace(hour=start, minute=0, second=0, microsecond=0)
    if local.hour >= end:
        opening += datetime.timedelta(days=1)
    return opening.replace(tzinfo=zone).astimezone(datetime.UTC)


def send_window_next(when: datetime.datetime, phone: str) -> datetime.datetime:
    """``when`` if it is in the number's sending hours (``SEND_WINDOW_START_HOUR`` to
    ``SEND_WINDOW_END_HOUR``), else their next opening."""
    return next_send_time(
        when, phone, start=settings.SEND_WINDOW_START_HOUR, end=settings.SEND_WINDOW_END_HOUR
    )
