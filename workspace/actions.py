from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.policy import AgreementPerm
from core.actions import top_level
from core.errors import Forbidden, field_error
from core.files import removed_on_failure
from tenants import audit, letterhead
from tenants.errors import ErrorCode
from tenants.members import ensure_writable
from tenants.models import Membership, Region, Role
from tenants.policy import Perm, can_act_for_area, has_perm

from .models import Document


def upload_document(
    *, membership: Membership, title: str, file, area: Region | None, restricted: bool = False
) -> Document:
    """File a PDF in the region's archive. A restricted document is read only by the
    administrators, the TKKSD, the uploader and their OPD (tenants.policy.can_read_document)."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, Perm.UPLOAD_DOCUMENT, membership=membership):
        raise Forbidden(_("Your role does not file documents."))
    if not can_act_for_area(membership, area):
        # Bad input in the area field (as a listing's area outside the scope): 400, by the field.
        raise field_error(
            "area",
            _("You can only file documents for your own area (%(area)s).")
            % {"area": membership.scope_label or tenant.name},
            ErrorCode.AREA_OUTSIDE_SCOPE,
        )
    document = Document(
        title=title,
        original_name=getattr(file, "name", "")[:255],
        area=area,
        uploaded_by=user,
        uploaded_by_email=user.email,
        uploaded_by_opd=membership.opd if membership.role == Role.OPD else "",
        restricted=restricted,
    )
    document.file.save(file.name, file, save=False)
    # The file is stored first, outside; the row and its event in a transaction of their own,
    # never a caller's (core.actions): a durable block.
    with removed_on_failure(document.file), transaction.atomic(durable=True):
        document.save()
        audit.record(
            "document.uploaded",
            actor=user,
            tenant=tenant,
            obj=document,
            data={"title": title, "area": area.code if area else None, "restricted": restricted},
        )
    return document


# --- The region's letterhead -------------------------------------------------------------------


def set_emblem(*, membership: Membership, upload) -> None:
    """The region's emblem (lambang daerah) for its letterhead: a PNG or JPEG, checked by its
    bytes and stored re-encoded (tenants.letterhead). The office sets it (the register's
    settings are its own), as the region's official documents carry it."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.CONFIGURE_AGREEMENTS, membership=membership):
        raise Forbidden(_("Only the region's office sets its emblem."))
    png = letterhead.emblem_png(upload)
    # The image is converted first, outside; the rest in a durable block (core.actions).
    with transaction.atomic(durable=True):
        audit.record("region.emblem_changed", actor=user, tenant=tenant, data={"bytes": len(png)})
        letterhead.store_emblem(png)


@top_level
def remove_emblem(*, membership: Membership) -> bool:
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.CONFIGURE_AGREEMENTS, membership=membership):
        raise Forbidden(_("Only the region's office sets its emblem."))
    with transaction.atomic():
        removed = letterhead.delete_emblem()
        if removed:
            audit.record("region.emblem_changed", actor=user, tenant=tenant, data={"removed": True})
    return removed
