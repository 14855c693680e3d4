"""Reads of the trade missions: the list, the catalogue, free slots, a person's meetings, the
access helpers (what someone may not see does not exist for them) and the outcome counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from marketplace.models import Inquiry, Listing
from tenants.models import Membership, Tenant
from tenants.policy import (
    can_enrol_for_mission,
    can_enrol_listing,
    can_manage_mission,
    can_read_meeting,
    membership_for,
    readable_meetings,
)

from .models import BOOKED, Enrolment, Meeting, Mission, Slot

# How long after its last day a mission's inquiries still count as its outcome: the buyers met
# on the mission write in the weeks after it.
FOLLOW_UP_DAYS = 30


def missions():
    return (
        Mission.objects.live()
        .select_related("organiser__region")
        .annotate(
            listing_count=Count("enrolments", distinct=True),
            region_count=Count("enrolments__tenant", distinct=True),
        )
    )


def get_mission(pk: int) -> Mission:
    mission = Mission.objects.live().select_related("organiser__region").filter(pk=pk).first()
    if mission is None:
        raise Http404
    return mission


def catalogue(mission: Mission):
    """The enrolled listings anyone may see (an enrolled listing that was archived or expired
    leaves the catalogue), by region."""
    return (
        Enrolment.objects.filter(mission=mission, listing__in=Listing.objects.public())
        .select_related("listing__tenant__region", "listing__area", "tenant")
        .order_by("tenant__name", "listing__title", "pk")
    )


def slots_with_booking(mission: Mission, tenant: Tenant | None = None):
    """The mission's slots; with `tenant`, each marked `taken` when that region already meets
    someone then."""
    slots = Slot.objects.filter(mission=mission)
    if tenant is not None:
        slots = slots.annotate(
            taken=Exists(
                Meeting.objects.filter(slot=OuterRef("pk"), tenant=tenant, status__in=BOOKED)
            )
        )
    return slots


def free_slots(mission: Mission, tenant: Tenant):
    return [
        s
        for s in slots_with_booking(mission, tenant).filter(starts_at__gt=timezone.now())
        if not s.taken
    ]


def enrollable_listings(user, mission: Mission) -> list[Listing]:
    """The public listings `user` may enrol in `mission` and that are not in it yet."""
    memberships = Membership.objects.filter(user=user).select_related("tenant__region", "area")
    listings: list[Listing] = []
    for membership in memberships:
        if not can_enrol_for_mission(membership, mission):
            continue
        candidates = (
            Listing.objects.public()
            .of_region(membership.tenant)
            .exclude(mission_enrolments__mission=mission)
            .select_related("area", "tenant")
            .order_by("title")
        )
        listings += [item for item in candidates if can_enrol_listing(membership, mission, item)]
    return listings


def may_enrol(user, mission: Mission) -> bool:
    if not (user and user.is_authenticated):
        return False
    return any(
        can_enrol_for_mission(m, mission)
        for m in Membership.objects.filter(user=user).select_related("tenant__region")
    )


def managing_membership(user, mission: Mission) -> Membership | None:
    membership = membership_for(user, mission.organiser)
    return membership if can_manage_mission(membership, mission) else None


def _meetings():
    return Meeting.objects.select_related(
        "slot", "requested_slot", "tenant__region", "listing__area", "requester_tenant", "mission"
    )


def meetings_of(user):
    """The meetings `user` asked for."""
    if not (user and user.is_authenticated):
        return Meeting.objects.none()
    return _meetings().filter(requester=user).order_by("slot__starts_at", "pk")


def region_meetings(membership: Membership, mission: Mission | None = None):
    """The meetings with the member's region they may read (of one mission, or all)."""
    meetings = readable_meetings(membership, _meetings())
    if mission is not None:
        meetings = meetings.filter(mission=mission)
    return meetings.order_by("slot__starts_at", "pk")


def readable_region_meetings(user, mission: Mission) -> list[tuple[Tenant, list[Meeting]]]:
    """For the catalogue page: each region `user` reads meetings for, with its meetings."""
    if not (user and user.is_authenticated):
        return []
    result = []
    tenant_ids = set(Enrolment.objects.filter(mission=mission).values_list("tenant_id", flat=True))
    for membership in Membership.objects.filter(user=user, tenant_id__in=tenant_ids).select_related(
        "tenant__region", "area"
    ):
        meetings = list(region_meetings(membership, mission))
        result.append((membership.tenant, meetings))
    return result


def get_meeting_for(user, pk: int) -> tuple[Meeting, Membership | None]:
    """The meeting `pk` if `user` asked for it or reads it for the region asked, with that
    membership; Http404 otherwise (missing or not theirs)."""
    meeting = _meetings().filter(pk=pk).first()
    if meeting is None or not (user and user.is_authenticated):
        raise Http404
    membership = membership_for(user, meeting.tenant)
    if can_read_meeting(membership, meeting):
        return meeting, membership
    if meeting.requester_id == user.pk:
        return meeting, None
    raise Http404


# --- Outcomes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    region: str
    listings: int
    meetings: int
    inquiries: int
    offers: int
    signed: int


def window(mission: Mission) -> tuple[datetime, datetime]:
    """From the mission's first day to FOLLOW_UP_DAYS after its last, in local time."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(mission.starts_on, time.min, tzinfo=tz)
    end = datetime.combine(
        mission.ends_on + timedelta(days=FOLLOW_UP_DAYS + 1), time.min, tzinfo=tz
    )
    return start, end


def outcomes(mission: Mission) -> tuple[Outcome, list[Outcome]]:
    """What the mission led to, in total and per enrolled region: the listings enrolled, the
    meetings held (accepted or moved), the inquiries about enrolled listings sent within the
    mission's window, those that became an offer or a proposal (marketplace/inquiries.py keeps
    the link) and those whose agreement was signed (the shared record in cooperation). Three
    queries whatever the size of the mission."""
    start, end = window(mission)
    enrolled = Enrolment.objects.filter(mission=mission)
    inquiries = (
        Inquiry.objects.filter(
            listing_id__in=enrolled.values("listing_id"), created_at__gte=start, created_at__lt=end
        )
        .values("listing__tenant_id")
        .annotate(
            inquiries=Count("pk"),
            offers=Count("pk", filter=Q(cooperation__isnull=False) | Q(proposal__isnull=False)),
            signed=Count(
                "pk",
                filter=Q(cooperation__signed_on__isnull=False)
                | Q(proposal__cooperation__signed_on__isnull=False),
            ),
        )
    )
    by_region = {row["listing__tenant_id"]: row for row in inquiries}
    meetings = dict(
        Meeting.objects.filter(mission=mission, status__in=BOOKED)
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    rows = []
    for tenant_id, name, listings in (
        enrolled.values("tenant_id", "tenant__name")
        .annotate(n=Count("pk"))
        .order_by("tenant__name")
        .values_list("tenant_id", "tenant__name", "n")
    ):
        found = by_region.get(tenant_id, {})
        rows.append(
            Outcome(
                region=name,
                listings=listings,
                meetings=meetings.get(tenant_id, 0),
                inquiries=found.get("inquiries", 0),
                offers=found.get("offers", 0),
                signed=found.get("signed", 0),
            )
        )
    total = Outcome(
        region="",
        listings=sum(r.listings for r in rows),
        meetings=sum(r.meetings for r in rows),
        inquiries=sum(r.inquiries for r in rows),
        offers=sum(r.offers for r in rows),
        signed=sum(r.signed for r in rows),
    )
    return total, rows
