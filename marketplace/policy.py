"""The marketplace's permissions and who may do what with its listings, inquiries and saved
searches. Registered with the permission mechanism (tenants.policy.grant) from
MarketplaceConfig.ready(); views, actions and templates ask here."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import F, Q
from django.db.models.lookups import StartsWith

from tenants.models import Membership, Region, Role, Tenant
from tenants.policy import (
    AREA_SCOPED_ROLES,
    can_act,
    can_act_for_area,
    grant,
    membership_for,
    refuses_writes,
    role_allows,
)


class MarketplacePerm(StrEnum):
    # See the region's own listings whatever their status; publish listings (within the
    # member's area, can_edit_listing); moderate them.
    VIEW_LISTINGS = "listing.view"
    PUBLISH_LISTINGS = "listing.publish"
    MODERATE_LISTINGS = "listing.moderate"
    # Inquiries about listings (marketplace/inquiries.py): read the inquiries about the region's
    # listings; answer them. See can_read_inquiry and the rules below.
    VIEW_INQUIRIES = "inquiry.view"
    ANSWER_INQUIRIES = "inquiry.answer"


Perm = MarketplacePerm  # within this module

# Every member sees the region's own listings, drafts included (unpublished listings exist for
# their region only). The office, OPD staff, camat and lurah publish: the office and OPD staff for
# the whole region, a camat for their kecamatan, a lurah for their desa/kelurahan
# (can_edit_listing). The office (the administrators) moderates: publishes, returns with a
# reason, archives. TKKSD members and viewers read.
# Inquiries: the listing's region reads the inquiries about its listings (the office, the TKKSD
# that reviews every cooperation, and the publishers: OPD staff region-wide, a camat or lurah for
# the listings of their own area, can_read_inquiry) and answers them (the office and the
# publishers, within the same area rule: can_answer_inquiry). Viewers (the DPRD) do not: an
# inquiry carries the inquirer's address.
ROWS = {
    Role.ADMIN: {
        Perm.VIEW_LISTINGS,
        Perm.PUBLISH_LISTINGS,
        Perm.MODERATE_LISTINGS,
        Perm.VIEW_INQUIRIES,
        Perm.ANSWER_INQUIRIES,
    },
    Role.TKKSD: {Perm.VIEW_LISTINGS, Perm.VIEW_INQUIRIES},
    Role.OPD: {
        Perm.VIEW_LISTINGS,
        Perm.PUBLISH_LISTINGS,
        Perm.VIEW_INQUIRIES,
        Perm.ANSWER_INQUIRIES,
    },
    Role.CAMAT: {
        Perm.VIEW_LISTINGS,
        Perm.PUBLISH_LISTINGS,
        Perm.VIEW_INQUIRIES,
        Perm.ANSWER_INQUIRIES,
    },
    Role.LURAH: {
        Perm.VIEW_LISTINGS,
        Perm.PUBLISH_LISTINGS,
        Perm.VIEW_INQUIRIES,
        Perm.ANSWER_INQUIRIES,
    },
    Role.VIEWER: {Perm.VIEW_LISTINGS},
}
WRITES = {Perm.PUBLISH_LISTINGS, Perm.MODERATE_LISTINGS, Perm.ANSWER_INQUIRIES}


def register() -> None:
    grant(MarketplacePerm, role_perms=ROWS, writes=WRITES, owner="marketplace")


# --- The marketplace's listings -----------------------------------------------------------------
# A listing belongs to the region that publishes it. Its publishers are the members of that
# region who may publish for its area (a lurah's listing names their desa/kelurahan; one for the
# whole region is for the office and OPD staff). Anyone sees a published, valid listing; an
# unpublished or expired one exists only for its own region's members.


def can_edit_listing(membership: Membership | None, listing) -> bool:
    if membership is None or membership.tenant_id != listing.tenant_id:
        return False
    if not role_allows(membership.role, Perm.PUBLISH_LISTINGS):
        return False
    return can_act_for_area(membership, listing.area)


def can_publish_for_area(membership: Membership | None, area: Region | None) -> bool:
    return (
        membership is not None
        and role_allows(membership.role, Perm.PUBLISH_LISTINGS)
        and can_act_for_area(membership, area)
    )


def can_moderate_listing(membership: Membership | None, listing) -> bool:
    return (
        membership is not None
        and membership.tenant_id == listing.tenant_id
        and role_allows(membership.role, Perm.MODERATE_LISTINGS)
    )


def can_see_listing(membership: Membership | None, listing) -> bool:
    """`membership` is the person's membership in the listing's region (or None)."""
    if listing.is_public:
        return True
    return (
        membership is not None
        and membership.tenant_id == listing.tenant_id
        and role_allows(membership.role, Perm.VIEW_LISTINGS)
    )


# --- Saved searches (marketplace/saved_searches.py) ---------------------------------------


def can_save_searches(user) -> bool:
    """Anyone with a verified account saves searches of the marketplace; each sees and deletes
    only their own."""
    return can_act(user)


# --- Inquiries about listings ---------------------------------------------------------------------
# Anyone with a verified account inquires about a published listing, for themselves (a third
# party) or for a region they are a member of (any role: camat and lurah talk to their peers
# directly), never for the listing's own region. The inquirer follows the thread on the platform.


def can_inquire(user) -> bool:
    return can_act(user)


def can_inquire_for(user, tenant: Tenant | None) -> bool:
    """May `user` write an inquiry for `tenant` (as a member of that region)?"""
    return (
        tenant is not None
        and can_act(user)
        and not tenant.is_pending_deletion
        and not refuses_writes(tenant)
        and membership_for(user, tenant) is not None
    )


def inquiry_in_scope(membership: Membership, inquiry) -> bool:
    listing = inquiry.listing
    if membership.tenant_id != listing.tenant_id:
        return False
    if membership.role in AREA_SCOPED_ROLES:
        return can_act_for_area(membership, listing.area)
    return True


def can_read_inquiry(membership: Membership | None, inquiry) -> bool:
    """An inquiry about a listing of the member's region (a camat or lurah: of their area)."""
    return (
        membership is not None
        and role_allows(membership.role, Perm.VIEW_INQUIRIES)
        and inquiry_in_scope(membership, inquiry)
    )


def can_answer_inquiry(membership: Membership | None, inquiry) -> bool:
    return (
        membership is not None
        and role_allows(membership.role, Perm.ANSWER_INQUIRIES)
        and inquiry_in_scope(membership, inquiry)
    )


def readable_inquiries(membership: Membership | None, inquiries):
    """`inquiries` narrowed to those about the member's region's listings that they may read
    (the same rule as can_read_inquiry, as a query)."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_INQUIRIES):
        return inquiries.none()
    inquiries = inquiries.filter(listing__tenant_id=membership.tenant_id)
    if membership.role in AREA_SCOPED_ROLES and membership.area_id is None:
        return inquiries.none()
    if membership.role == Role.LURAH:
        return inquiries.filter(listing__area_id=membership.area_id)
    if membership.role == Role.CAMAT:
        return inquiries.filter(
            Q(listing__area_id=membership.area_id)
            | Q(StartsWith(F("listing__area_id"), f"{membership.area_id}."))
        )
    return inquiries
