"""Write paths for inbound texts (SMS, MMS, WhatsApp): one text in, the replies out.

An inbound text is handled in one transaction with the caller's contact row locked, so two
quick texts from one number are processed one after the other and none is lost; a Twilio
retry of the same ``MessageSid`` is recognised and changes nothing.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import flow
from cases.bodies import bodies_pack, body_clean
from cases.contacts import contact_locked, contact_opt_in, contact_opt_out
from cases.flow import (
    Effect,
    EffectKind,
    FlowState,
    HandoffReason,
    Inbound,
    Prompt,
    Step,
    Turn,
)
from cases.keywords import Keyword, keyword_of, normalize
from cases.models import Contact, Conversation, Message
from cases.phones import channel_of, phone_normalize
from cases.prompts import prompt_render
from cases.ratelimit import Rate, text_rate
from cases.turns import turn_apply
from routing.reference import ReferenceData
from routing.selectors import reference_data_get

logger = logging.getLogger(__name__)

#: Twilio's Advanced Opt-Out parameter, when a Messaging Service sends it.
OPT_OUT_TYPES = {"STOP": Keyword.STOP, "START": Keyword.START}

_OPEN_STATUSES = (
    Conversation.Status.ACTIVE,
    Conversation.Status.COMPLETED,
    Conversation.Status.HANDED_OFF,
)


@dataclass(frozen=True)
class Reply:
    """One text to answer with; ``message_id`` is its outbound row, which Twilio's status
    callback names (None for a reply that is not logged, such as the one answer to a flood).
    """

    body: str
    message_id: int | None


@dataclass(frozen=True)
class TextReply:
    """What to answer a text with: zero or more messages (none = empty TwiML)."""

    replies: tuple[Reply, ...] = ()


@dataclass(frozen=True)
class TextIn:
    """One inbound text as the turn needs it."""

    contact: Contact
    channel: str
    text: str
    has_media: bool
    now: datetime.datetime


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
    never the usual text, costs queries: to tell a retry from a real error, and to answer it
    with the replies the first delivery got (Twilio retries when that answer was lost).
    """
    phone = phone_normalize(address)
    text = body_clean(body)
    keyword = OPT_OUT_TYPES.get(opt_out_type.upper()) or keyword_of(text)
    # STOP and START are obeyed whatever the rate: never counted, never dropped. A flood is
    # turned away before the transaction, so it never waits for or holds the write lock.
    rate = Rate.ALLOWED if keyword in (Keyword.STOP, Keyword.START) else text_rate(phone)
    if rate is not Rate.ALLOWED:
        logger.warning("Texts from one number over the per-minute limit: not processed")
        slow_down = _slow_down(phone) if rate is Rate.JUST_OVER else None
        return TextReply((Reply(slow_down, None),)) if slow_down else TextReply()
    try:
        return _text_apply(
            channel=channel_of(address),
            phone=phone,
            text=text,
            keyword=keyword,
            message_sid=message_sid,
            num_media=num_media,
        )
    except IntegrityError:
        answered = _answered_before(message_sid)
        if answered is None:
            raise
        return answered


@transaction.atomic
def _text_apply(
    *,
    channel: str,
    phone: str,
    text: str,
    keyword: Keyword | None,
    message_sid: str,
    num_media: int,
) -> TextReply:
    now = timezone.now()
    contact, created = contact_locked(phone, now)
    inbound = Message(
        contact=contact,
        direction=Message.Direction.INBOUND,
        channel=channel,
        body=text,
        twilio_sid=message_sid,
        status=Message.Status.RECEIVED,
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
    text_in = TextIn(contact, channel, text, has_media=num_media > 0, now=now)
    conversation, turn = _turn_for(
        text_in, restart=opting_in, new_contact=created, reference=reference
    )
    if opting_in:
        contact_opt_in(contact=contact)
        turn = Turn(turn.state, (Prompt("opted_in"), *turn.prompts), turn.effects, turn.expect)
    check_in = turn_apply(
        turn, conversation=conversation, contact=contact, reference=reference, now=now
    )
    inbound.conversation = conversation
    bodies = bodies_pack(turn.prompts, language=turn.state.language, reference=reference)
    replies = [
        Message(
            contact=contact,
            conversation=conversation,
            direction=Message.Direction.OUTBOUND,
            channel=channel,
            body=reply,
            status=Message.Status.SENT,
            via=Message.Via.TWIML,
            purpose=Message.Purpose.REPLY,
        )
        for reply in bodies
    ]
    Message.objects.bulk_create([inbound, *replies] + ([check_in] if check_in else []))
    return TextReply(tuple(Reply(reply.body, reply.pk) for reply in replies))


def _slow_down(phone: str) -> str | None:
    """The one polite answer to a flood, in the number's language when it is known; None
    for a number that opted out (it gets nothing)."""
    known = Contact.objects.filter(phone=phone).values_list("language", "opted_out").first()
    language, opted_out = known or ("en", False)
    if opted_out:
        return None
    return prompt_render(Prompt("slow_down"), language=language, voice=False, reference=None)


def _answered_before(message_sid: str) -> TextReply | None:
    """For a Twilio retry (this MessageSid was processed before), the replies its first
    delivery got, as the same rows so delivery reports land on them: the TwiML replies of
    its conversation after it and before the caller's next text. None if it is not a retry.
    """
    inbound = (
        Message.objects.filter(direction=Message.Direction.INBOUND, twilio_sid=message_sid)
        .values_list("pk", "conversation_id")
        .first()
    )
    if inbound is None:
        return None
    pk, conversation_id = inbound
    if conversation_id is None:
        return TextReply()  # STOP, or a text from an opted-out number: nothing was said
    later = Message.objects.filter(conversation_id=conversation_id, pk__gt=pk)
    next_inbound = (
        later.filter(direction=Message.Direction.INBOUND)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if next_inbound is not None:
        later = later.filter(pk__lt=next_inbound)
    replies = (
        later.filter(
            direction=Message.Direction.OUTBOUND,
            via=Message.Via.TWIML,
            purpose=Message.Purpose.REPLY,
        )
        .order_by("pk")
        .values_list("body", "pk")
    )
    return TextReply(tuple(Reply(body, reply_pk) for body, reply_pk in replies))


def _turn_for(
    text_in: TextIn, *, restart: bool, new_contact: bool, reference: ReferenceData
) -> tuple[Conversation, Turn]:
    """The text's conversation and the flow's turn: the open one advanced, or a new one
    (after START, after ``CONVERSATION_IDLE_HOURS`` of silence, ``CHECK_IN_DAYS`` after a
    check-in, or the first ever)."""
    contact, now = text_in.contact, text_in.now
    today = timezone.localdate(now)
    conversation = None
    if not new_contact:
        conversation = (
            Conversation.objects.select_for_update()
            .filter(contact=contact, channel=text_in.channel, status__in=_OPEN_STATUSES)
            .order_by("-updated_at")
            .first()
        )
    inbound = Inbound(text=text_in.text, has_media=text_in.has_media)
    if conversation is not None:
        conversation.contact = contact
    if (
        conversation is not None
        and not restart
        and now - conversation.updated_at < _idle(conversation)
    ):
        conversation.texts_received += 1
        if conversation.texts_received > settings.CONVERSATION_MAX_TEXTS:
            return conversation, _capped(conversation)
        state = FlowState.from_json(conversation.state)
        turn = flow.advance(state, inbound, voice=False, reference=reference, today=today)
        return conversation, turn
    returning = conversation is not None or (not new_contact and contact.conversations.exists())
    if conversation is not None:
        conversation.status = Conversation.Status.CLOSED
        conversation.save(update_fields=["status", "updated_at"])
    if restart:
        turn = flow.start(voice=False, language=contact.language, returning=returning)
    else:
        turn = flow.open_text(
            inbound,
            language=contact.language,
            returning=returning,
            reference=reference,
            today=today,
        )
    conversation = Conversation(
        contact=contact, channel=text_in.channel, language=turn.state.language, texts_received=1
    )
    return conversation, turn


def _idle(conversation: Conversation) -> datetime.timedelta:
    """How long a conversation waits for the next text before one starts over: a day, or
    ``CHECK_IN_DAYS`` for the answer to a check-in (parents answer when they can, and a NO
    must still reach a person)."""
    if conversation.step == Step.CHECK_IN:
        return datetime.timedelta(days=settings.CHECK_IN_DAYS)
    return datetime.timedelta(hours=settings.CONVERSATION_IDLE_HOURS)


def _capped(conversation: Conversation) -> Turn:
    """A conversation past ``CONVERSATION_MAX_TEXTS``: a person instead of the flow (which
    does not run), the handoff opened once and reused. The text crossing the cap is told that
    someone will contact them; later ones get no automatic answer."""
    handoff = Effect(EffectKind.HANDOFF, reason=HandoffReason.MESSAGE_CAP)
    crossing = conversation.texts_received == settings.CONVERSATION_MAX_TEXTS + 1
    told = (Prompt("handoff", {"capped": True}),) if crossing else ()
    return Turn(FlowState.from_json(conversation.state), told, (handoff,))
