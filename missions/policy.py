"""Trade missions' permissions and who may organise, enrol in, read and answer what.
Registered with the permission mechanism (tenants.policy.grant) from MissionsConfig.ready()."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import F, Q
from django.db.models.lookups import StartsWith

from marketplace.policy import can_edit_listing, can_inquire_for, inquiry_in_scope
from tenants.models import Membership, Region, Role, Tenant
from tenants.policy import AREA_SCOPED_ROLES, can_act, grant, has_perm, role_allows


class MissionPerm(StrEnum):
    # Organise a province's missions (its office; see can_organise_missions); enrol the
    # region's listings in a mission of its province; read the meetings requested with the
    # region in a mission and answer them (see the rules below).
    ORGANISE_MISSIONS = "mission.organise"
    ENROL_IN_MISSIONS = "mission.enrol"
    VIEW_MEETINGS = "meeting.view"
    ANSWER_MEETINGS = "meeting.answer"


Perm = MissionPerm  # within this module

# A province's office organises its missions (only a province's: the ORGANISE permission means
# nothing in a kabupaten or kota, can_organise_missions). The publishers of a region of the
# province enrol its published listings (the office any of them, OPD staff, camat and lurah those
# they may edit: can_enrol_listing). A meeting requested with the region is about one of its
# enrolled listings, so it is read and answered like an inquiry about that listing: the office,
# the TKKSD and the publishers read it (a camat or lurah for their area), the office and the
# publishers answer; viewers do not (it carries the requester's address).
ROWS = {
    Role.ADMIN: {
        Perm.ORGANISE_MISSIONS,
        Perm.ENROL_IN_MISSIONS,
        Perm.VIEW_MEETINGS,
        Perm.ANSWER_MEETINGS,
    },
    Role.TKKSD: {Perm.VIEW_MEETINGS},
    Role.OPD: {Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS},
    Role.CAMAT: {Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS},
    Role.LURAH: {Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS},
}
WRITES = {Perm.ORGANISE_MISSIONS, Perm.ENROL_IN_MISSIONS, Perm.ANSWER_MEETINGS}


def register() -> None:
    grant(MissionPerm, role_perms=ROWS, writes=WRITES, owner="missions")


# --- Trade missions (missions/) ---------------------------------------------------------------
# A mission belongs to the province whose office organised it; the regions "of the province"
# are the province itself and every kabupaten and kota in it. Anyone with a verified account
# requests a meeting, for themselves (a buyer, a company) or for a region they are a member of
# (never the region asked); the region asked answers (the rules above).


def can_organise_missions(membership: Membership | None) -> bool:
    """The office of a province (not of a kabupaten or kota) organises trade missions."""
    return (
        membership is not None
        and membership.tenant.region is not None
        and membership.tenant.region.kind == "provinsi"
        and has_perm(membership.user, membership.tenant, Perm.ORGANISE_MISSIONS, membership)
    )


def can_manage_mission(membership: Membership | None, mission) -> bool:
    return (
        membership is not None
        and membership.tenant_id == mission.organiser_id
        and can_organise_missions(membership)
    )


def in_mission_province(mission, region: Region | None) -> bool:
    province = mission.organiser.region_id
    return region is not None and (
        region.code == province or region.code.startswith(f"{province}.")
    )


def can_enrol_for_mission(membership: Membership | None, mission) -> bool:
    """May the member enrol listings of their region in `mission` at all?"""
    return (
        membership is not None
        and in_mission_province(mission, membership.tenant.region)
        and has_perm(membership.user, membership.tenant, Perm.ENROL_IN_MISSIONS, membership)
    )


def can_enrol_listing(membership: Membership | None, mission, listing) -> bool:
    """The office enrols any of its region's listings; a publisher those they may edit."""
    if membership is None or not can_enrol_for_mission(membership, mission):
        return False
    if membership.tenant_id != listing.tenant_id:
        return False
    return membership.role == Role.ADMIN or can_edit_listing(membership, listing)


def can_request_meeting(user, requester_tenant: Tenant | None) -> bool:
    """For themselves, or for a region they may write for (as for an inquiry)."""
    if requester_tenant is None:
        return can_act(user)
    return can_inquire_for(user, requester_tenant)


def can_read_meeting(membership: Membership | None, meeting) -> bool:
    """A meeting with the member's region, about a listing within their reach (like an
    inquiry about that listing)."""
    return (
        membership is not None
        and role_allows(membership.role, Perm.VIEW_MEETINGS)
        and inquiry_in_scope(membership, meeting)
    )


def can_answer_meeting(membership: Membership | None, meeting) -> bool:
    return (
        membership is not None
        and has_perm(membership.user, membership.tenant, Perm.ANSWER_MEETINGS, membership)
        and inquiry_in_scope(membership, meeting)
    )


def readable_meetings(membership: Membership | None, meetings):
    """`meetings` narrowed to those with the member's region they may read (can_read_meeting
    as a query: the inquiries' rule, on the meeting's listing)."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_MEETINGS):
        return meetings.none()
    meetings = meetings.filter(tenant_id=membership.tenant_id)
    if membership.role in AREA_SCOPED_ROLES and membership.area_id is None:
        return meetings.none()
    if membership.role == Role.LURAH:
        return meetings.filter(listing__area_id=membership.area_id)
    if membership.role == Role.CAMAT:
        return meetings.filter(
            Q(listing__area_id=membership.area_id)
            | Q(StartsWith(F("listing__area_id"), f"{membership.area_id}."))
        )
    return meetings


# A region's outgoing requests (asked by its members for the region): its office and its TKKSD
# follow them all, as they follow the inquiries sent for the region; any other member sees the
# requests they made themselves. The requester cancels their request or meeting, and so does the
# office of the region they asked for (it speaks for the region when the person cannot).
SENT_MEETING_READERS = frozenset({Role.ADMIN, Role.TKKSD})


def can_read_sent_meeting(membership: Membership | None, meeting) -> bool:
    return (
        membership is not None
        and meeting.requester_tenant_id is not None
        and membership.tenant_id == meeting.requester_tenant_id
        and membership.role in SENT_MEETING_READERS
    )


def readable_sent_meetings(membership: Membership | None, meetings):
    """`meetings` narrowed to the requests made for the member's region that they may follow
    (can_read_sent_meeting as a query)."""
    if membership is None or membership.role not in SENT_MEETING_READERS:
        return meetings.none()
    return meetings.filter(requester_tenant_id=membership.tenant_id)


def can_cancel_meeting(user, meeting, membership: Membership | None = None) -> bool:
    """`membership` is the person's membership in the region the request was made for."""
    if not can_act(user):
        return False
    if meeting.requester_id == user.pk:
        return True
    return (
        membership is not None
        and meeting.requester_tenant_id is not None
        and membership.tenant_id == meeting.requester_tenant_id
        and membership.role == Role.ADMIN
    )
