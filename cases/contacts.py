"""Write paths for callers' contact rows: the per-number lock, opting out and back in, and
the staff simulator's pretend numbers."""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from cases.models import Contact, Conversation

SIMULATOR_PREFIX = "+1555"


def contact_locked(phone: str, now: datetime.datetime) -> tuple[Contact, bool]:
    """The caller's contact row, locked until the transaction ends; True when just created."""
    contact = Contact.objects.select_for_update().filter(phone=phone).first()
    if contact is not None:
        return contact, False
    contact = _contact_insert(phone, now)
    if contact is not None:
        return contact, True
    # Another first text from this number inserted it a moment ago; wait for its lock.
    return Contact.objects.select_for_update().get(phone=phone), False


def _contact_insert(phone: str, now: datetime.datetime) -> Contact | None:
    """Insert a new contact unless one exists, in one statement that says which happened.

    The inserting transaction holds the new row's lock until it commits, so a simultaneous
    first text from the same number waits; ``get_or_create`` would need a savepoint and
    three statements for the same.
    """
    quote = connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Contact._meta.db_table)} "
            "(phone, language, opted_out, simulated, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (phone) DO NOTHING RETURNING id",
            [phone, "en", False, False, stamp, stamp],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Contact(pk=row[0], phone=phone, language="en", created_at=now, updated_at=now)


def contact_opt_out(*, contact: Contact, at: datetime.datetime) -> None:
    """The number gets nothing more from the hotline until it texts START (STOP, or the
    carrier saying the number unsubscribed)."""
    if not contact.opted_out:
        contact.opted_out = True
        contact.opted_out_at = at
        contact.save(update_fields=["opted_out", "opted_out_at", "updated_at"])


def contact_opt_in(*, contact: Contact) -> None:
    """The number may be texted again (START, or YES after opting out)."""
    if contact.opted_out:
        contact.opted_out = False
        contact.opted_out_at = None
        contact.save(update_fields=["opted_out", "opted_out_at", "updated_at"])


def simulator_contact_get(*, user) -> Contact:
    """The staff member's own pretend number (+1555…, not a real one), marked as simulated."""
    phone = f"{SIMULATOR_PREFIX}{user.pk:07d}"
    contact, _ = Contact.objects.get_or_create(phone=phone, defaults={"simulated": True})
    return contact


@transaction.atomic
def simulator_reset(*, contact: Contact) -> None:
    """Start the staff member's simulated texting from scratch."""
    contact.conversations.exclude(status=Conversation.Status.CLOSED).update(
        status=Conversation.Status.CLOSED
    )
    contact_opt_in(contact=contact)
