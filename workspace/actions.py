from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Forbidden
from core.files import removed_on_failure
from tenants import audit
from tenants.errors import ErrorCode
from tenants.members import ensure_writable
from tenants.models import Membership, Region
from tenants.policy import Perm, can_act_for_area, has_perm

from .models import Document


def upload_document(*, membership: Membership, title: str, file, area: Region | None) -> Document:
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, Perm.UPLOAD_DOCUMENT, membership=membership):
        raise Forbidden(_("Your role does not file documents."))
    if not can_act_for_area(membership, area):
        raise Forbidden(
            _("You can only file documents for your own area (%(area)s).")
            % {"area": membership.scope_label or tenant.name},
            code=ErrorCode.AREA_OUTSIDE_SCOPE,
        )
    document = Document(
        title=title,
        original_name=getattr(file, "name", "")[:255],
        area=area,
        uploaded_by=user,
        uploaded_by_email=user.email,
    )
    document.file.save(file.name, file, save=False)
    with removed_on_failure(document.file), transaction.atomic():
        document.save()
        audit.record(
            "document.uploaded",
            actor=user,
            tenant=tenant,
            obj=document,
            data={"title": title, "area": area.code if area else None},
        )
    return document
