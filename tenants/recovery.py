"""What a region export's task undoes before it runs again after its worker died
(core/task_recovery.py): the export goes back from RUNNING to PENDING, so the retry builds it
(lifecycle.build_export does nothing for an export no longer PENDING, which keeps a duplicated
task from building it twice), and the partial archive the dead worker left is removed. The
archive is only renamed to its final name when complete, so a retry never serves half of one."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from core.task_recovery import on_requeue

from .models import ExportState, TenantExport


@on_requeue("tenants.tasks.build_tenant_export")
def reset_export(args: list, kwargs: dict) -> None:
    export_id = kwargs.get("export_id", args[0] if args else None)
    if export_id is None:
        return
    export = TenantExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.state != ExportState.RUNNING:
        return
    export.state = ExportState.PENDING
    export.save(update_fields=["state"])
    for partial in Path(settings.EXPORT_ROOT).glob(
        f"{export.tenant_schema}-*-{export.pk}.zip.part"
    ):
        partial.unlink(missing_ok=True)
