"""The audit log's single writer. Actions call `record`; nothing else writes AuditEvent rows."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent, Tenant


def record(
    action: str,
    *,
    actor=None,
    tenant: Tenant | None = None,
    obj: Any = None,
    data: dict | None = None,
) -> AuditEvent:
    """Record `action` (a namespaced string such as `member.role_changed`)."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        tenant=tenant,
        tenant_schema=tenant.schema_name if tenant else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
