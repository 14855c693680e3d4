"""Background work of the tenant lifecycle, run by the worker (`manage.py db_worker`; inline with
the ImmediateBackend in development and tests). Tasks are enqueued on commit by the actions in
tenants/region_lifecycle.py and take only primary keys."""

from __future__ import annotations

from django_tasks import task

from . import region_lifecycle


@task()
def build_tenant_export(export_id: int) -> str | None:
    export = region_lifecycle.build_export(export_id=export_id)
    return export.state if export is not None else None


# Daily housekeeping, enqueued by the platform's scheduler (core/schedule.py; registered in
# tenants/apps.py). Both are idempotent, as the scheduler requires.
@task()
def expire_exports_task() -> dict:
    return region_lifecycle.expire_exports()


@task()
def purge_deleted_regions_task() -> dict:
    purged, skipped = region_lifecycle.purge_deleted_regions()
    return {"purged": list(purged), "skipped": [str(s) for s in skipped]}
