"""Erases personal data after ``RETENTION_DAYS`` while keeping anonymous statistics.

Message bodies (and error texts, which can name the number), phone numbers, staff notes and
recordings go; conversations keep their channel, language, outcome, answers (places, not
people) and dates, and messages their error codes.

The work is done in batches of ``BATCH_SIZE`` rows, each in its own short transaction, so a
purge over a day's or a year's worth of rows never holds row locks long enough to keep a
caller's text waiting (a text locks its contact and conversation, and writes messages).
Each batch finds its rows through an index (``message_personal_data`` holds only messages
not yet erased; a contact's recent messages through ``message_contact_created``), and the
callers checked are only those whose messages this purge erased, so a run costs what is due,
not what the years have piled up.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.fields import CharField
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cases.models import Contact, Handoff, Message

ERASED_PREFIX = "erased-"
#: Rows changed per transaction.
BATCH_SIZE = 1000


def personal_data_purge(*, now: datetime.datetime | None = None) -> int:
    """Erase what is older than the retention period; returns how many rows changed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS)
    changed, senders = _messages_erase(cutoff, now)
    return changed + _handoffs_erase(cutoff) + _contacts_erase(cutoff, senders)


def _messages_erase(cutoff: datetime.datetime, now: datetime.datetime) -> tuple[int, set[int]]:
    """Erase due messages; also returns their contacts, the only callers who can have fallen
    silent since the last purge (a caller's last message is erased by the purge after it)."""
    due = Message.objects.filter(created_at__lt=cutoff).filter(~Q(body="") | ~Q(twilio_sid=""))
    changed, senders = 0, set[int]()
    while True:
        with transaction.atomic():
            batch = list(due.order_by("created_at").values_list("pk", "contact_id")[:BATCH_SIZE])
            changed += Message.objects.filter(pk__in=[pk for pk, _ in batch]).update(
                body="", twilio_sid="", error_message="", updated_at=now
            )
        senders.update(contact for _, contact in batch if contact is not None)
        if len(batch) < BATCH_SIZE:
            return changed, senders


def _handoffs_erase(cutoff: datetime.datetime) -> int:
    due = Handoff.objects.filter(created_at__lt=cutoff, status=Handoff.Status.RESOLVED).filter(
        ~Q(notes="") | ~Q(recording_url="")
    )
    changed = 0
    while True:
        with transaction.atomic():
            batch = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
            changed += Handoff.objects.filter(pk__in=batch).update(notes="", recording_url="")
        if len(batch) < BATCH_SIZE:
            return changed


def stale_contacts(cutoff: datetime.datetime) -> QuerySet[Contact]:
    """Callers with a number still stored and no message since the cutoff."""
    recent = Message.objects.filter(contact=OuterRef("pk"), created_at__gte=cutoff)
    return (
        Contact.objects.filter(created_at__lt=cutoff)
        .exclude(phone__startswith=ERASED_PREFIX)
        .filter(~Exists(recent))
    )


def _contacts_erase(cutoff: datetime.datetime, candidates: set[int]) -> int:
    """Erase the numbers of the ``candidates`` not heard from since the cutoff."""
    ordered = sorted(candidates)
    changed = 0
    for start in range(0, len(ordered), BATCH_SIZE):
        with transaction.atomic():
            changed += (
                stale_contacts(cutoff)
                .filter(pk__in=ordered[start : start + BATCH_SIZE])
                .update(
                    phone=Concat(Value(ERASED_PREFIX), Cast("pk", CharField())),
                    updated_at=timezone.now(),
                )
            )
    return changed
