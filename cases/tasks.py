"""Celery tasks: thin wrappers around the outbox, retention and alert services."""

from __future__ import annotations

from celery import shared_task

from cases import handoffs, outbox, retention


@shared_task(acks_late=True, ignore_result=True)
def send_message(message_id: int) -> str:
    """Send one outbox message; a transient failure schedules the next try."""
    outcome = outbox.message_send(message_id=message_id)
    if outcome.retry_in is not None:
        send_message.apply_async((message_id,), countdown=outcome.retry_in)
    return outcome.status


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Send what lost tasks left behind (texts, urgent alerts), and scheduled texts due."""
    due = outbox.outbox_sweep()
    for message_id in due:
        send_message.delay(message_id)
    for handoff_id in handoffs.handoff_alerts_due():
        alert_urgent_handoff.delay(handoff_id)
    return len(due)


@shared_task(ignore_result=True)
def purge_personal_data() -> int:
    return retention.personal_data_purge()


@shared_task(acks_late=True, ignore_result=True)
def alert_urgent_handoff(handoff_id: int) -> None:
    handoffs.handoff_alert_send(handoff_id=handoff_id)
