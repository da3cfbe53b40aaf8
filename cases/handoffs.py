"""Write paths for handoffs: a conversation that needs a person, from opening to resolved.

Urgent handoffs are e-mailed to staff by a task (never in the webhook); claiming, replying
and resolving are judged on the locked row, so two staff members never both take one.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from cases import outbox
from cases.bodies import body_clean
from cases.flow import HandoffPriority, HandoffReason
from cases.models import Channel, Conversation, Handoff, Message
from cases.selectors import handoff_reply_warning
from staff.errors import Conflict

logger = logging.getLogger(__name__)


def handoff_open(
    *, conversation: Conversation, reason: HandoffReason, priority: HandoffPriority
) -> Handoff:
    """A person is needed; an open handoff for the same conversation and reason is reused."""
    existing = (
        Handoff.objects.filter(conversation=conversation, reason=reason)
        .exclude(status=Handoff.Status.RESOLVED)
        .first()
    )
    if existing is not None:
        return existing
    alert = priority == HandoffPriority.URGENT and bool(settings.HANDOFF_ALERT_EMAILS)
    handoff = Handoff.objects.create(
        conversation=conversation,
        contact=conversation.contact,
        reason=reason,
        priority=priority,
        alert_due=alert,
    )
    if alert:
        transaction.on_commit(lambda: _alert_later(handoff.pk))
    return handoff


def _alert_later(handoff_id: int) -> None:
    """Queue the staff e-mail; never send it here, in the webhook (a slow mail server would
    hold up texts). Left ``alert_due``, it is sent by the outbox sweep once Celery runs."""
    from cases.tasks import alert_urgent_handoff

    try:
        alert_urgent_handoff.delay(handoff_id)
    except BrokerUnavailable:
        logger.warning("Urgent handoff %s: alert left for the sweep (broker down)", handoff_id)
    except Exception:
        # Without Redis the task runs here, in-process: this is its own error, not the broker's.
        logger.exception("Urgent handoff %s: alert failed, left for the sweep", handoff_id)


def handoff_alerts_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Urgent handoffs whose alert no task has sent (older than one sweep, so a queued task
    has had its chance first)."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
    due = Handoff.objects.filter(alert_due=True, created_at__lt=grace).order_by("id")
    return list(due.values_list("pk", flat=True)[:100])


@transaction.atomic
def handoff_alert_send(*, handoff_id: int) -> None:
    """E-mail staff about an urgent handoff once: what and where, never the caller's number.

    The row stays locked while the mail server is asked (``EMAIL_TIMEOUT`` bounds it), so a
    sweep and a task never both send it; a failure leaves it due for the next sweep.
    """
    handoff = Handoff.objects.select_for_update().filter(pk=handoff_id, alert_due=True).first()
    if handoff is None:
        return
    link = f"{settings.PUBLIC_BASE_URL}/admin/cases/handoff/{handoff.pk}/change/"
    send_mail(
        subject=f"Urgent handoff #{handoff.pk}: {handoff.get_reason_display()}",
        message=(
            f"An urgent handoff ({handoff.get_reason_display()}) was opened at "
            f"{handoff.created_at:%Y-%m-%d %H:%M %Z}.\nOpen it in the staff workspace: {link}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=settings.HANDOFF_ALERT_EMAILS,
    )
    handoff.alert_due = False
    handoff.save(update_fields=["alert_due"])


@transaction.atomic
def handoff_reply(*, handoff: Handoff, user, body: str, confirmed: bool = False) -> Message:
    """Staff text the caller, claiming an open handoff; ``blocked`` if the number opted out.

    A reply that goes out keeps the conversation open for the caller's answer.

    A reply on a resolved handoff, or on one someone else has claimed, must be ``confirmed``
    (``HandoffConflict`` says why otherwise), judged on the locked row.
    """
    handoff = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("contact", "conversation", "assigned_to")
        .get(pk=handoff.pk)
    )
    warning = handoff_reply_warning(handoff, user)
    if warning and not confirmed:
        raise HandoffConflict(f"{warning} Confirm to send the reply anyway.")
    if handoff.status == Handoff.Status.OPEN:
        handoff.status = Handoff.Status.CLAIMED
        handoff.assigned_to = user
        handoff.claimed_at = timezone.now()
        handoff.save(update_fields=["status", "assigned_to", "claimed_at"])
    channel = handoff.conversation.channel if handoff.conversation else Channel.SMS
    message = outbox.message_queue(
        contact=handoff.contact,
        conversation=handoff.conversation,
        channel=channel,
        body=body_clean(body),
        purpose=Message.Purpose.STAFF_REPLY,
    )
    if handoff.conversation_id is not None and message.status != Message.Status.BLOCKED:
        # The conversation goes on: the parent's answer is for staff, even days after the
        # parent's own last text (a conversation idle for CONVERSATION_IDLE_HOURS starts over).
        Conversation.objects.filter(pk=handoff.conversation_id).update(updated_at=timezone.now())
    return message


class HandoffConflict(Conflict):
    """The handoff is not in a state that allows this change (someone else has it, or done)."""


@transaction.atomic
def handoff_claim(*, handoff: Handoff, user) -> Handoff:
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if handoff.status == Handoff.Status.RESOLVED:
        raise HandoffConflict("This handoff is already resolved.")
    if handoff.status == Handoff.Status.CLAIMED and handoff.assigned_to_id != user.pk:
        raise HandoffConflict(f"Already claimed by {handoff.assigned_to}.")
    handoff.status = Handoff.Status.CLAIMED
    handoff.assigned_to = user
    handoff.claimed_at = handoff.claimed_at or timezone.now()
    handoff.save(update_fields=["status", "assigned_to", "claimed_at"])
    return handoff


@transaction.atomic
def handoff_resolve(*, handoff: Handoff, user, notes: str = "") -> Handoff:
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if handoff.status == Handoff.Status.RESOLVED:
        raise HandoffConflict("This handoff is already resolved.")
    if handoff.status == Handoff.Status.CLAIMED and handoff.assigned_to_id not in (None, user.pk):
        raise HandoffConflict(f"Claimed by {handoff.assigned_to}; only they can resolve it.")
    handoff.status = Handoff.Status.RESOLVED
    handoff.assigned_to = handoff.assigned_to or user
    handoff.resolved_at = timezone.now()
    if notes:
        handoff.notes = f"{handoff.notes}\n{notes}".strip()
    handoff.save(update_fields=["status", "assigned_to", "resolved_at", "notes"])
    return handoff


@transaction.atomic
def handoff_notes_set(*, handoff: Handoff, user, notes: str) -> Handoff:
    """Staff's notes on a handoff, replaced as the workspace edits them, on the locked row.

    As with claiming and resolving, a resolved handoff's notes stay as they were and someone
    else's claimed handoff is theirs (``HandoffConflict``); an open one is anyone's.
    """
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if handoff.status == Handoff.Status.RESOLVED:
        raise HandoffConflict("This handoff is already resolved.")
    if handoff.status == Handoff.Status.CLAIMED and handoff.assigned_to_id != user.pk:
        raise HandoffConflict(f"Claimed by {handoff.assigned_to}; only they can change its notes.")
    handoff.notes = notes
    handoff.save(update_fields=["notes"])
    return handoff
