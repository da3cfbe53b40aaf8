"""Erases personal data after ``RETENTION_DAYS`` while keeping anonymous statistics.

Message bodies (and error texts, which can name the number), phone numbers, staff notes and
recordings go; conversations keep their channel, language, outcome, answers (places, not
people) and dates, and messages their error codes.

The work is done in batches of ``BATCH_SIZE`` rows, each in its own short transaction, so a
purge over a day's or a year's worth of rows never holds row locks long enough to keep a
caller's text waiting (a text locks its contact and conversation, and writes messages).
Messages are found through an index (``message_personal_data`` holds only messages not yet
erased). Callers are found by their own criterion (no message since the cutoff), walking
the contacts in key order, not through the messages this run erased: a run that died after
erasing messages, or a caller with no messages at all, would otherwise keep a number for ever.
The walk reads every caller not yet erased once a run (a key-ordered index walk, one index
probe of ``message_contact_created`` each), a cost that grows with the callers still kept.
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
    return _messages_erase(cutoff, now) + _handoffs_erase(cutoff) + _contacts_erase(cutoff, now)


def _messages_erase(cutoff: datetime.datetime, now: datetime.datetime) -> int:
    due = Message.objects.filter(created_at__lt=cutoff).filter(~Q(body="") | ~Q(twilio_sid=""))
    changed = 0
    while True:
        with transaction.atomic():
            batch = list(due.order_by("created_at").values_list("pk", flat=True)[:BATCH_SIZE])
            changed += Message.objects.filter(pk__in=batch).update(
                body="", twilio_sid="", error_message="", updated_at=now
            )
        if len(batch) < BATCH_SIZE:
            return changed


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
    """Callers with a number still stored and no message since the cutoff (every text, call,
    check-in and staff reply is a message)."""
    recent = Message.objects.filter(contact=OuterRef("pk"), created_at__gte=cutoff)
    return (
        Contact.objects.filter(created_at__lt=cutoff)
        .exclude(phone__startswith=ERASED_PREFIX)
        .filter(~Exists(recent))
    )


def _contacts_erase(cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Erase the numbers of the callers not heard from since the cutoff, a batch of keys at a
    time (each batch checked again as it is erased, for a caller who texts meanwhile)."""
    stale = stale_contacts(cutoff)
    changed, after = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                stale.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]
            )
            changed += stale.filter(pk__in=batch).update(
                phone=Concat(Value(ERASED_PREFIX), Cast("pk", CharField())), updated_at=now
            )
        if len(batch) < BATCH_SIZE:
            return changed
        after = batch[-1]
