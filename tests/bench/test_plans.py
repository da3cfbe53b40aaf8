"""The hot queries' plans read the big tables through indexes (PostgreSQL only; CI runs it).

How the check is made meaningful. At a test's size a sequential scan is the planner's right
choice (a few thousand rows fit in a handful of pages), so the plan at default settings says
nothing about two years of rows, and filling millions of rows is `make bench-volume`'s job,
not a test's. So the database gets the bench's own generated rows (``SIZES``), ANALYZEd so the
statistics are real, and each plan is made with ``enable_seqscan = off``. That setting only
makes a sequential scan look very expensive: when no index can serve a query, PostgreSQL
still scans the table, and the plan shows it. A ``Seq Scan`` on a big table under it means
no index matches the query's filter or order, the defect that makes a query's cost grow
with the years. (What the planner actually picks at full size is in docs/performance.md.)
"""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.hot_queries import explain, full_reads, hot_queries
from bench.volume_fill import Sizes, fill_in_transaction
from cases.models import Conversation

#: The messages, conversations and handoffs at 1/100 of the national size; callers at 1/5, as
#: the staff search by a number's last digits compares a trigram index with walking every
#: caller, and the walk looks cheaper to the planner until there are many callers.
SIZES = Sizes(contacts=200_000, conversations=20_000, messages=200_000, handoffs=2_000)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans need PostgreSQL (CI runs it)"
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def filled():
    with connection.cursor() as cursor:
        fill_in_transaction(cursor, SIZES, timezone.now(), settings.RETENTION_DAYS)
        cursor.execute("SET LOCAL enable_seqscan = off")
    call = Conversation.objects.exclude(call_sid="").order_by("-id").first()
    text = Conversation.objects.filter(channel="sms").order_by("-id").first()
    return {
        "phone": text.contact.phone,
        "call_sid": call.call_sid,
        "conversation_id": text.pk,
    }


def test_no_hot_query_reads_a_big_table_from_end_to_end(filled):
    queries = hot_queries(**filled)
    scanned = {name: full_reads(query) for name, query in queries.items() if full_reads(query)}
    assert scanned == {}, "\n\n".join(f"{name}:\n{explain(queries[name])}" for name in scanned)


def test_the_check_sees_a_sequential_scan():
    """A query no index serves (words of the TwiML) is caught, so the check above can fail."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    unindexed = Conversation.objects.filter(last_twiml__contains="Gather")
    assert full_reads(unindexed.order_by()) == ["Seq Scan on cases_conversation"]
    assert full_reads(unindexed) == ["Index Scan on cases_conversation"]  # newest first
    assert full_reads(unindexed[:100]) == []  # a page: the walk stops after 100 rows


def test_the_fill_is_two_years_with_the_purged_part_erased(filled):
    oldest = Conversation.objects.order_by("started_at").first().started_at
    assert timezone.now() - oldest > datetime.timedelta(days=729)
    assert Conversation.objects.count() == 20_000


def test_the_oldest_pending_text_is_read_from_the_outbox_index(filled):
    """/metrics keeps its settled boundary below the oldest text the outbox still has to
    send. Those are among the newest rows, so a plan walking the primary key from the first
    row reads nearly the whole table before it finds one."""
    from hotline.metrics import oldest_pending

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_message SET status = 'scheduled' WHERE direction = 'outbound'"
            " AND id > (SELECT max(id) - 2000 FROM cases_message)"
        )
        cursor.execute("ANALYZE cases_message")
    plan = explain(oldest_pending())
    assert "outbox_pending" in plan
    assert "cases_message_pkey" not in plan
