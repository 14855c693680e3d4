"""Background work of the search indexes (the worker runs it; the scheduler retries it)."""

from __future__ import annotations

from django_tasks import task

from . import index


@task()
def apply_outbox_task() -> dict:
    return index.apply_outbox()
