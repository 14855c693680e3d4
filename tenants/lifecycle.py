"""Platform staff's tenant lifecycle actions: suspend (read-only), reactivate, export, delete."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from core.errors import Forbidden

from . import audit, signals
from .errors import ErrorCode
from .models import AuditEvent, Invitation, Membership, Tenant, TenantStatus
from .policy import Perm, has_platform_perm
from .validators import required_reason

EXPORT_FORMAT_VERSION = 1


def _require_staff(user) -> None:
    if not has_platform_perm(user, Perm.MANAGE_TENANTS):
        raise Forbidden(_("Only platform staff manage regions' tenants."))


def suspend_tenant(*, tenant: Tenant, acting_user, reason: str) -> Tenant:
    _require_staff(acting_user)
    reason = required_reason(reason, _("Say why the region is suspended; its members will see it."))
    with transaction.atomic():
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


def reactivate_tenant(*, tenant: Tenant, acting_user) -> Tenant:
    _require_staff(acting_user)
    with transaction.atomic():
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


def export_tenant(*, tenant: Tenant, acting_user) -> Path:
    """One ZIP archive: the workspace's rows as JSON, its members, its audit log and every file
    the rows refer to (under files/, by their stored name). Written to a temporary name and
    renamed, so a failure leaves no half archive."""
    _require_staff(acting_user)
    export_root = Path(settings.EXPORT_ROOT)
    export_root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = export_root / f"{tenant.schema_name}-{stamp}.zip"
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
            for path, name in files:
                archive.write(path, f"files/{name}")
            archive.writestr(
                "manifest.json",
                _dump(
                    {
                        "format_version": EXPORT_FORMAT_VERSION,
                        "region": {"code": tenant.region_id, "name": tenant.name},
                        "schema": tenant.schema_name,
                        "exported_at": timezone.now(),
                        "exported_by": acting_user.email,
                        "files": len(files),
                        "missing_files": missing,
                    }
                ),
            )
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    audit.record(
        "tenant.exported", actor=acting_user, tenant=tenant, obj=tenant, data={"file": target.name}
    )
    return target


def delete_tenant(*, tenant: Tenant, acting_user, confirmation: str) -> None:
    """Drop the region's schema, domain, memberships and invitations; its documents go once the
    transaction commits. The audit log keeps the event (with the schema's name)."""
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
    media = tenant_media_dir(tenant)
    with transaction.atomic():
        audit.record(
            "tenant.deleted",
            actor=acting_user,
            tenant=tenant,
            obj=tenant,
            data={"region": tenant.region_id, "name": tenant.name},
        )
        signals.region_deleting.send(sender=Tenant, tenant=tenant, region=tenant.region)
        tenant.delete(force_drop=True)
    transaction.on_commit(lambda: shutil.rmtree(media, ignore_errors=True))
