"""The queries whose cost must not grow with years of rows, built as the code builds them,
for their EXPLAIN plans (`make bench-volume` prints them; tests/bench/test_plans.py checks
that none reads a big table whole)."""

from __future__ import annotations

import datetime
import json

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases import selectors
from cases.models import Channel, Contact, Conversation, Handoff, Message
from cases.retention import stale_contacts
from hotline.metrics import SETTLED_AFTER

#: Tables that grow with the years; a sequential scan of one of them is a defect.
BIG_TABLES = ("cases_message", "cases_conversation", "cases_contact", "cases_handoff")
PAGE = 100


def hot_queries(*, phone: str, call_sid: str, conversation_id: int) -> dict[str, QuerySet]:
    """Name -> queryset, for an existing caller's ``phone``, a call and a conversation."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(days=365)
    settled = now - SETTLED_AFTER
    month_ago = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(now), datetime.time.min)
    ) - datetime.timedelta(days=29)
    digits = phone[-4:]
    return {
        "text: the caller's contact, locked": Contact.objects.select_for_update().filter(
            phone=phone
        ),
        "text: the open conversation, locked": Conversation.objects.select_for_update()
        .filter(contact__phone=phone, channel=Channel.SMS, status__in=["active", "handed_off"])
        .order_by("-updated_at")[:1],
        "call step: the call, locked": Conversation.objects.select_for_update(of=("self",))
        .select_related("contact")
        .filter(call_sid=call_sid)[:1],
        "handoff queue, first page": selectors.handoff_queue()[:PAGE],
        "conversation list, first page": selectors.conversation_list()[:PAGE],
        "conversation search by whole number": selectors.conversation_list(phone=phone)[:PAGE],
        "search: callers by last digits": Contact.objects.filter(
            Q(phone=phone) | Q(phone__contains=digits)
        ).values_list("pk", flat=True)[:5000],
        "search: their conversations": Conversation.objects.filter(
            contact__in=list(
                Contact.objects.filter(phone__contains=digits).values_list("pk", flat=True)[:5000]
            )
        ).order_by("-updated_at")[:PAGE],
        "a conversation's transcript": Message.objects.filter(
            conversation_id=conversation_id
        ).order_by("created_at", "id"),
        "message list, first page": selectors.message_list()[:PAGE],
        "message list by number": selectors.message_list(phone=phone)[:PAGE],
        "dashboard: conversations per day": Conversation.objects.filter(started_at__gte=month_ago)
        .exclude(contact_id__in=Contact.objects.filter(simulated=True).values("pk"))
        .annotate(day=TruncDate("started_at"))
        .values("day", "channel")
        .annotate(count=Count("id")),
        "dashboard: waiting handoffs": Handoff.objects.exclude(status=Handoff.Status.RESOLVED)
        .exclude(contact_id__in=Contact.objects.filter(simulated=True).values("pk"))
        .values_list("created_at", "priority"),
        "metrics: waiting handoffs": Handoff.objects.exclude(status=Handoff.Status.RESOLVED)
        .values("priority")
        .annotate(n=Count("id")),
        "metrics: settled boundary": Message.objects.filter(created_at__lt=settled)
        .order_by("-created_at")
        .values_list("id", flat=True)[:1],
        "metrics: inbound texts since the boundary": Message.objects.filter(
            direction=Message.Direction.INBOUND, id__gt=_newest_id(Message, settled)
        )
        .values("channel")
        .annotate(n=Count("id")),
        "retention: messages due": Message.objects.filter(created_at__lt=cutoff)
        .filter(~Q(body="") | ~Q(twilio_sid=""))
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000],
        "retention: callers not heard from": stale_contacts(cutoff)
        .filter(pk__in=list(range(1, 1001)))
        .values_list("pk", flat=True),
    }


def _newest_id(model, before: datetime.datetime) -> int:
    return (
        model.objects.filter(created_at__lt=before)
        .order_by("-created_at")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def explain(queryset: QuerySet, **options) -> str:
    """The plan PostgreSQL would use (no ANALYZE, so the locking queries are not run)."""
    return queryset.explain(**options)


#: Plan nodes through which a ``Limit`` above still stops the scan below early.
STREAMING = frozenset({"Limit", "LockRows", "Result", "Gather Merge", "Incremental Sort"})


def full_reads(queryset: QuerySet) -> list[str]:
    """The big tables the plan reads whole: a sequential scan, or an index walked without a
    condition and with no ``Limit`` that stops it early (a page of the list is fine). A
    partial index holds only the rows its predicate wants (waiting handoffs, messages not yet
    erased), so walking it whole is what it is for."""
    found: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NOT NULL")
        partial = {name for (name,) in cursor.fetchall()}

    def walk(node: dict, limited: bool) -> None:
        kind, table = node["Node Type"], node.get("Relation Name")
        unbounded = kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan")
            and "Index Cond" not in node
            and node.get("Index Name") not in partial
            and not limited
        )
        if table in BIG_TABLES and unbounded:
            found.append(f"{kind} on {table}")
        for position, child in enumerate(node.get("Plans", [])):
            keeps = kind in STREAMING or (kind == "Nested Loop" and position == 0)
            walk(child, kind == "Limit" or (limited and keeps))

    walk(json.loads(explain(queryset, format="json"))[0]["Plan"], False)
    return found
