"""Who may do what: every permission decision about regions' workspaces and the platform.

Views, actions and templates ask here; nothing else decides. Tested as a matrix in
tenants/tests/test_policy.py.
"""

from __future__ import annotations

from enum import StrEnum

from .models import Membership, Region, Role, Tenant


class Perm(StrEnum):
    VIEW_WORKSPACE = "workspace.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    UPLOAD_DOCUMENT = "document.upload"
    # Platform staff only.
    REVIEW_APPLICATIONS = "platform.review_applications"
    MANAGE_TENANTS = "platform.manage_tenants"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {Perm.VIEW_WORKSPACE, Perm.MANAGE_MEMBERS, Perm.VIEW_AUDIT, Perm.UPLOAD_DOCUMENT}
    ),
    Role.TKKSD: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT}),
    Role.OPD: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT}),
    # Camat and lurah act only for their own area (see can_act_for_area).
    Role.CAMAT: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT}),
    Role.LURAH: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT}),
    Role.VIEWER: frozenset({Perm.VIEW_WORKSPACE}),
}
PLATFORM_PERMS = frozenset({Perm.REVIEW_APPLICATIONS, Perm.MANAGE_TENANTS})
# Permissions that change data: refused while a tenant is suspended.
WRITE_PERMS = frozenset({Perm.MANAGE_MEMBERS, Perm.UPLOAD_DOCUMENT})
AREA_SCOPED_ROLES = frozenset({Role.CAMAT, Role.LURAH})


def can_act(user) -> bool:
    """An active account whose e-mail is verified (allauth refuses unverified logins, and this
    also guards sessions created before verification was required)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.emailaddress_set.filter(verified=True).exists()


def membership_for(user, tenant: Tenant) -> Membership | None:
    if not (user and user.is_authenticated) or tenant is None or tenant.region_id is None:
        return None
    return (
        Membership.objects.select_related("area", "tenant").filter(user=user, tenant=tenant).first()
    )


def role_allows(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())


def has_perm(user, tenant: Tenant, perm: Perm, membership: Membership | None = None) -> bool:
    if perm in PLATFORM_PERMS:
        return has_platform_perm(user, perm)
    if not can_act(user):
        return False
    membership = membership or membership_for(user, tenant)
    if membership is None or not role_allows(membership.role, perm):
        return False
    if perm in WRITE_PERMS and refuses_writes(tenant):
        return False
    return True


def has_platform_perm(user, perm: Perm) -> bool:
    return perm in PLATFORM_PERMS and can_act(user) and user.is_staff


def requires_second_factor(user) -> bool:
    """Platform staff, every region administrator and every portal (Wagtail) editor must pass
    a second factor in the session before they do anything else."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.memberships.filter(role=Role.ADMIN).exists():
        return True
    return user.has_perm("wagtailadmin.access_admin")


def refuses_writes(tenant: Tenant | None) -> bool:
    """A suspended region is read-only: no change to its data by anyone."""
    return tenant is not None and tenant.region_id is not None and tenant.is_suspended


def can_edit_portal(user) -> bool:
    """Editors of the public portal (Wagtail's admin at /cms/)."""
    return can_act(user) and user.has_perm("wagtailadmin.access_admin")


def can_act_for_area(membership: Membership, area: Region | None) -> bool:
    """A camat acts for their kecamatan and the desa/kelurahan in it; a lurah for their own
    desa/kelurahan only. Other roles act region-wide, for any area inside their region."""
    if membership.role in AREA_SCOPED_ROLES:
        if area is None or membership.area_id is None:
            return False
        return area.code == membership.area_id or membership.area.contains(area)
    if area is None:
        return True
    region = membership.tenant.region
    return region is not None and region.contains(area)


def areas_for(membership: Membership):
    """The areas a member may pick when acting for an area."""
    if membership.role == Role.LURAH:
        return Region.objects.filter(code=membership.area_id)
    if membership.role == Role.CAMAT:
        return Region.objects.filter(code=membership.area_id) | Region.objects.within(
            membership.area
        )
    return Region.objects.within(membership.tenant.region).filter(
        kind__in=["kecamatan", "kelurahan", "desa", "desa_adat"]
    )
