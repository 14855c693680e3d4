"""Background work of the tenant lifecycle, run by the worker (`manage.py db_worker`; inline with
the ImmediateBackend in development and tests). Tasks are enqueued on commit by the actions in
tenants/lifecycle.py and take only primary keys."""

from __future__ import annotations

from django_tasks import task

from . import lifecycle


@task()
def build_tenant_export(export_id: int) -> str | None:
    export = lifecycle.build_export(export_id=export_id)
    return export.state if export is not None else None
