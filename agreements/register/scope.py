"""Who reads an agreement besides those who read the whole register: the areas it concerns (a
camat and a lurah read the agreements of their area) and the viewers (DPRD members) the office
gave its dossier to. tenants.policy decides what each reads (readable_agreements); these actions
record the facts it decides on, on the agreement itself (two indexed arrays, no table).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.policy import can_receive_dossier
from cooperation.policy import AgreementPerm
from core.actions import top_level
from core.errors import Forbidden, NotFound
from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import VILLAGE_KINDS, Membership, Region, RegionKind, Role, Tenant
from tenants.policy import Perm, has_perm

AREA_KINDS = (RegionKind.KECAMATAN, *VILLAGE_KINDS)
MAX_AREAS = 200


class ScopeError(StrEnum):
    UNKNOWN_AREA = "area_unknown"
    TOO_MANY_AREAS = "areas_too_many"
    NOT_A_VIEWER = "dossier_not_viewer"


def _require(membership: Membership, perm: Perm, message: str) -> None:
    ensure_writable(membership.tenant)
    if not has_perm(membership.user, membership.tenant, perm, membership=membership):
        raise Forbidden(message)


def areas_of(region: Region):
    """The kecamatan and desa/kelurahan of `region` (the choices of an agreement's areas)."""
    return Region.objects.within(region).filter(kind__in=AREA_KINDS).order_by("code")


def area_names(codes: list[str]) -> list[str]:
    return [r.full_name for r in Region.objects.filter(code__in=codes).order_by("code")]


# --- The areas it concerns ---------------------------------------------------------------------


@top_level
def set_areas(*, membership: Membership, agreement: Agreement, codes: list[str]) -> Agreement:
    """Record the areas (kecamatan, desa/kelurahan of this region) the agreement concerns; an
    empty list: the whole region (read by those who read the whole register)."""
    _require(membership, AgreementPerm.EDIT_AGREEMENTS, _("Your role does not edit agreements."))
    codes = sorted({str(c).strip() for c in codes if str(c).strip()})
    if len(codes) > MAX_AREAS:
        raise ValidationError(
            {
                "areas": ValidationError(
                    _("At most %(max)s areas; for more, leave it for the whole region.")
                    % {"max": MAX_AREAS},
                    code=ScopeError.TOO_MANY_AREAS,
                )
            }
        )
    known = set(
        areas_of(membership.tenant.region).filter(code__in=codes).values_list("code", flat=True)
    )
    if unknown := [c for c in codes if c not in known]:
        raise ValidationError(
            {
                "areas": ValidationError(
                    _(
                        "Not a kecamatan or desa/kelurahan of %(region)s: %(codes)s. Choose the "
                        "areas from the list."
                    )
                    % {"region": membership.tenant.name, "codes": ", ".join(unknown)},
                    code=ScopeError.UNKNOWN_AREA,
                )
            }
        )
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.areas == codes:
            return agreement
        agreement.areas = codes
        agreement.save(update_fields=["areas"])
        audit.record(
            "agreement.areas_changed",
            actor=membership.user,
            tenant=membership.tenant,
            obj=agreement,
            data={
                "title": agreement.cooperation.title,
                "areas": codes,
                "names": area_names(codes),
            },
        )
    return agreement


# --- The DPRD's dossiers -----------------------------------------------------------------------


def dossier_holders(agreement: Agreement, tenant: Tenant):
    """The members of this region holding the agreement's dossier, with their accounts."""
    return (
        Membership.objects.filter(tenant=tenant, pk__in=agreement.dossier_members)
        .select_related("user")
        .order_by("user__email")
    )


def dossier_candidates(agreement: Agreement, tenant: Tenant):
    """The region's viewers who do not hold it yet."""
    return (
        Membership.objects.filter(tenant=tenant, role=Role.VIEWER)
        .exclude(pk__in=agreement.dossier_members)
        .select_related("user")
        .order_by("user__email")
    )


def _notify_holder(member: Membership, agreement: Agreement) -> None:
    send_templated_email_on_commit(
        "agreements/email/dossier_given",
        {
            "tenant": member.tenant,
            "cooperation": agreement.cooperation,
            "url": tenant_url(member.tenant, reverse("agreements:detail", args=[agreement.pk])),
        },
        [member.user.email],
    )


@top_level
def give_dossier(*, membership: Membership, agreement: Agreement, member: Membership) -> Agreement:
    """Give `member` (a viewer of this region: a DPRD member) the agreement's dossier; they are
    e-mailed a link to it."""
    _require(
        membership,
        AgreementPerm.SHARE_DOSSIERS,
        _("Only the cooperation office gives the DPRD dossiers."),
    )
    if (
        member is None
        or member.tenant_id != membership.tenant_id
        or not can_receive_dossier(member)
    ):
        raise ValidationError(
            {
                "member": ValidationError(
                    _("Dossiers are given to this region's viewers (the DPRD's members)."),
                    code=ScopeError.NOT_A_VIEWER,
                )
            }
        )
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("cooperation")
            .get(pk=agreement.pk)
        )
        if member.pk in agreement.dossier_members:
            return agreement
        agreement.dossier_members = [*agreement.dossier_members, member.pk]
        agreement.save(update_fields=["dossier_members"])
        audit.record(
            "agreement.dossier_given",
            actor=membership.user,
            tenant=membership.tenant,
            obj=agreement,
            data={"title": agreement.cooperation.title, "member": member.user.email},
        )
        _notify_holder(member, agreement)
    return agreement


@top_level
def withdraw_dossier(*, membership: Membership, agreement: Agreement, member_pk: int) -> Agreement:
    """Take the dossier back from the member `member_pk`: from now on the agreement does not
    exist for them."""
    _require(
        membership,
        AgreementPerm.SHARE_DOSSIERS,
        _("Only the cooperation office gives the DPRD dossiers."),
    )
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("cooperation")
            .get(pk=agreement.pk)
        )
        if member_pk not in agreement.dossier_members:
            raise NotFound(_("That member does not hold this dossier."))
        holder = Membership.objects.select_related("user").filter(pk=member_pk).first()
        agreement.dossier_members = [pk for pk in agreement.dossier_members if pk != member_pk]
        agreement.save(update_fields=["dossier_members"])
        audit.record(
            "agreement.dossier_withdrawn",
            actor=membership.user,
            tenant=membership.tenant,
            obj=agreement,
            data={
                "title": agreement.cooperation.title,
                "member": holder.user.email if holder else str(member_pk),
            },
        )
    return agreement
