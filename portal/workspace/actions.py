from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Region
from tenants.policy import Perm, can_act_for_area, has_perm

from .models import Document


def upload_document(*, membership: Membership, title: str, file, area: Region | None) -> Document:
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, Perm.UPLOAD_DOCUMENT, membership=membership):
        raise PermissionDenied
    if not can_act_for_area(membership, area):
        raise PermissionDenied
    document = Document(
        title=title,
        original_name=getattr(file, "name", "")[:255],
        area=area,
        uploaded_by=user,
        uploaded_by_email=user.email,
    )
    # The file is written before the row; if the row or its audit event fails, remove the file
    # so nothing is left half-written.
    document.file.save(file.name, file, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit.record(
                "document.uploaded",
                actor=user,
                tenant=tenant,
                obj=document,
                data={"title": title, "area": area.code if area else None},
            )
    except BaseException:
        document.file.delete(save=False)
        raise
    return document
