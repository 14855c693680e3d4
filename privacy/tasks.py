"""Background work of the personal-data requests, run by the worker; tasks take primary keys
only. The two periodic jobs are registered in privacy/apps.py and are idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def build_personal_export(export_id: int) -> str | None:
    from . import exports

    export = exports.build(export_id=export_id)
    return export.state if export is not None else None


@task()
def remind_due_requests_task() -> int:
    from . import requests

    return requests.remind_due()


@task()
def enforce_retention_task() -> dict:
    from . import retention

    return retention.enforce()
