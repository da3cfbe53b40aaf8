"""A message's two statuses: the hotline's lifecycle and Twilio's report, the migration that
split the one column into them, and the words the API and staff still see."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.display import message_status_label, message_status_reported
from cases.models import Contact, Message
from cases.serializers import MessageSerializer

pytestmark = pytest.mark.django_db

SPLIT = "0010_message_delivery_status"
split = importlib.import_module(f"cases.migrations.{SPLIT}")

#: (old single status, direction, via, Twilio SID) -> (status, delivery_status) after the split;
#: every row has a body but the last two, which the retention purge emptied.
ROWS = [
    (("received", "inbound", "", "SMin"), ("received", "")),
    (("spoken", "outbound", "twiml", ""), ("spoken", "")),
    (("sending", "outbound", "twiml", ""), ("sent", "")),
    (("delivered", "outbound", "twiml", "SMtwiml"), ("sent", "delivered")),
    (("failed", "outbound", "twiml", ""), ("sent", "failed")),
    (("delivered", "outbound", "rest", "SMdelivered"), ("sent", "delivered")),
    (("sent", "outbound", "rest", "SMsent"), ("sent", "sent")),
    (("read", "outbound", "rest", "SMread"), ("sent", "read")),
    (("undelivered", "outbound", "rest", ""), ("sent", "undelivered")),
    (("queued", "outbound", "rest", "SMqueued"), ("sent", "queued")),
    (("queued", "outbound", "rest", ""), ("queued", "")),
    (("scheduled", "outbound", "rest", ""), ("scheduled", "")),
    (("sending", "outbound", "rest", ""), ("sending", "")),
    (("sending", "outbound", "rest", "SMsending"), ("sent", "")),
    (("failed", "outbound", "rest", ""), ("failed", "")),
    (("failed", "outbound", "rest", "SMfailed"), ("sent", "failed")),
    (("canceled", "outbound", "rest", ""), ("canceled", "")),
    (("canceled", "outbound", "rest", "SMcanceled"), ("sent", "canceled")),
    (("blocked", "outbound", "rest", ""), ("blocked", "")),
    (("queued", "outbound", "rest", ""), ("sent", "queued")),
    (("sending", "outbound", "rest", ""), ("sent", "")),
]
ERASED = 2


@pytest.fixture
def old_rows():
    """Rows as the single column left them (the model does not stop a bare string)."""
    contact = Contact.objects.create(phone="+15125550177")
    return [
        Message.objects.create(
            contact=contact,
            direction=direction,
            channel="voice" if old == "spoken" else "sms",
            body="" if n >= len(ROWS) - ERASED else "hello",
            via=via,
            twilio_sid=sid,
            status=old,
        )
        for n, ((old, direction, via, sid), _) in enumerate(ROWS)
    ]


def _migration_apps():
    """The models as the migration sees them, from the project's real migration graph."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("cases", SPLIT)).apps


def test_the_migration_splits_each_old_status(old_rows):
    split.statuses_split(_migration_apps(), None)
    found = [
        (row.status, row.delivery_status)
        for row in Message.objects.filter(pk__in=[r.pk for r in old_rows]).order_by("pk")
    ]
    assert found == [expected for _, expected in ROWS]


def test_the_api_shows_what_the_single_column_said(old_rows):
    split.statuses_split(_migration_apps(), None)
    shown = [
        MessageSerializer(row).data["status"]
        for row in Message.objects.filter(pk__in=[r.pk for r in old_rows]).order_by("pk")
    ]
    assert shown == [old for (old, *_), _ in ROWS]


def test_the_migration_reverses_to_the_single_column(old_rows):
    apps = _migration_apps()
    split.statuses_split(apps, None)
    split.statuses_join(apps, None)
    back = list(
        Message.objects.filter(pk__in=[r.pk for r in old_rows])
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert back == [old for (old, *_), _ in ROWS]


def test_pending_outbox_rows_are_only_the_outbox_own(old_rows):
    """Twilio's "queued" and emptied history no longer sit in the outbox's partial index."""
    split.statuses_split(_migration_apps(), None)
    pending = Message.objects.filter(status__in=["queued", "scheduled", "sending"])
    assert sorted(pending.values_list("body", "twilio_sid", "status")) == [
        ("hello", "", "queued"),
        ("hello", "", "scheduled"),
        ("hello", "", "sending"),
    ]


@pytest.mark.parametrize(
    ("status", "delivery_status", "via", "error_code", "label"),
    [
        ("sent", "", "twiml", "", "answered in TwiML"),
        ("sent", "delivered", "twiml", "", "delivered"),
        ("spoken", "", "twiml", "", "spoken on the call"),
        ("queued", "", "rest", "20429", "retrying (error 20429)"),
        ("queued", "", "rest", "", "queued"),
        ("failed", "", "rest", "21211", "failed (error 21211)"),
        ("sent", "failed", "rest", "30007", "failed (error 30007)"),
        ("sent", "undelivered", "rest", "30003", "undelivered"),
        ("blocked", "", "rest", "63016", "blocked"),
        ("received", "", "", "", "received"),
    ],
)
def test_staff_read_the_same_words(status, delivery_status, via, error_code, label):
    assert (
        message_status_label(
            status=status, delivery_status=delivery_status, via=via, error_code=error_code
        )
        == label
    )


def test_a_report_outranks_the_lifecycle_in_the_api():
    assert message_status_reported(status="sent", delivery_status="read") == "read"
    assert message_status_reported(status="sent", delivery_status="") == "sending"
    assert message_status_reported(status="blocked", delivery_status="") == "blocked"
