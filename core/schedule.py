"""Periodic jobs, run by the platform's own scheduler: nothing to set up on the user's side (no
cron). `make run` and docker compose start `manage.py run_scheduler` beside the task worker; it
wakes every few seconds and enqueues each job that is due as an ordinary background task, which
the worker runs.

Apps register their jobs when they load (`AppConfig.ready`):

    schedule.every(timedelta(days=1), "tenants.tasks.expire_exports_task")

A job is enqueued at most once per interval, whatever restarts or extra schedulers happen: the
time it was last enqueued is kept in the database and checked under a row lock. The jobs
themselves must be idempotent (a run that the worker crashed in may be repeated next time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    task: str  # dotted path to a django-tasks Task


_jobs: dict[str, Job] = {}


def every(interval: timedelta, task: str, *, name: str | None = None) -> Job:
    job = Job(name=name or task, interval=interval, task=task)
    _jobs[job.name] = job
    return job


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due; returns their names."""
    from .models import ScheduledJob

    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        ScheduledJob.objects.get_or_create(name=job.name)
        with transaction.atomic():
            row = (
                ScheduledJob.objects.select_for_update(skip_locked=True)
                .filter(name=job.name)
                .first()
            )
            if row is None:  # another scheduler is deciding this job right now
                continue
            if row.last_enqueued_at is not None and row.last_enqueued_at + job.interval > now:
                continue
            import_string(job.task).enqueue()
            row.last_enqueued_at = now
            row.save(update_fields=["last_enqueued_at"])
            enqueued.append(job.name)
    return enqueued
