"""The outbox: every text the hotline sends on its own goes through here.

A text is a ``Message`` row first (``queued``, or ``scheduled`` for later); a Celery task
started after the transaction commits sends it. Sending is idempotent: the row is locked and
moved to ``sending`` in its own transaction before Twilio is called, so a task delivered twice
(a worker that died before acknowledging) finds the row taken and does nothing. Once Twilio
takes it the row is ``sent``, and Twilio's own reports go to ``delivery_status``. Twilio's
status callback carries the row's id, so a message Twilio accepted is recognised even when the
worker died before storing the answer. A periodic sweep sends what a lost task left behind
(Redis down, a dead worker), once Celery can run again.
"""

from __future__ import annotations

import datetime
import json
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from cases.contacts import contact_opt_out
from cases.flow import FlowState, Step, check_in_state
from cases.followups import send_window_next
from cases.models import Channel, Contact, Conversation, Message
from cases.sending import (
    UNSUBSCRIBED_ERROR,
    AmbiguousSendError,
    Outgoing,
    PermanentSendError,
    TransientSendError,
    sender_get,
)

logger = logging.getLogger(__name__)

#: The outbox's own work still to do (the partial index ``outbox_pending`` holds just these).
PENDING = (Message.Status.SCHEDULED, Message.Status.QUEUED, Message.Status.SENDING)
#: How far along Twilio's report is; a report never moves ``delivery_status`` backwards.
DELIVERY_RANK: dict[str, int] = {
    Message.DeliveryStatus.SCHEDULED: 0,
    Message.DeliveryStatus.QUEUED: 1,
    Message.DeliveryStatus.ACCEPTED: 2,
    Message.DeliveryStatus.SENDING: 3,
    Message.DeliveryStatus.SENT: 4,
    Message.DeliveryStatus.DELIVERED: 5,
    Message.DeliveryStatus.UNDELIVERED: 5,
    Message.DeliveryStatus.FAILED: 5,
    Message.DeliveryStatus.CANCELED: 5,
    Message.DeliveryStatus.PARTIALLY_DELIVERED: 5,
    Message.DeliveryStatus.READ: 6,
}
WHATSAPP_WINDOW = datetime.timedelta(hours=24)
OPTED_OUT = "The number has opted out (texted STOP); nothing is sent until it texts START."
STATUS_PATH = "/twilio/sms/status/"
#: A send Twilio never answered (and never called back about): sent once more, then failed.
NO_ANSWER_CODE = "no-answer"
NO_ANSWER_RESENT = "Twilio did not answer and did not report the text; it is sent once more."
NO_ANSWER_FAILED = (
    "Twilio did not answer; the text may have been sent, so it is not sent again. "
    "Check with the caller before sending it again."
)


@dataclass(frozen=True)
class SendOutcome:
    """What one send attempt did; ``retry_in`` seconds when it should be tried again."""

    status: str
    retry_in: float | None = None


def message_build(
    *,
    contact: Contact,
    channel: str,
    body: str,
    purpose: str,
    conversation: Conversation | None = None,
    send_after: datetime.datetime | None = None,
) -> Message:
    """An outbound text ready to store (unsaved), so a caller may insert it with others.

    For an opted-out number it is ``blocked`` with the reason (so staff see what was not
    sent, and why); with ``send_after`` it is ``scheduled`` and the sweep sends it when due.
    """
    message = Message(
        contact=contact,
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        channel=Channel.SMS if channel == Channel.VOICE else channel,
        body=body,
        purpose=purpose,
        via=Message.Via.REST,
        status=Message.Status.SCHEDULED if send_after else Message.Status.QUEUED,
        send_after=send_after,
    )
    if contact.opted_out:
        message.status = Message.Status.BLOCKED
        message.error_message = OPTED_OUT
    return message


def message_queue(
    *,
    contact: Contact,
    channel: str,
    body: str,
    purpose: str,
    conversation: Conversation | None = None,
    send_after: datetime.datetime | None = None,
) -> Message:
    """Write an outbound text to the outbox; it is sent after the transaction commits."""
    message = message_build(
        contact=contact,
        conversation=conversation,
        channel=channel,
        body=body,
        purpose=purpose,
        send_after=send_after,
    )
    message.save()
    if message.status == Message.Status.QUEUED:
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    """Start the send task; if the broker is down the sweep sends the message later."""
    from cases.tasks import send_message

    try:
        send_message.delay(message_id)
    except BrokerUnavailable:
        logger.warning("Outbox: broker unavailable, message %s left for the sweep", message_id)
    except Exception:
        # Without Redis the task runs here, in-process: this is its own error, not the broker's.
        logger.exception("Outbox: sending message %s failed, left for the sweep", message_id)


def message_send(*, message_id: int, now: datetime.datetime | None = None) -> SendOutcome:
    """One attempt at sending a queued message (the Celery task's whole body)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("contact", "conversation")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status != Message.Status.QUEUED:
            return SendOutcome(status=message.status if message else "missing")
        if message.send_after and message.send_after > now:
            return SendOutcome(status=message.status)
        check_in = message.purpose == Message.Purpose.CHECK_IN
        if check_in and not _check_in_due(message, now):
            message.save()
            return SendOutcome(status=message.status)
        outgoing = _outgoing(message, now)
        if outgoing is None:
            message.save()
            return SendOutcome(status=message.status)
        if check_in:
            _check_in_start(message)
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.sending_since = now
        message.save(
            update_fields=["status", "attempts", "sending_since", "conversation", "updated_at"]
        )
    try:
        sent = sender_get().send(outgoing)
    except TransientSendError as error:
        return _after_transient(message_id, error, now)
    except PermanentSendError as error:
        return _after_permanent(message_id, error)
    except AmbiguousSendError as error:
        return _after_ambiguous(message_id, error, now)
    # Usually nothing touched the row while Twilio was asked: one conditional UPDATE.
    if Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
        twilio_sid=sent.sid,
        status=Message.Status.SENT,
        delivery_status=sent.status,
        updated_at=timezone.now(),
    ):
        return SendOutcome(status=Message.Status.SENT)
    # A status callback (or the sweep) got here first: Twilio's answer still says it has it.
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.twilio_sid = message.twilio_sid or sent.sid
        _delivery_record(message, sent.status)
        message.save(update_fields=["twilio_sid", "status", "delivery_status", "updated_at"])
    return SendOutcome(status=message.status)


def _outgoing(message: Message, now: datetime.datetime) -> Outgoing | None:
    """What to send, or None after marking a message that may not go out."""
    contact = message.contact
    if contact is None or not contact.phone.startswith("+"):
        message.status = Message.Status.FAILED
        message.error_message = "No valid phone number for this contact."
        return None
    if contact.opted_out:
        message.status = Message.Status.BLOCKED
        message.error_message = OPTED_OUT
        return None
    callback = f"{settings.PUBLIC_BASE_URL}{STATUS_PATH}?outbox={message.pk}"
    outgoing = Outgoing(
        to=contact.phone,
        body=message.body,
        whatsapp=message.channel == Channel.WHATSAPP,
        status_callback=callback if settings.PUBLIC_BASE_URL else "",
    )
    if outgoing.whatsapp and not _within_whatsapp_window(message, now):
        if not settings.TWILIO_WHATSAPP_TEMPLATE_SID:
            message.status = Message.Status.BLOCKED
            message.error_code = "63016"
            message.error_message = (
                "Outside WhatsApp's 24-hour window and no template is configured."
            )
            return None
        return Outgoing(
            to=outgoing.to,
            body=message.body,
            whatsapp=True,
            status_callback=outgoing.status_callback,
            content_sid=settings.TWILIO_WHATSAPP_TEMPLATE_SID,
            content_variables=json.dumps({"1": message.body[:1000]}),
        )
    return outgoing


def _check_in_due(message: Message, now: datetime.datetime) -> bool:
    """A check-in goes out in sending hours, to a conversation still waiting at its end.

    Otherwise it is pushed to the next sending hours, or canceled when the caller has moved
    on. Nothing about the conversation changes here: that waits until the text may go out
    (``_check_in_start``), so a check-in that is blocked never leaves the conversation
    expecting an answer to a question the caller did not get.
    """
    contact = message.contact
    if contact is None:
        message.status = Message.Status.CANCELED
        message.error_message = "The caller's record was erased before the check-in was due."
        return False
    due = send_window_next(now, contact.phone)
    if due != now:
        message.status = Message.Status.SCHEDULED
        message.send_after = due
        return False
    origin = message.conversation
    if origin is None or origin.step != Step.DONE or _moved_on(message, origin):
        message.status = Message.Status.CANCELED
        message.error_message = "The conversation moved on before the check-in was due."
        return False
    return True


def _check_in_start(message: Message) -> None:
    """The check-in is going out: the texting conversation now expects the yes/no answer.

    After a call, that is a new text conversation carrying the call's answers in its state;
    its ``outcome`` stays empty, as the call's conversation already counts that outcome (in
    the metrics and the dashboard).
    """
    origin = message.conversation
    assert origin is not None
    assert message.contact is not None
    state = check_in_state(FlowState.from_json(origin.state))
    if origin.channel == Channel.VOICE:
        message.conversation = Conversation.objects.create(
            contact=message.contact,
            channel=message.channel,
            language=origin.language,
            status=Conversation.Status.COMPLETED,
            state=state.to_json(),
            step=state.step.value,
        )
        return
    origin.state = state.to_json()
    origin.step = state.step.value
    origin.save(update_fields=["state", "step", "updated_at"])


def _moved_on(message: Message, origin: Conversation) -> bool:
    """Has the caller started anything since the conversation the check-in is about?"""
    return (
        Conversation.objects.filter(contact=message.contact, updated_at__gt=origin.updated_at)
        .exclude(pk=origin.pk)
        .exists()
    )


def _within_whatsapp_window(message: Message, now: datetime.datetime) -> bool:
    last = (
        Message.objects.filter(
            contact=message.contact,
            channel=Channel.WHATSAPP,
            direction=Message.Direction.INBOUND,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last is not None and now - last < WHATSAPP_WINDOW


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped."""
    ceiling = min(
        settings.OUTBOX_RETRY_MAX_SECONDS,
        settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0),
    )
    return random.uniform(ceiling / 2, ceiling)


def _after_transient(
    message_id: int, error: TransientSendError, now: datetime.datetime
) -> SendOutcome:
    """Try again later, for ``OUTBOX_RETRY_HOURS`` from the first failure: Twilio or the
    network being away for a while must not lose a staff reply."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.error_code = error.code[:10]
        message.error_message = error.message
        if message.retry_until is None:
            message.retry_until = now + datetime.timedelta(hours=settings.OUTBOX_RETRY_HOURS)
        fields = ["status", "retry_until", "error_code", "error_message", "updated_at"]
        if now >= message.retry_until:
            message.status = Message.Status.FAILED
            message.save(update_fields=fields)
            logger.warning("Outbox: message %s failed after %s tries", message_id, message.attempts)
            return SendOutcome(status=Message.Status.FAILED)
        delay = retry_delay(message.attempts)
        message.status = Message.Status.QUEUED
        message.send_after = now + datetime.timedelta(seconds=delay)
        message.save(update_fields=[*fields, "send_after"])
    logger.info("Outbox: message %s will be retried in %.1fs (%s)", message_id, delay, error.code)
    return SendOutcome(status=Message.Status.QUEUED, retry_in=delay)


def _after_ambiguous(
    message_id: int, error: AmbiguousSendError, now: datetime.datetime
) -> SendOutcome:
    """Twilio may have the message: the row stays ``sending`` for its status callback, and
    the retry clock starts, so the sweep gives up on it once ``retry_until`` has passed."""
    Message.objects.filter(
        pk=message_id, status=Message.Status.SENDING, retry_until__isnull=True
    ).update(retry_until=now + datetime.timedelta(hours=settings.OUTBOX_RETRY_HOURS))
    logger.warning("Outbox: message %s may have been sent (%s)", message_id, error.code)
    return SendOutcome(status=Message.Status.SENDING)


def _after_permanent(message_id: int, error: PermanentSendError) -> SendOutcome:
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("contact")
            .get(pk=message_id)
        )
        message.status = Message.Status.FAILED
        message.error_code = error.code[:10]
        message.error_message = error.message
        message.save(update_fields=["status", "error_code", "error_message", "updated_at"])
        if error.code == UNSUBSCRIBED_ERROR and message.contact is not None:
            contact_opt_out(contact=message.contact, at=timezone.now())
    logger.warning("Outbox: message %s refused by Twilio (%s), not retried", message_id, error.code)
    return SendOutcome(status=Message.Status.FAILED)


def _delivery_record(message: Message, reported: str) -> bool:
    """Apply Twilio's report to a locked row (the caller saves it); True when it was news.

    Any report means Twilio has the message, so the outbox's own work on it is done (and one
    it gave up on for want of an answer was sent after all). The report never moves
    ``delivery_status`` backwards (callbacks arrive out of order), and a message the hotline
    blocked or canceled (never handed over) takes none.
    """
    if message.status in (Message.Status.BLOCKED, Message.Status.CANCELED):
        return False
    gave_up = message.status == Message.Status.FAILED and message.error_code == NO_ANSWER_CODE
    if message.status in PENDING or gave_up:
        message.status = Message.Status.SENT
    current = message.delivery_status
    behind = bool(current) and DELIVERY_RANK.get(reported, 0) <= DELIVERY_RANK.get(current, 0)
    if not reported or behind:
        return False
    message.delivery_status = reported
    return True


def message_status_record(
    *, outbox_id: str, message_sid: str, status: str, error_code: str
) -> Message | None:
    """Apply a Twilio status callback: never backwards, idempotent for repeats."""
    with transaction.atomic():
        rows = Message.objects.select_for_update(of=("self",)).select_related("contact")
        message = None
        if outbox_id.isdigit():
            message = rows.filter(pk=int(outbox_id), direction=Message.Direction.OUTBOUND).first()
        if message is None and message_sid:
            message = rows.filter(
                twilio_sid=message_sid, direction=Message.Direction.OUTBOUND
            ).first()
        if message is None:
            return None
        fields = ["status", "delivery_status", "updated_at"]
        if message_sid and not message.twilio_sid:
            message.twilio_sid = message_sid[:64]
            fields.append("twilio_sid")
        if _delivery_record(message, status) and error_code:
            message.error_code = error_code[:10]
            fields.append("error_code")
        message.save(update_fields=fields)
        if error_code == UNSUBSCRIBED_ERROR and message.contact is not None:
            contact_opt_out(contact=message.contact, at=timezone.now())
    return message


def outbox_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Messages a lost task left behind, made ready and returned for sending.

    Due ``queued``/``scheduled`` rows are picked up. A row still ``sending`` after
    ``OUTBOX_SENDING_TIMEOUT_MINUTES`` had no answer from Twilio (a read timeout, a worker
    that died) and no status callback: Twilio may have it, and a parent must not get the same
    text again and again. It is sent once more only when Twilio has a callback URL
    (``PUBLIC_BASE_URL``) to report a message it took, and only once; a second silence, no
    callback URL, or a retry time (``retry_until``) that has passed fails it, saying it may
    have been sent, so staff can look before they send it again.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.OUTBOX_SENDING_TIMEOUT_MINUTES)
    grace = now - datetime.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
    with transaction.atomic():
        silent = Message.objects.filter(
            via=Message.Via.REST, status=Message.Status.SENDING, sending_since__lt=stale
        )
        given_up = silent
        if settings.PUBLIC_BASE_URL:
            given_up = silent.filter(Q(error_code=NO_ANSWER_CODE) | Q(retry_until__lte=now))
        failed = list(given_up.values_list("pk", flat=True))
        given_up.update(
            status=Message.Status.FAILED,
            error_code=NO_ANSWER_CODE,
            error_message=NO_ANSWER_FAILED,
            updated_at=now,
        )
        silent.update(
            status=Message.Status.QUEUED,
            error_code=NO_ANSWER_CODE,
            error_message=NO_ANSWER_RESENT,
            retry_until=Coalesce(
                "retry_until",
                Value(now + datetime.timedelta(hours=settings.OUTBOX_RETRY_HOURS)),
            ),
            updated_at=now,
        )
        Message.objects.filter(
            via=Message.Via.REST, status=Message.Status.SCHEDULED, send_after__lte=now
        ).update(status=Message.Status.QUEUED, updated_at=now)
        due = Message.objects.filter(via=Message.Via.REST, status=Message.Status.QUEUED).filter(
            Q(send_after__lte=now) | Q(send_after__isnull=True, created_at__lt=grace)
        )
        pending = list(due.order_by("id").values_list("pk", flat=True)[:1000])
    for pk in failed:
        logger.warning("Outbox: message %s had no answer from Twilio; failed, not resent", pk)
    return pending
