"""Platform staff's tenant lifecycle actions: suspend (read-only), reactivate, export (in the
background worker, kept for JEJARING_EXPORT_TTL_DAYS), delete (scheduled, restorable for
JEJARING_DELETION_GRACE_DAYS, then purged by `manage.py purge_deleted_regions`)."""

from __future__ import annotations

import json
import logging
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import FileField
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from core.actions import top_level
from core.errors import Conflict, Forbidden, NotFound
from core.hosts import platform_url
from core.mail import send_templated_email_on_commit

from . import audit, region_public_rows, signals
from .errors import ErrorCode
from .models import (
    AuditEvent,
    ExportState,
    Invitation,
    Membership,
    Tenant,
    TenantExport,
    TenantStatus,
)
from .policy import Perm, has_platform_perm
from .validators import required_reason

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 2  # 2: public.json, the region's public-schema rows
# An export still waiting or running after this long was lost (a worker that died).
EXPORT_STALE_AFTER = timedelta(days=1)


def platform_time_zone() -> ZoneInfo:
    """Times shown to people (and in export file names) are in the platform's zone (WIB)."""
    return ZoneInfo(settings.TIME_ZONE)


def _platform_link(name: str, *args) -> str:
    # The worker has no request: reverse in the platform's URL conf explicitly.
    return platform_url(reverse(name, args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF))


def _require_staff(user) -> None:
    if not has_platform_perm(user, Perm.MANAGE_TENANTS):
        raise Forbidden(_("Only platform staff manage regions' tenants."))


def _lock(tenant: Tenant) -> Tenant:
    """Lock the tenant's row and refresh the caller's instance from it (callers keep using it)."""
    list(Tenant.objects.select_for_update().filter(pk=tenant.pk).values_list("pk"))
    tenant.refresh_from_db()
    return tenant


def _refuse_if_pending_deletion(tenant: Tenant) -> None:
    if tenant.is_pending_deletion:
        raise Conflict(
            _("%(region)s is being deleted. Restore it first.") % {"region": tenant.name},
            code=ErrorCode.TENANT_PENDING_DELETION,
        )


@top_level
def suspend_tenant(*, tenant: Tenant, acting_user, reason: str) -> Tenant:
    _require_staff(acting_user)
    reason = required_reason(reason, _("Say why the region is suspended; its members will see it."))
    with transaction.atomic():
        tenant = _lock(tenant)
        _refuse_if_pending_deletion(tenant)
        tenant.status = TenantStatus.SUSPENDED
        tenant.suspended_reason = reason
        tenant.save(update_fields=["status", "suspended_reason"])
        audit.record(
            "tenant.suspended",
            actor=acting_user,
            tenant=tenant,
            obj=tenant,
            data={"reason": reason},
        )
    return tenant


@top_level
def reactivate_tenant(*, tenant: Tenant, acting_user) -> Tenant:
    _require_staff(acting_user)
    with transaction.atomic():
        tenant = _lock(tenant)
        _refuse_if_pending_deletion(tenant)
        tenant.status = TenantStatus.ACTIVE
        tenant.suspended_reason = ""
        tenant.save(update_fields=["status", "suspended_reason"])
        audit.record("tenant.reactivated", actor=acting_user, tenant=tenant, obj=tenant)
    return tenant


def tenant_media_dir(tenant: Tenant) -> Path:
    """Where the tenant-aware storage keeps this region's files."""
    with tenant_context(tenant):
        return Path(default_storage.path(""))


def _workspace_models():
    for app_label in settings.TENANT_APPS:
        yield from apps.get_app_config(app_label.rsplit(".", 1)[-1]).get_models()


def _dump(rows) -> str:
    return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _export_expiry(export: TenantExport, finished):
    ttl = timedelta(days=settings.JEJARING_EXPORT_TTL_DAYS)
    expires = finished + ttl
    tenant = export.tenant
    if export.is_final and tenant is not None and tenant.purge_after is not None:
        # A deleted region's final export is kept until a TTL after the region is purged.
        expires = max(expires, tenant.purge_after + ttl)
    return expires


def _create_export(tenant: Tenant, acting_user, *, final: bool) -> TenantExport:
    """Inside the caller's transaction: the row, and the worker's task once it commits."""
    from .tasks import build_tenant_export

    export = TenantExport.objects.create(
        tenant=tenant,
        tenant_schema=tenant.schema_name,
        tenant_name=tenant.name,
        requested_by=acting_user,
        is_final=final,
    )
    transaction.on_commit(lambda: build_tenant_export.enqueue(export.pk))
    return export


@top_level
def request_export(*, tenant: Tenant, acting_user) -> TenantExport:
    """Queue an export of the region for the background worker; the requester is e-mailed a
    link when it is ready."""
    _require_staff(acting_user)
    with transaction.atomic():
        tenant = _lock(tenant)
        export = _create_export(tenant, acting_user, final=False)
        audit.record(
            "tenant.export_requested",
            actor=acting_user,
            tenant=tenant,
            obj=export,
            data={"export": export.pk},
        )
    return export


def _write_archive(tenant: Tenant, export: TenantExport, started) -> Path:
    """One ZIP archive: the workspace's rows as JSON, this region's members and invitations,
    its audit log, its rows in the public schema (public.json) and every file the rows refer to
    (under files/, by their stored name). Written to a temporary name and renamed, so a failure
    leaves no half archive."""
    export_root = Path(settings.EXPORT_ROOT)
    export_root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(started, platform_time_zone()).strftime("%Y%m%d-%H%M%S")
    target = export_root / f"{tenant.schema_name}-{stamp}-WIB-{export.pk}.zip"
    partial = target.with_suffix(".zip.part")
    members = [
        {
            "email": m.user.email,
            "name": m.user.full_name,
            "role": m.role,
            "opd": m.opd,
            "area": m.area_id,
            "since": m.created_at,
        }
        for m in Membership.objects.filter(tenant=tenant).select_related("user")
    ]
    invitations = list(
        Invitation.objects.filter(tenant=tenant).values(
            "email",
            "role",
            "opd",
            "area_id",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        )
    )
    events = list(
        AuditEvent.objects.filter(tenant=tenant).values(
            "action", "actor_email", "object_type", "object_id", "data", "created_at"
        )
    )
    requester = export.requested_by.email if export.requested_by else ""
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            workspace, files, missing = {}, [], []
            with tenant_context(tenant):
                for model in _workspace_models():
                    rows = model._default_manager.all()
                    workspace[model._meta.label_lower] = json.loads(
                        serializers.serialize("json", rows)
                    )
                    file_fields = [
                        f.name for f in model._meta.get_fields() if isinstance(f, FileField)
                    ]
                    for row in rows:
                        for name in file_fields:
                            stored = getattr(row, name)
                            if stored and default_storage.exists(stored.name):
                                files.append((Path(default_storage.path(stored.name)), stored.name))
                            elif stored:
                                missing.append(stored.name)
            archive.writestr("workspace.json", _dump(workspace))
            archive.writestr(
                "members.json", _dump({"members": members, "invitations": invitations})
            )
            archive.writestr("audit.json", _dump(events))
            # The region's rows in the public schema (shared agreement records, their public
            # record, its listings), for `manage.py restore_region`.
            public = region_public_rows.export_rows(tenant)
            archive.writestr("public.json", _dump(public))
            for path, name in files:
                archive.write(path, f"files/{name}")
            missing += region_public_rows.write_files(archive, tenant, public)
            archive.writestr(
                "manifest.json",
                _dump(
                    {
                        "format_version": EXPORT_FORMAT_VERSION,
                        "region": {"code": tenant.region_id, "name": tenant.name},
                        "schema": tenant.schema_name,
                        "exported_at": timezone.localtime(started, platform_time_zone()),
                        "exported_by": requester,
                        "final": export.is_final,
                        "files": len(files),
                        "missing_files": missing,
                    }
                ),
            )
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def build_export(*, export_id: int) -> TenantExport | None:
    """The worker's half of an export (tenants/tasks.py). Runs once per export: a retried or
    duplicated task finds it no longer waiting and does nothing. Its two steps are durable
    blocks (core.actions): the archive is written between them, in no transaction."""
    with transaction.atomic(durable=True):
        export = (
            TenantExport.objects.select_for_update(of=("self",))
            .select_related("tenant", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.state != ExportState.PENDING:
            return export
        export.state = ExportState.RUNNING
        export.save(update_fields=["state"])
    started = timezone.now()
    try:
        if export.tenant is None:
            raise RuntimeError("The region was purged before its export ran.")
        path = _write_archive(export.tenant, export, started)
    except Exception as exc:
        logger.exception("Export %s of %s failed", export.pk, export.tenant_schema)
        return _finish_failed(export, str(exc) or exc.__class__.__name__)
    with transaction.atomic(durable=True):
        export.state = ExportState.READY
        export.file_name = path.name
        export.finished_at = timezone.now()
        export.expires_at = _export_expiry(export, export.finished_at)
        export.save(update_fields=["state", "file_name", "finished_at", "expires_at"])
        audit.record(
            "tenant.exported",
            actor=export.requested_by,
            tenant=export.tenant,
            obj=export,
            data={"file": path.name, "final": export.is_final},
        )
        _mail_requester(export, "tenants/email/export_ready")
    return export


def _finish_failed(export: TenantExport, error: str) -> TenantExport:
    with transaction.atomic():
        export.state = ExportState.FAILED
        export.error = error[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["state", "error", "finished_at"])
        audit.record(
            "tenant.export_failed",
            actor=None,
            tenant=export.tenant,
            obj=export,
            data={"error": export.error, "schema": export.tenant_schema},
        )
        _mail_requester(export, "tenants/email/export_failed")
    return export


def _mail_requester(export: TenantExport, template: str) -> None:
    if export.requested_by is None or not export.requested_by.email:
        return
    tenant_page = (
        _platform_link("platform:tenant_detail", export.tenant_id) if export.tenant_id else ""
    )
    send_templated_email_on_commit(
        template,
        {
            "export": export,
            "download_url": _platform_link("platform:export_download", export.pk),
            "tenant_url": tenant_page,
            "expires_at": export.expires_at
            and formats.date_format(
                timezone.localtime(export.expires_at, platform_time_zone()), "j F Y H:i"
            ),
        },
        [export.requested_by.email],
    )


def _expire(export: TenantExport, now) -> None:
    """Delete the export's file and mark it expired (the caller holds its row lock)."""
    if export.file_name:
        (Path(settings.EXPORT_ROOT) / export.file_name).unlink(missing_ok=True)
    export.state = ExportState.EXPIRED
    export.save(update_fields=["state"])
    audit.record(
        "tenant.export_expired",
        actor=None,
        tenant=export.tenant,
        obj=export,
        data={"file": export.file_name, "schema": export.tenant_schema},
    )


def export_file(*, export: TenantExport, acting_user) -> Path:
    """The archive of a ready export, for staff to download. An export past its expiry is
    refused, and its file deleted there and then (if `expire_exports` has not done so yet): that
    expiry commits before the refusal, so its two blocks are durable ones (core.actions), not
    one transaction."""
    _require_staff(acting_user)
    now = timezone.now()
    with transaction.atomic(durable=True):
        export = TenantExport.objects.select_for_update().get(pk=export.pk)
        lapsed = (
            export.state == ExportState.READY
            and export.expires_at is not None
            and export.expires_at <= now
        )
        if lapsed:
            _expire(export, now)
    if export.state == ExportState.EXPIRED:
        raise Conflict(
            _(
                "This export expired on %(date)s WIB and its file was deleted. Request a new "
                "export from the region's page."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(export.expires_at, platform_time_zone()), "j F Y H:i"
                )
            },
            code=ErrorCode.EXPORT_EXPIRED,
        )
    if export.state != ExportState.READY:
        raise Conflict(
            _("This export is not ready to download (%(state)s).")
            % {"state": export.get_state_display()},
            code=ErrorCode.EXPORT_NOT_READY,
        )
    path = Path(settings.EXPORT_ROOT) / export.file_name
    if not path.is_file():
        raise NotFound(_("The export's file is missing. Request a new export."))
    with transaction.atomic(durable=True):
        audit.record(
            "tenant.export_downloaded",
            actor=acting_user,
            tenant=export.tenant,
            obj=export,
            data={"file": export.file_name},
        )
    return path


def expire_exports(*, now=None) -> dict[str, int]:
    """Housekeeping, idempotent (`manage.py expire_exports`, daily): delete the files of exports
    past their expiry, give up on exports a dead worker left waiting, and remove archives in
    EXPORT_ROOT that no export row knows (left by older versions) once they are as old as the
    TTL."""
    now = now or timezone.now()
    counts = {"expired": 0, "abandoned": 0, "orphans": 0}
    due = TenantExport.objects.filter(state=ExportState.READY, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):  # each row its own (core.actions)
            export = TenantExport.objects.select_for_update().get(pk=pk)
            if export.state == ExportState.READY and export.expires_at <= now:
                _expire(export, now)
                counts["expired"] += 1
    stale = TenantExport.objects.filter(
        state__in=[ExportState.PENDING, ExportState.RUNNING],
        created_at__lte=now - EXPORT_STALE_AFTER,
    )
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic(durable=True):  # each row its own (core.actions)
            export = (
                TenantExport.objects.select_for_update(of=("self",))
                .select_related("tenant", "requested_by")
                .get(pk=pk)
            )
            if export.state in (ExportState.PENDING, ExportState.RUNNING):
                _finish_failed(export, "The worker did not finish this export.")
                counts["abandoned"] += 1
    export_root = Path(settings.EXPORT_ROOT)
    if export_root.is_dir():
        known = set(
            TenantExport.objects.filter(
                state__in=[ExportState.READY, ExportState.RUNNING, ExportState.PENDING]
            ).values_list("file_name", flat=True)
        )
        cutoff = (now - timedelta(days=settings.JEJARING_EXPORT_TTL_DAYS)).timestamp()
        for path in export_root.iterdir():
            if (
                path.is_file()
                and path.name.endswith((".zip", ".zip.part"))
                and path.name not in known
                and path.stat().st_mtime <= cutoff
            ):
                path.unlink(missing_ok=True)
                counts["orphans"] += 1
    return counts


@top_level
def schedule_deletion(*, tenant: Tenant, acting_user, confirmation: str) -> TenantExport:
    """Delete a region, restorably: it is marked as being deleted (its subdomain says so, its
    members cannot work in it, it drops out of lists), a final export is queued, and
    `purge_deleted_regions` drops it once JEJARING_DELETION_GRACE_DAYS have passed."""
    _require_staff(acting_user)
    if confirmation.strip() != tenant.schema_name:
        raise ValidationError(
            {
                "confirmation": ValidationError(
                    _("Type %(schema)s exactly to confirm the deletion.")
                    % {"schema": tenant.schema_name},
                    code=ErrorCode.CONFIRMATION_MISMATCH,
                )
            }
        )
    with transaction.atomic():
        tenant = _lock(tenant)
        _refuse_if_pending_deletion(tenant)
        now = timezone.now()
        tenant.status = TenantStatus.PENDING_DELETION
        tenant.deletion_scheduled_at = now
        tenant.deletion_scheduled_by = acting_user
        tenant.purge_after = now + timedelta(days=settings.JEJARING_DELETION_GRACE_DAYS)
        tenant.save(
            update_fields=[
                "status",
                "deletion_scheduled_at",
                "deletion_scheduled_by",
                "purge_after",
            ]
        )
        export = _create_export(tenant, acting_user, final=True)
        audit.record(
            "tenant.deletion_scheduled",
            actor=acting_user,
            tenant=tenant,
            obj=tenant,
            data={
                "region": tenant.region_id,
                "purge_after": tenant.purge_after.isoformat(),
                "final_export": export.pk,
            },
        )
    return export


@top_level
def restore_tenant(*, tenant: Tenant, acting_user) -> Tenant:
    """Undo a scheduled deletion within the grace period. A region suspended before it was
    deleted comes back suspended."""
    _require_staff(acting_user)
    with transaction.atomic():
        tenant = _lock(tenant)
        if not tenant.is_pending_deletion:
            raise Conflict(
                _("%(region)s is not being deleted.") % {"region": tenant.name},
                code=ErrorCode.TENANT_NOT_PENDING_DELETION,
            )
        if tenant.purge_after is not None and tenant.purge_after <= timezone.now():
            raise Conflict(
                _("The grace period of %(region)s is over; it can no longer be restored.")
                % {"region": tenant.name},
                code=ErrorCode.DELETION_GRACE_OVER,
            )
        tenant.status = TenantStatus.SUSPENDED if tenant.suspended_reason else TenantStatus.ACTIVE
        tenant.deletion_scheduled_at = None
        tenant.deletion_scheduled_by = None
        tenant.purge_after = None
        tenant.save(
            update_fields=[
                "status",
                "deletion_scheduled_at",
                "deletion_scheduled_by",
                "purge_after",
            ]
        )
        audit.record("tenant.restored", actor=acting_user, tenant=tenant, obj=tenant)
    return tenant


@top_level
def purge_tenant(*, tenant: Tenant, now=None) -> None:
    """Drop a region whose grace period is over: schema, domain, memberships and invitations,
    its section of the public portal (through `region_deleting`) and, once the transaction
    commits, its files. Refused while no final export of it is ready. The audit log keeps the
    event (with the schema's name). A system action: `manage.py purge_deleted_regions`."""
    now = now or timezone.now()
    with transaction.atomic():
        tenant = _lock(tenant)
        if not tenant.is_pending_deletion or tenant.purge_after > now:
            raise Conflict(
                _("%(region)s is not due to be purged.") % {"region": tenant.name},
                code=ErrorCode.DELETION_NOT_DUE,
            )
        final = tenant.exports.filter(
            state=ExportState.READY, created_at__gte=tenant.deletion_scheduled_at
        ).first()
        if final is None:
            raise Conflict(
                _(
                    "%(region)s has no ready export made since its deletion was scheduled; "
                    "request one from its page, then purge again."
                )
                % {"region": tenant.name},
                code=ErrorCode.FINAL_EXPORT_MISSING,
            )
        media = tenant_media_dir(tenant)
        audit.record(
            "tenant.purged",
            actor=None,
            tenant=tenant,
            obj=tenant,
            data={"region": tenant.region_id, "name": tenant.name, "final_export": final.file_name},
        )
        signals.region_deleting.send(sender=Tenant, tenant=tenant, region=tenant.region)
        tenant.delete(force_drop=True)  # type: ignore[call-arg]  # TenantMixin.delete's own argument
    transaction.on_commit(lambda: shutil.rmtree(media, ignore_errors=True))


def purge_deleted_regions(*, now=None) -> tuple[list[str], list[tuple[str, str]]]:
    """Purge every region whose grace period is over, each in its own transaction. Returns the
    purged schemas and the ones skipped with the reason. Idempotent."""
    now = now or timezone.now()
    purged, skipped = [], []
    for tenant in Tenant.objects.pending_deletion().filter(purge_after__lte=now):
        try:
            purge_tenant(tenant=tenant, now=now)
        except Conflict as exc:
            skipped.append((tenant.schema_name, exc.message))
        else:
            purged.append(tenant.schema_name)
    return purged, skipped
