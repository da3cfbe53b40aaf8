"""Prometheus metrics. Counts come from the database when scraped, so every web and worker
process agrees; only webhook latency is measured in process (multiprocess mode when
``PROMETHEUS_MULTIPROC_DIR`` is set, as gunicorn with several workers needs)."""

from __future__ import annotations

import os

from django.db.models import Count
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

WEBHOOK_LATENCY = Histogram(
    "hotline_webhook_seconds",
    "Time to answer a Twilio webhook, by path.",
    ["path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15),
)


class HotlineCollector:
    """Aggregates read at scrape time (a handful of indexed GROUP BY queries)."""

    def collect(self):
        from cases.models import Conversation, Handoff, Message

        inbound = GaugeMetricFamily(
            "hotline_inbound_messages", "Inbound texts stored, by channel.", labels=["channel"]
        )
        for row in (
            Message.objects.filter(direction=Message.Direction.INBOUND)
            .values("channel")
            .annotate(n=Count("id"))
        ):
            inbound.add_metric([row["channel"]], row["n"])
        calls = GaugeMetricFamily("hotline_calls", "Phone calls received.")
        calls.add_metric([], Conversation.objects.filter(channel="voice").count())
        outcomes = GaugeMetricFamily(
            "hotline_outcomes",
            "Conversations that reached an outcome, by code.",
            labels=["outcome"],
        )
        for row in (
            Conversation.objects.exclude(outcome="").values("outcome").annotate(n=Count("id"))
        ):
            outcomes.add_metric([row["outcome"]], row["n"])
        handoffs = GaugeMetricFamily(
            "hotline_open_handoffs", "Handoffs not yet resolved, by priority.", labels=["priority"]
        )
        for row in (
            Handoff.objects.exclude(status=Handoff.Status.RESOLVED)
            .values("priority")
            .annotate(n=Count("id"))
        ):
            handoffs.add_metric([row["priority"]], row["n"])
        failures = GaugeMetricFamily(
            "hotline_outbound_failures",
            "Outbound texts that failed or were not delivered, by Twilio error code.",
            labels=["error_code"],
        )
        for row in (
            Message.objects.filter(
                direction=Message.Direction.OUTBOUND, status__in=["failed", "undelivered"]
            )
            .values("error_code")
            .annotate(n=Count("id"))
        ):
            failures.add_metric([row["error_code"] or "none"], row["n"])
        yield from (inbound, calls, outcomes, handoffs, failures)


def metrics_text() -> bytes:
    """The exposition text: database counts plus webhook latency."""
    registry = CollectorRegistry()
    registry.register(HotlineCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(WEBHOOK_LATENCY)
    return generate_latest(registry)
