"""Prometheus metrics.

Counts come from the database when scraped, so every web and worker process (and every
replica) reports the same numbers; only webhook latency is measured in process, shared between
gunicorn's workers through files when ``PROMETHEUS_MULTIPROC_DIR`` is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.db.models import Count
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

WEBHOOK_LATENCY = Histogram(
    "hotline_webhook_seconds",
    "Time to answer a Twilio webhook, by URL pattern.",
    ["path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15),
)

#: Outbound statuses that mean a text did not reach the caller.
FAILED_STATUSES = ("failed", "undelivered")


class HotlineCollector:
    """Five aggregate queries at scrape time (rows are never deleted, only emptied by the
    retention purge, so the totals only grow and are exposed as counters)."""

    def collect(self) -> Iterator[Metric]:
        from cases.models import Channel, Conversation, Handoff, Message

        inbound = CounterMetricFamily(
            "hotline_inbound_messages", "Inbound texts received, by channel.", labels=["channel"]
        )
        for row in (
            Message.objects.filter(direction=Message.Direction.INBOUND)
            .exclude(channel=Channel.VOICE)
            .order_by()
            .values("channel")
            .annotate(n=Count("id"))
        ):
            inbound.add_metric([row["channel"]], row["n"])
        yield inbound

        calls = CounterMetricFamily("hotline_calls", "Phone calls received.")
        calls.add_metric([], Conversation.objects.filter(channel=Channel.VOICE).count())
        yield calls

        outcomes = CounterMetricFamily(
            "hotline_outcomes",
            "Conversations that reached an outcome, by channel and outcome code.",
            labels=["channel", "outcome"],
        )
        for row in (
            Conversation.objects.exclude(outcome="")
            .order_by()
            .values("channel", "outcome")
            .annotate(n=Count("id"))
        ):
            outcomes.add_metric([row["channel"], row["outcome"]], row["n"])
        yield outcomes

        handoffs = GaugeMetricFamily(
            "hotline_open_handoffs",
            "Handoffs waiting for staff (open or claimed), by priority.",
            labels=["priority"],
        )
        counts = dict.fromkeys(Handoff.Priority.values, 0)
        for row in (
            Handoff.objects.exclude(status=Handoff.Status.RESOLVED)
            .order_by()
            .values("priority")
            .annotate(n=Count("id"))
        ):
            counts[row["priority"]] = row["n"]
        for priority, n in counts.items():
            handoffs.add_metric([priority], n)
        yield handoffs

        failures = CounterMetricFamily(
            "hotline_outbound_failures",
            "Outbound texts that failed or were not delivered, by Twilio error code.",
            labels=["error_code"],
        )
        for row in (
            Message.objects.filter(direction=Message.Direction.OUTBOUND, status__in=FAILED_STATUSES)
            .order_by()
            .values("error_code")
            .annotate(n=Count("id"))
        ):
            failures.add_metric([row["error_code"] or "none"], row["n"])
        yield failures


def metrics_text() -> bytes:
    """The exposition text: database counts plus webhook latency."""
    registry = CollectorRegistry()
    registry.register(HotlineCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(WEBHOOK_LATENCY)
    return generate_latest(registry)
