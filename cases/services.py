"""Write paths for conversations: inbound texts, opt-out, handoffs.

An inbound text is handled in one transaction with the caller's contact row locked, so two
quick texts from one number are processed one after the other and none is lost; a Twilio
retry of the same ``MessageSid`` is recognised and changes nothing.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import flow, outbox
from cases.flow import Effect, EffectKind, FlowState, Inbound, Prompt, Turn
from cases.followups import next_send_time
from cases.keywords import Keyword, is_spanish_greeting, keyword_of, normalize
from cases.models import Channel, Contact, Conversation, Handoff, Message
from cases.phones import channel_of, phone_normalize
from cases.prompts import prompt_render
from cases.ratelimit import Rate, text_rate
from cases.selectors import handoff_reply_warning
from routing.messages import MAX_TEXT_LENGTH
from routing.reference import ReferenceData
from routing.selectors import reference_data_get
from staff.errors import Conflict

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Twilio's Advanced Opt-Out parameter, when a Messaging Service sends it.
OPT_OUT_TYPES = {"STOP": Keyword.STOP, "START": Keyword.START}


@dataclass(frozen=True)
class TextReply:
    """What to answer a text with: zero or more messages (none = empty TwiML).

    ``message_ids`` are the outbound rows, so Twilio's status callback can name them (None
    for a reply that is not logged, such as the one answer to a flood).
    """

    bodies: tuple[str, ...] = ()
    message_ids: tuple[int | None, ...] = ()
    duplicate: bool = False


def body_clean(body: str) -> str:
    """Control characters out (NUL breaks PostgreSQL text), at most one Twilio body long."""
    return _CONTROL.sub("", body)[:MAX_TEXT_LENGTH]


def inbound_text_handle(
    *,
    address: str,
    body: str,
    message_sid: str,
    num_media: int = 0,
    opt_out_type: str = "",
) -> TextReply:
    """Record one inbound SMS/WhatsApp message, advance its conversation, return the reply.

    A Twilio retry of a ``MessageSid`` already stored breaks the database's unique constraint
    when the message is written, which rolls the retry's whole turn back; so only a retry,
    never the usual text, costs a query to tell a retry from a real error.
    """
    try:
        return _text_apply(
            address=address,
            body=body,
            message_sid=message_sid,
            num_media=num_media,
            opt_out_type=opt_out_type,
        )
    except IntegrityError:
        if _already_received(message_sid):
            return TextReply(duplicate=True)
        raise


@transaction.atomic
def _text_apply(
    *, address: str, body: str, message_sid: str, num_media: int, opt_out_type: str
) -> TextReply:
    channel = channel_of(address)
    phone = phone_normalize(address)
    text = body_clean(body)
    keyword = OPT_OUT_TYPES.get(opt_out_type.upper()) or keyword_of(text)
    # STOP and START are obeyed whatever the rate: never counted, never dropped.
    rate = Rate.ALLOWED if keyword in (Keyword.STOP, Keyword.START) else text_rate(phone)
    if rate is not Rate.ALLOWED:
        logger.warning("Texts from one number over the per-minute limit: not processed")
        slow_down = _slow_down(phone) if rate is Rate.JUST_OVER else None
        return TextReply(bodies=(slow_down,), message_ids=(None,)) if slow_down else TextReply()
    now = timezone.now()
    contact, created = contact_locked(phone, now)
    inbound = Message(
        contact=contact,
        direction=Message.Direction.INBOUND,
        channel=channel,
        body=text,
        twilio_sid=message_sid,
        status="received",
    )
    if keyword is Keyword.STOP:
        contact_opt_out(contact=contact, at=now)
        inbound.save()
        return TextReply()
    opting_in = keyword is Keyword.START or (contact.opted_out and normalize(text) == "yes")
    if contact.opted_out and not opting_in:
        inbound.save()
        return TextReply()
    reference = reference_data_get()
    conversation, turn = _turn_for(
        contact, channel, text, num_media, now, opting_in, reference, new_contact=created
    )
    conversation.texts_received += 1
    if conversation.texts_received > settings.CONVERSATION_MAX_TEXTS:
        turn = _capped(conversation)
    if opting_in:
        contact.opted_out = False
        contact.opted_out_at = None
        turn = Turn(turn.state, (Prompt("opted_in"), *turn.prompts), turn.effects, turn.expect)
    check_in_due = turn_apply(
        turn, conversation=conversation, contact=contact, now=now, contact_changed=opting_in
    )
    inbound.conversation = conversation
    bodies = _bodies(turn.prompts, language=turn.state.language, reference=reference)
    replies = [
        Message(
            contact=contact,
            conversation=conversation,
            direction=Message.Direction.OUTBOUND,
            channel=channel,
            body=reply,
            status="sending",
            via=Message.Via.TWIML,
            purpose=Message.Purpose.REPLY,
        )
        for reply in bodies
    ]
    check_in = (
        check_in_build(conversation=conversation, reference=reference, now=now)
        if check_in_due
        else None
    )
    Message.objects.bulk_create([inbound, *replies] + ([check_in] if check_in else []))
    return TextReply(bodies=bodies, message_ids=tuple(reply.pk for reply in replies))


def _slow_down(phone: str) -> str | None:
    """The one polite answer to a flood, in the number's language when it is known; None
    for a number that opted out (it gets nothing)."""
    known = Contact.objects.filter(phone=phone).values_list("language", "opted_out").first()
    language, opted_out = known or ("en", False)
    if opted_out:
        return None
    return prompt_render(Prompt("slow_down"), language=language, voice=False, reference=None)


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


def _already_received(message_sid: str) -> bool:
    """A Twilio retry: this MessageSid was processed before."""
    return Message.objects.filter(
        direction=Message.Direction.INBOUND, twilio_sid=message_sid
    ).exists()


def _turn_for(
    contact: Contact,
    channel: str,
    text: str,
    num_media: int,
    now: datetime.datetime,
    restart: bool,
    reference: ReferenceData,
    *,
    new_contact: bool,
) -> tuple[Conversation, Turn]:
    today = timezone.localdate(now)
    conversation = None
    if not new_contact:
        conversation = (
            Conversation.objects.select_for_update()
            .filter(contact=contact, channel=channel, status__in=_OPEN_STATUSES)
            .order_by("-updated_at")
            .first()
        )
    idle = datetime.timedelta(hours=settings.CONVERSATION_IDLE_HOURS)
    inbound = Inbound(text=text, has_media=num_media > 0)
    if conversation is not None:
        conversation.contact = contact
    if conversation is not None and not restart and now - conversation.updated_at < idle:
        state = FlowState.from_json(conversation.state)
        turn = flow.advance(state, inbound, voice=False, reference=reference, today=today)
        return conversation, turn
    returning = conversation is not None or (not new_contact and contact.conversations.exists())
    if conversation is not None:
        conversation.status = Conversation.Status.CLOSED
        conversation.save(update_fields=["status", "updated_at"])
    if restart:
        language = "es" if is_spanish_greeting(text) else contact.language
        turn = flow.start(voice=False, language=language, returning=returning)
    else:
        turn = flow.open_text(
            inbound,
            language=contact.language,
            returning=returning,
            reference=reference,
            today=today,
        )
    conversation = Conversation(contact=contact, channel=channel, language=turn.state.language)
    return conversation, turn


def _capped(conversation: Conversation) -> Turn:
    """A conversation past ``CONVERSATION_MAX_TEXTS``: no automatic answer, a person instead
    (the handoff is opened once and reused)."""
    handoff = Effect(EffectKind.HANDOFF, reason=Handoff.Reason.MESSAGE_CAP)
    return Turn(FlowState.from_json(conversation.state), (), (handoff,))


_OPEN_STATUSES = (
    Conversation.Status.ACTIVE,
    Conversation.Status.COMPLETED,
    Conversation.Status.HANDED_OFF,
)


def turn_apply(
    turn: Turn,
    *,
    conversation: Conversation,
    contact: Contact,
    now: datetime.datetime,
    contact_changed: bool,
) -> bool:
    """Store the new state and carry out the turn's effects.

    Returns whether a check-in should be scheduled (an outcome asks for one and this
    conversation has none yet), which the caller does with or after the turn's own messages
    (so transcripts read in order). Only a conversation that already had an outcome can have
    a check-in, so the first outcome needs no query to know there is none.
    """
    first_outcome = not conversation.outcome
    state = turn.state
    conversation.state = state.to_json()
    conversation.step = state.step.value
    conversation.language = state.language
    conversation.last_inbound_at = now
    check_in = False
    for effect in turn.effects:
        if effect.kind is EffectKind.OUTCOME:
            conversation.outcome = effect.outcome
            check_in = check_in or effect.check_in
            if conversation.status == Conversation.Status.ACTIVE:
                conversation.status = Conversation.Status.COMPLETED
    handoffs = [effect for effect in turn.effects if effect.kind is EffectKind.HANDOFF]
    if handoffs:
        conversation.status = Conversation.Status.HANDED_OFF
    conversation.save()
    for effect in handoffs:
        handoff_open(
            conversation=conversation,
            reason=effect.reason,
            priority=effect.priority or Handoff.Priority.NORMAL,
        )
    if contact.language != state.language or contact_changed:
        contact.language = state.language
        contact.save()
    return check_in and (
        first_outcome or not conversation.messages.filter(purpose=Message.Purpose.CHECK_IN).exists()
    )


def _bodies(
    prompts: tuple[Prompt, ...], *, language: str, reference: ReferenceData
) -> tuple[str, ...]:
    """The prompts as message bodies, packed so none is longer than Twilio allows."""
    parts = [prompt_render(p, language=language, voice=False, reference=reference) for p in prompts]
    bodies: list[str] = []
    for part in parts:
        if bodies and len(bodies[-1]) + 2 + len(part) <= MAX_TEXT_LENGTH:
            bodies[-1] = f"{bodies[-1]}\n\n{part}"
        else:
            bodies.append(part[:MAX_TEXT_LENGTH])
    return tuple(bodies)


def contact_opt_out(*, contact: Contact, at: datetime.datetime) -> None:
    """The number gets nothing more from the hotline until it texts START."""
    if not contact.opted_out:
        contact.opted_out = True
        contact.opted_out_at = at
        contact.save(update_fields=["opted_out", "opted_out_at", "updated_at"])


def handoff_open(*, conversation: Conversation, reason: str, priority: str) -> Handoff:
    """A person is needed; an open handoff for the same conversation and reason is reused."""
    existing = (
        Handoff.objects.filter(conversation=conversation, reason=reason)
        .exclude(status=Handoff.Status.RESOLVED)
        .first()
    )
    if existing is not None:
        return existing
    alert = priority == Handoff.Priority.URGENT and bool(settings.HANDOFF_ALERT_EMAILS)
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
    except Exception:
        logger.warning("Urgent handoff %s: alert left for the sweep (broker down)", handoff_id)


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


def check_in_build(
    *, conversation: Conversation, reference: ReferenceData, now: datetime.datetime
) -> Message | None:
    """The check-in ("were you able to reach them?") for ``CHECK_IN_DAYS`` later, unsaved.

    Due in the number's sending hours.

    None when the number has opted out or the outcome names no agency to ask about.
    """
    contact = conversation.contact
    if contact.opted_out:
        return None
    state = FlowState.from_json(conversation.state)
    decision = flow.current_decision(state, reference=reference, today=timezone.localdate(now))
    agency = decision.agency_state if decision else None
    if agency is None:
        return None
    body = prompt_render(
        Prompt("check_in", {"agency": agency.agency_display_name(state.language)}),
        language=state.language,
        voice=False,
        reference=reference,
    )
    due = now + datetime.timedelta(days=settings.CHECK_IN_DAYS)
    return outbox.message_build(
        contact=contact,
        conversation=conversation,
        channel=conversation.channel,
        body=body,
        purpose=Message.Purpose.CHECK_IN,
        send_after=send_window_next(due, contact.phone),
    )


def send_window_next(when: datetime.datetime, phone: str) -> datetime.datetime:
    return next_send_time(
        when,
        phone,
        start=settings.SEND_WINDOW_START_HOUR,
        end=settings.SEND_WINDOW_END_HOUR,
    )


@transaction.atomic
def handoff_reply(*, handoff: Handoff, user, body: str, confirmed: bool = False) -> Message:
    """Staff text the caller, claiming an open handoff; ``blocked`` if the number opted out.

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
    return outbox.message_queue(
        contact=handoff.contact,
        conversation=handoff.conversation,
        channel=channel,
        body=body_clean(body),
        purpose=Message.Purpose.STAFF_REPLY,
    )


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


SIMULATOR_PREFIX = "+1555"


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
    if contact.opted_out:
        contact.opted_out = False
        contact.opted_out_at = None
        contact.save(update_fields=["opted_out", "opted_out_at", "updated_at"])
