"""Erases personal data after ``RETENTION_DAYS`` while keeping anonymous statistics.

Message bodies, phone numbers, staff notes and recordings go; conversations keep their
channel, language, outcome, answers (places, not people) and dates.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cases.models import Contact, Handoff, Message

ERASED_PREFIX = "erased-"


@transaction.atomic
def personal_data_purge(*, now: datetime.datetime | None = None) -> int:
    """Erase what is older than the retention period; returns how many rows changed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS)
    changed = (
        Message.objects.filter(created_at__lt=cutoff)
        .exclude(body="", twilio_sid="")
        .update(body="", twilio_sid="", updated_at=now)
    )
    changed += (
        Handoff.objects.filter(created_at__lt=cutoff, status=Handoff.Status.RESOLVED)
        .exclude(notes="", recording_url="")
        .update(notes="", recording_url="")
    )
    stale_contacts = (
        Contact.objects.exclude(phone__startswith=ERASED_PREFIX)
        .annotate(last_seen=Max("messages__created_at"))
        .filter(Q(last_seen__lt=cutoff) | Q(last_seen__isnull=True, created_at__lt=cutoff))
    )
    for contact in stale_contacts:
        contact.phone = f"{ERASED_PREFIX}{contact.pk}"
        contact.save(update_fields=["phone", "updated_at"])
        changed += 1
    return changed
