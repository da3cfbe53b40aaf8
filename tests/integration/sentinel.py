"""A task the test workers also load: it creates a file, so a test sees when a worker has
reached it. A worker running one task at a time, in order, has then finished every task
queued before it, which proves that something did not happen without sleeping."""

from pathlib import Path

from celery import shared_task


@shared_task(ignore_result=True)
def touch(path: str) -> None:
    Path(path).touch()
