"""Who may do what: the mechanism every permission decision goes through.

This module holds the roles' core permissions (the workspace, its members, its audit log and its
documents; platform staff's), the membership lookup, `has_perm` / `permissions_for` /
`has_platform_perm`, area scoping (`can_act_for_area`, `areas_for`) and the region-state rule
(`refuses_writes`). It knows no feature: each feature declares its own permissions (a StrEnum in
its `policy.py`), says which roles hold them, which of them write and which are platform staff's
with `grant(...)` from its AppConfig.ready(), and keeps its predicates (who may edit this
listing, read this meeting...) next to them. `has_perm` refuses a permission nobody registered
(UnknownPermission): a typo fails in a test, not as a silent "no".

Tested as a matrix in tenants/tests/test_policy.py and tests/test_permission_matrix.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from django.db.models import F, Q
from django.db.models.lookups import StartsWith

from core.request_cache import memoised

from .models import Membership, Region, Role, Tenant, accepts_writes


class Perm(StrEnum):
    """The tenants' own permissions."""

    VIEW_WORKSPACE = "workspace.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    UPLOAD_DOCUMENT = "document.upload"
    # Platform staff only.
    REVIEW_APPLICATIONS = "platform.review_applications"
    MANAGE_TENANTS = "platform.manage_tenants"


# --- The registry --------------------------------------------------------------------------
# role -> the permissions it holds; the permissions that change data (refused while a region
# does not accept writes); the platform staff's; every registered permission. Filled by
# `grant`; read through role_allows / has_perm / permissions_for. ROLE_PERMS is one dict for the
# process's life (tests may monkeypatch one of its items).

ROLE_PERMS: dict[str, frozenset[str]] = {role: frozenset() for role in Role}
WRITE_PERMS: set[str] = set()
PLATFORM_PERMS: set[str] = set()
_KNOWN: dict[str, str] = {}  # permission -> the module that registered it
AREA_SCOPED_ROLES = frozenset({Role.CAMAT, Role.LURAH})


class UnknownPermission(LookupError):
    """A permission nobody registered with `grant` was asked about."""


def grant(
    perms: Iterable[str],
    *,
    role_perms: Mapping[Role, Iterable[str]] | None = None,
    writes: Iterable[str] = (),
    platform: Iterable[str] = (),
    owner: str = "",
) -> None:
    """Register a feature's permissions (`perms`: its StrEnum, or any iterable of them): which
    roles hold which (`role_perms`), which change data (`writes`: refused while the region is
    read-only or closed) and which belong to platform staff (`platform`: held by verified staff,
    whatever their memberships). A permission registered twice, or a row naming one `perms`
    does not hold, is an error."""
    declared = {str(p): p for p in perms}
    for value in declared:
        if value in _KNOWN:
            raise ValueError(f"Permission {value!r} is registered twice.")
    rows: dict[str, set[str]] = {
        str(role): set(map(str, held)) for role, held in (role_perms or {}).items()
    }
    named = set().union(*rows.values(), map(str, writes), map(str, platform))
    stray = named - set(declared)
    if stray:
        raise ValueError(f"Permissions not declared in this grant: {sorted(stray)}")
    unknown_roles = set(rows) - set(ROLE_PERMS)
    if unknown_roles:
        raise ValueError(f"Unknown roles: {sorted(unknown_roles)}")
    for value in declared:
        _KNOWN[value] = owner
    for role, held in rows.items():
        ROLE_PERMS[role] = ROLE_PERMS[role] | {declared[v] for v in held}
    WRITE_PERMS.update(declared[str(v)] for v in writes)
    PLATFORM_PERMS.update(declared[str(v)] for v in platform)


def registered_permissions() -> frozenset[str]:
    return frozenset(_KNOWN)


def _known(perm) -> str:
    if perm not in _KNOWN:
        raise UnknownPermission(
            f"Permission {perm!r} is not registered: declare it in the feature's policy.py and "
            "register it with tenants.policy.grant from its AppConfig.ready()."
        )
    return perm


def can_act(user) -> bool:
    """An active account whose e-mail is verified (allauth refuses unverified logins, and this
    also guards sessions created before verification was required)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return memoised(
        ("can_act", user.pk), lambda: user.emailaddress_set.filter(verified=True).exists()
    )


def membership_for(user, tenant: Tenant) -> Membership | None:
    if not (user and user.is_authenticated) or tenant is None or tenant.region_id is None:
        return None
    return memoised(
        ("membership", user.pk, tenant.pk),
        lambda: Membership.objects.select_related("area", "tenant")
        .filter(user=user, tenant=tenant)
        .first(),
    )


def role_allows(role: str, perm) -> bool:
    """Does `role` hold `perm` (a registered permission)?"""
    return _known(perm) in ROLE_PERMS.get(role, frozenset())


def has_perm(user, tenant: Tenant, perm, membership: Membership | None = None) -> bool:
    """May `user` use `perm` (any registered permission) in `tenant`?"""
    if _known(perm) in PLATFORM_PERMS:
        return has_platform_perm(user, perm)
    if not can_act(user):
        return False
    if tenant is not None and tenant.region_id is not None and tenant.is_pending_deletion:
        return False  # a region being deleted: nobody works in it (tenants/region_lifecycle.py)
    membership = membership or membership_for(user, tenant)
    if membership is None or not role_allows(membership.role, perm):
        return False
    if perm in WRITE_PERMS and refuses_writes(tenant):
        return False
    return True


def permissions_for(user, tenant: Tenant | None, membership: Membership | None = None) -> set:
    """Every permission `user` holds here: what the navigation and the templates show."""
    granted = {p for p in PLATFORM_PERMS if has_platform_perm(user, p)}
    if tenant is not None and tenant.region_id is not None:
        membership = membership or membership_for(user, tenant)
        if membership is not None:
            granted |= {
                p
                for p in ROLE_PERMS.get(membership.role, ())
                if has_perm(user, tenant, p, membership=membership)
            }
    return granted


def has_platform_perm(user, perm) -> bool:
    return _known(perm) in PLATFORM_PERMS and can_act(user) and user.is_staff


# Features whose platform roles need the second factor too (the Ministry's officials:
# reporting/ministry.py) register a predicate here from their app, as permissions are granted.
SECOND_FACTOR_RULES: list = []


def require_second_factor_for(rule) -> None:
    """Register `rule(user) -> bool`: an account it holds for must pass the second factor."""
    if rule not in SECOND_FACTOR_RULES:
        SECOND_FACTOR_RULES.append(rule)


def requires_second_factor(user) -> bool:
    """Platform staff, every region administrator, every portal (Wagtail) editor and whoever a
    feature's registered rule names must pass a second factor in the session before they do
    anything else."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return memoised(
        ("requires_second_factor", user.pk),
        lambda: user.memberships.filter(role=Role.ADMIN).exists()
        or user.has_perm("wagtailadmin.access_admin")
        or any(rule(user) for rule in SECOND_FACTOR_RULES),
    )


def refuses_writes(tenant: Tenant | None) -> bool:
    """A suspended region is read-only, a region being deleted closed: no change to its data by
    anyone (the one writability rule: tenants.models.accepts_writes)."""
    return not accepts_writes(tenant)


def can_act_for_area(membership: Membership, area: Region | None) -> bool:
    """A camat acts for their kecamatan and the desa/kelurahan in it; a lurah for their own
    desa/kelurahan only. Other roles act region-wide, for any area inside their region."""
    if membership.role in AREA_SCOPED_ROLES:
        if area is None or membership.area_id is None:
            return False
        own = membership.area
        return area.code == membership.area_id or (own is not None and own.contains(area))
    if area is None:
        return True
    region = membership.tenant.region
    return region is not None and region.contains(area)


def areas_for(membership: Membership):
    """The areas a member may pick when acting for an area."""
    if membership.role == Role.LURAH:
        return Region.objects.filter(code=membership.area_id)
    if membership.role == Role.CAMAT:
        own = Region.objects.filter(code=membership.area_id)
        area = membership.area
        return own | Region.objects.within(area) if area is not None else own
    region = membership.tenant.region
    if region is None:
        return Region.objects.none()
    return Region.objects.within(region).filter(
        kind__in=["kecamatan", "kelurahan", "desa", "desa_adat"]
    )


# --- Who reads which document -----------------------------------------------------------------
# The region's archive is readable by its members, within these rules:
# - Administrators and the TKKSD (who review every cooperation) read every document.
# - A *restricted* document is for them, the OPD that filed it (every member whose OPD is the
#   uploader's OPD at the time of filing) and the person who filed it. No one else.
# - OPD staff and viewers (the DPRD, a partner region's officer) read every other document.
# - Camat and lurah speak for an area, so they read the region-wide documents and those of their
#   own area: a camat the kecamatan and every desa/kelurahan in it; a lurah their own
#   desa/kelurahan and the kecamatan above it (its circulars concern them), not their
#   neighbours'.
# A document someone may not read does not exist for them (404, like a missing one).
# `can_read_document` (one document) and `readable_documents` (a queryset, for lists, counts and
# downloads) state the same rule; tenants/tests/test_policy.py checks that they agree.

_READS_EVERYTHING = frozenset({Role.ADMIN, Role.TKKSD})


def same_opd(a: str, b: str) -> bool:
    """The same OPD, however it was typed (case and surrounding spaces aside)."""
    a, b = (a or "").strip(), (b or "").strip()
    return bool(a) and a.casefold() == b.casefold()


def _reading_areas(membership: Membership) -> list[str]:
    """The area codes whose documents a camat or lurah reads (besides region-wide ones)."""
    if membership.area_id is None:
        return []
    if membership.role == Role.LURAH:
        area = membership.area
        return [code for code in (membership.area_id, area and area.parent_id) if code]
    return [membership.area_id]


def can_read_document(membership: Membership | None, document) -> bool:
    if membership is None or not role_allows(membership.role, Perm.VIEW_WORKSPACE):
        return False
    if membership.role in _READS_EVERYTHING:
        return True
    if document.uploaded_by_id is not None and document.uploaded_by_id == membership.user_id:
        return True
    if document.restricted:
        return membership.role == Role.OPD and same_opd(membership.opd, document.uploaded_by_opd)
    if membership.role in AREA_SCOPED_ROLES:
        if document.area_id is None:
            return True
        areas = _reading_areas(membership)
        return document.area_id in areas or (
            membership.role == Role.CAMAT
            and membership.area_id is not None
            and document.area_id.startswith(f"{membership.area_id}.")
        )
    return True


def readable_documents(membership: Membership | None, documents):
    """`documents` (a queryset of workspace documents) narrowed to what `membership` may read."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_WORKSPACE):
        return documents.none()
    if membership.role in _READS_EVERYTHING:
        return documents
    own = Q(uploaded_by_id=membership.user_id)
    if membership.role == Role.OPD and membership.opd.strip():
        restricted_ok = Q(restricted=True, uploaded_by_opd__iexact=membership.opd.strip())
    else:
        restricted_ok = Q(pk__in=[])
    open_docs = Q(restricted=False)
    if membership.role in AREA_SCOPED_ROLES:
        in_area = Q(area__isnull=True) | Q(area_id__in=_reading_areas(membership))
        if membership.role == Role.CAMAT and membership.area_id is not None:
            # On the column itself: `area_id__startswith` is refused on a foreign key, and
            # `area__code__startswith` would join the public registry.
            in_area |= Q(StartsWith(F("area_id"), f"{membership.area_id}."))
        open_docs &= in_area
    return documents.filter(own | restricted_ok | open_docs)


# --- The tenants' own permissions -------------------------------------------------------------
# Every member sees the workspace; the office (administrators) manages the members and reads the
# activity history; everyone but viewers files documents. Platform staff review applications and
# manage the regions.
_CORE = {Perm.VIEW_WORKSPACE, Perm.MANAGE_MEMBERS, Perm.VIEW_AUDIT, Perm.UPLOAD_DOCUMENT}
_CORE_ROWS = {
    Role.ADMIN: {Perm.VIEW_WORKSPACE, Perm.MANAGE_MEMBERS, Perm.VIEW_AUDIT, Perm.UPLOAD_DOCUMENT},
    Role.TKKSD: {Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT},
    Role.OPD: {Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT},
    Role.CAMAT: {Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT},
    Role.LURAH: {Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT},
    Role.VIEWER: {Perm.VIEW_WORKSPACE},
}
_PLATFORM = {Perm.REVIEW_APPLICATIONS, Perm.MANAGE_TENANTS}
grant(
    _CORE | _PLATFORM,
    role_perms=_CORE_ROWS,
    writes={Perm.MANAGE_MEMBERS, Perm.UPLOAD_DOCUMENT},
    platform=_PLATFORM,
    owner="tenants",
)
