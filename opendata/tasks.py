"""The open-data files' renewal, run by the worker (scheduled every 15 minutes: apps.py)."""

from __future__ import annotations

from django_tasks import task

from . import building


@task()
def refresh_task() -> dict:
    return building.refresh()
