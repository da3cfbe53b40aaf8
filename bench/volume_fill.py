"""Two years of a national hotline, written by PostgreSQL itself (``INSERT … SELECT`` over
``generate_series``: no row crosses the wire, so 20 million messages take minutes).

At ``scale=1``: 1,000,000 contacts, 2,000,000 conversations (10 messages each, 20,000,000
messages) and 200,000 handoffs, spread evenly over the 730 days before ``now``. Everything
is a pure function of the row number (no ``random()``), so a run is reproducible and each
message can name its conversation's contact without a join. What the retention purge erases
is already erased for rows older than ``RETENTION_DAYS`` plus a day, as years of purges every
6 hours would have left it; the last day before the cutoff is left for the purge to do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from routing.engine import Outcome

DAYS = 730
MESSAGES_PER_CONVERSATION = 10
#: Tables the fill writes, biggest last (their secondary indexes are rebuilt after the fill).
TABLES = ("cases_contact", "cases_conversation", "cases_handoff", "cases_message")


@dataclass(frozen=True)
class Sizes:
    contacts: int
    conversations: int
    messages: int
    handoffs: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        conversations = max(20, int(2_000_000 * scale))
        return cls(
            contacts=max(10, int(1_000_000 * scale)),
            conversations=conversations,
            messages=conversations * MESSAGES_PER_CONVERSATION,
            handoffs=max(2, int(200_000 * scale)),
        )


def _sql_array(values) -> str:
    return "ARRAY[" + ",".join(f"'{value}'" for value in values) + "]"


OUTCOMES = _sql_array(outcome.value for outcome in Outcome)
COUNTRIES = _sql_array(["DE", "MX", "GB", "CA-QC", "FR", "ES", "IN", "PH", "PL", "BR"])


def _expressions(sizes: Sizes, now: datetime.datetime, retention_days: int) -> dict[str, str]:
    """SQL for the per-row values, in terms of the series variable ``g`` (the row number)."""
    start = f"(TIMESTAMPTZ '{now.isoformat()}' - INTERVAL '{DAYS} days')"
    erased_before = f"(TIMESTAMPTZ '{now.isoformat()}' - INTERVAL '{retention_days + 1} days')"
    span = f"INTERVAL '{DAYS} days'"
    # A conversation's contact: one who existed when it started (contacts are created evenly
    # over the span too), spread by PostgreSQL's integer hash.
    contact_of = (
        f"(1 + (abs(hashint8({{g}}::bigint)::bigint) % GREATEST(1, CEIL({{g}}::numeric * "
        f"{sizes.contacts} / {sizes.conversations}))::bigint))"
    )
    started = f"({start} + {span} * (({{g}}::numeric - 0.5) / {sizes.conversations}))"
    channel = "(CASE {g} % 4 WHEN 0 THEN 'voice' WHEN 1 THEN 'whatsapp' ELSE 'sms' END)"
    return {
        "start": start,
        "erased_before": erased_before,
        "span": span,
        "contact_of": contact_of,
        "started": started,
        "channel": channel,
    }


def statements(
    sizes: Sizes, now: datetime.datetime, retention_days: int, *, chunk: int = 1_000_000
) -> list[tuple[str, str]]:
    """(label, SQL) in order; the messages in chunks of ``chunk`` rows (each one statement,
    so two connections can write chunks side by side)."""
    x = _expressions(sizes, now, retention_days)
    conv = {key: value.format(g="c") for key, value in x.items() if "{g}" in value}
    out = [
        (
            "contacts",
            f"""INSERT INTO cases_contact
            (id, phone, language, opted_out, simulated, created_at, updated_at)
            SELECT g, '+1' || (2000000000 + g)::text, CASE WHEN g % 5 = 0 THEN 'es' ELSE 'en'
                END, g % 500 = 0, false,
                {x["start"]} + {x["span"]} * ((g - 1)::numeric / {sizes.contacts}),
                {x["start"]} + {x["span"]} * ((g - 1)::numeric / {sizes.contacts})
            FROM generate_series(1, {sizes.contacts}) AS g""",
        ),
        (
            "conversations",
            f"""INSERT INTO cases_conversation
            (id, contact_id, channel, language, step, state, status, outcome, started_at,
             updated_at, last_inbound_at, texts_received, call_sid, call_step, last_twiml,
             summary_requested)
            SELECT c, {conv["contact_of"]}, {conv["channel"]},
                CASE WHEN c % 5 = 0 THEN 'es' ELSE 'en' END, 'done',
                jsonb_build_object('step', 'done',
                    'caller', CASE c % 3 WHEN 0 THEN 'us_state:US-TX' WHEN 1 THEN 'us_state:US-CA'
                        ELSE 'foreign:MX' END,
                    'other_parent', 'foreign:' || ({COUNTRIES})[c % 10 + 1],
                    'outcome', ({OUTCOMES})[c % 15 + 1]),
                CASE WHEN {conv["started"]} > TIMESTAMPTZ '{now.isoformat()}' - INTERVAL '1 hour'
                    THEN 'active' ELSE 'completed' END,
                CASE WHEN c % 20 < 17 THEN ({OUTCOMES})[c % 15 + 1] ELSE '' END,
                {conv["started"]}, {conv["started"]} + INTERVAL '3 minutes',
                {conv["started"]} + INTERVAL '3 minutes', {MESSAGES_PER_CONVERSATION // 2},
                CASE WHEN c % 4 = 0 THEN 'CA' || lpad(c::text, 32, '0') ELSE '' END,
                CASE WHEN c % 4 = 0 THEN 6 ELSE 0 END, '', false
            FROM generate_series(1, {sizes.conversations}) AS c""",
        ),
        (
            "handoffs",
            f"""INSERT INTO cases_handoff
            (id, conversation_id, contact_id, reason, priority, status, notes, recording_url,
             alert_due, created_at, claimed_at, resolved_at)
            SELECT h, c, {conv["contact_of"]},
                CASE h % 10 WHEN 0 THEN 'abduction' WHEN 1 THEN 'voicemail'
                    WHEN 2 THEN 'check_in' WHEN 3 THEN 'unrecognized' ELSE 'requested' END,
                CASE WHEN h % 10 = 0 THEN 'urgent' ELSE 'normal' END,
                CASE WHEN at < TIMESTAMPTZ '{now.isoformat()}' - INTERVAL '3 days'
                    THEN 'resolved' WHEN h % 2 = 0 THEN 'open' ELSE 'claimed' END,
                CASE WHEN at < {x["erased_before"]} THEN ''
                    ELSE 'Called back; gave the agency''s number.' END,
                '', false, at, at + INTERVAL '10 minutes', CASE WHEN at <
                    TIMESTAMPTZ '{now.isoformat()}' - INTERVAL '3 days'
                    THEN at + INTERVAL '1 hour' END
            FROM generate_series(1, {sizes.handoffs}) AS h,
                LATERAL (SELECT GREATEST(1, h * {sizes.conversations // sizes.handoffs} - 3)
                    AS c) AS picked,
                LATERAL (SELECT {conv["started"]} + INTERVAL '2 minutes' AS at) AS stamped""",
        ),
    ]
    for first in range(1, sizes.messages + 1, chunk):
        last = min(sizes.messages, first + chunk - 1)
        out.append((f"messages {first:,}-{last:,}", _messages(sizes, x, first, last)))
    return out


INBOUND_BODY = "I live in Texas and the father of my children lives in Germany, what can I do?"
OUTBOUND_BODY = (
    "You can ask for child support through the Hague Convention: contact the Texas Attorney "
    "General Child Support Division at 800-252-8014. They work with the German central "
    "authority for you. Reply MENU to start again or AGENT for a person."
)


def _messages(sizes: Sizes, x: dict[str, str], first: int, last: int) -> str:
    conv = {key: x[key].format(g="c") for key in ("contact_of", "started", "channel")}
    return f"""INSERT INTO cases_message
        (id, contact_id, conversation_id, direction, channel, body, twilio_sid, status,
         delivery_status, error_code, error_message, via, purpose, attempts, created_at,
         updated_at)
        SELECT m, {conv["contact_of"]}, c, CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound'
            END, {conv["channel"]},
            CASE WHEN at < {x["erased_before"]} THEN ''
                WHEN i % 2 = 0 THEN '{INBOUND_BODY}' ELSE '{OUTBOUND_BODY}' END,
            CASE WHEN at < {x["erased_before"]} THEN ''
                ELSE 'SM' || lpad(m::text, 32, '0') END,
            CASE WHEN i % 2 = 0 THEN 'received' ELSE 'sent' END,
            CASE WHEN i % 2 = 0 THEN '' WHEN m % 200 = 1 THEN 'undelivered'
                ELSE 'delivered' END,
            CASE WHEN i % 2 = 1 AND m % 200 = 1 THEN '30003' ELSE '' END, '',
            CASE WHEN i % 2 = 0 THEN '' ELSE 'twiml' END,
            CASE WHEN i % 2 = 0 THEN '' ELSE 'reply' END, 0, at, at
        FROM generate_series({first}, {last}) AS m,
            LATERAL (SELECT (m - 1) / {MESSAGES_PER_CONVERSATION} + 1 AS c,
                (m - 1) % {MESSAGES_PER_CONVERSATION} AS i) AS parts,
            LATERAL (SELECT {conv["started"]} + INTERVAL '20 seconds' * i AS at) AS stamped"""


def finishing(now: datetime.datetime, retention_days: int) -> list[tuple[str, str]]:
    """After the rows: the sequences past them, and callers not heard from in the retention
    period erased, as the purges would have left them."""
    out = [
        (
            f"sequence {table}",
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
        )
        for table in TABLES
    ]
    erased_before = f"TIMESTAMPTZ '{now.isoformat()}' - INTERVAL '{retention_days + 1} days'"
    out.append(
        (
            "erased callers",
            f"""UPDATE cases_contact AS c SET phone = 'erased-' || c.id
            WHERE c.created_at < {erased_before} AND NOT EXISTS (
                SELECT 1 FROM cases_message AS m
                WHERE m.contact_id = c.id AND m.created_at >= {erased_before})""",
        )
    )
    return out


def fill_in_transaction(cursor, sizes: Sizes, now: datetime.datetime, retention_days: int):
    """The whole fill on one cursor (the tests' small databases), then ANALYZE."""
    for _, sql in statements(sizes, now, retention_days) + finishing(now, retention_days):
        cursor.execute(sql)
    for table in TABLES:
        cursor.execute(f"ANALYZE {table}")
