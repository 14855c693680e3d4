"""Reads of the trade missions: the list, the catalogue, free slots, a person's meetings, the
access helpers (what someone may not see does not exist for them) and the outcome counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from marketplace.models import Inquiry, Listing
from tenants.models import Membership, Tenant
from tenants.policy import membership_for, role_allows

from .models import BOOKED, LIVE, Enrolment, Meeting, MeetingStatus, Mission, Slot
from .policy import (
    MissionPerm,
    can_answer_meeting,
    can_enrol_for_mission,
    can_enrol_listing,
    can_manage_mission,
    can_read_meeting,
    can_read_sent_meeting,
    readable_meetings,
    readable_sent_meetings,
)

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
    """The mission's slots on its programme; with `tenant`, each marked `taken` when that
    region already meets someone then."""
    slots = Slot.objects.current().filter(mission=mission)
    if tenant is not None:
        slots = slots.annotate(
            taken=Exists(
                Meeting.objects.filter(slot=OuterRef("pk"), tenant=tenant, status__in=BOOKED)
            )
        )
    return slots


def programme(mission: Mission):
    """The slots on the programme, each with `live` (its requests and meetings still on) and
    `booked` (its meetings held): what the organiser manages."""
    return (
        Slot.objects.current()
        .filter(mission=mission)
        .annotate(
            live=Count("meetings", filter=Q(meetings__status__in=LIVE)),
            booked=Count("meetings", filter=Q(meetings__status__in=BOOKED)),
        )
    )


def get_slot_to_manage(user, mission: Mission, pk: int) -> tuple[Slot, Membership]:
    """A slot on `mission`'s programme and the organiser's membership; PermissionDenied for
    anyone but the organising office, Http404 for a slot not on the programme."""
    managing = managing_membership(user, mission)
    if managing is None:
        raise PermissionDenied
    slot = programme(mission).filter(pk=pk).first()
    if slot is None:
        raise Http404
    slot.mission = mission
    return slot, managing


def slot_meetings(slot: Slot) -> list[Meeting]:
    """The requests and meetings still on in `slot` (what removing it cancels)."""
    return list(_meetings().filter(slot=slot, status__in=LIVE).order_by("tenant__name", "pk"))


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


def meetings_of(user, mission: Mission | None = None):
    """The meetings `user` asked for (in one mission, or all)."""
    if not (user and user.is_authenticated):
        return Meeting.objects.none()
    meetings = _meetings().filter(requester=user)
    if mission is not None:
        meetings = meetings.filter(mission=mission)
    return meetings.order_by("slot__starts_at", "pk")


def region_meetings(membership: Membership, mission: Mission | None = None):
    """The meetings with the member's region they may read (of one mission, or all)."""
    meetings = readable_meetings(membership, _meetings())
    if mission is not None:
        meetings = meetings.filter(mission=mission)
    return meetings.order_by("slot__starts_at", "pk")


def sent_meetings(membership: Membership, mission: Mission | None = None):
    """The requests the member's region made of other regions that they follow (the office
    and the TKKSD: missions.policy.readable_sent_meetings)."""
    meetings = readable_sent_meetings(membership, _meetings())
    if mission is not None:
        meetings = meetings.filter(mission=mission)
    return meetings.order_by("slot__starts_at", "pk")


@dataclass
class RegionMeetings:
    """One of the person's regions, with the requests made of it that they read (`incoming`,
    each marked `answerable` when they may answer it) and those it made that they follow
    (`outgoing`); `reads_incoming` says whether they read its incoming requests at all."""

    tenant: Tenant
    reads_incoming: bool
    incoming: list[Meeting]
    outgoing: list[Meeting]


def meetings_by_region(user, mission: Mission | None = None) -> list[RegionMeetings]:
    """Each region of `user` in which they read requests, incoming or outgoing (of one mission,
    or all). A region where they read neither is left out: a member without the right to read
    its meetings is not told "none" when there are some."""
    if not (user and user.is_authenticated):
        return []
    enrolled: set[int] | None = None
    if mission is not None:
        enrolled = set(
            Enrolment.objects.filter(mission=mission).values_list("tenant_id", flat=True)
        )
    result = []
    for membership in (
        Membership.objects.filter(user=user)
        .select_related("tenant__region", "area", "user")
        .order_by("tenant__name")
    ):
        reads_incoming = role_allows(membership.role, MissionPerm.VIEW_MEETINGS) and (
            enrolled is None or membership.tenant_id in enrolled
        )
        incoming = list(region_meetings(membership, mission)) if reads_incoming else []
        for meeting in incoming:
            meeting.answerable = can_answer_meeting(membership, meeting)
        outgoing = list(sent_meetings(membership, mission))
        if mission is None and not incoming and not outgoing:
            continue  # the page of all missions lists the regions with something to show
        if reads_incoming or outgoing:
            result.append(RegionMeetings(membership.tenant, reads_incoming, incoming, outgoing))
    return result


@dataclass(frozen=True)
class Overview:
    """Every request and meeting of a mission, for its organiser, with the count per state."""

    meetings: list[Meeting]
    counts: list[tuple[str, int]]
    regions: int


def mission_overview(user, mission: Mission) -> Overview | None:
    """For the organising office only (None for anyone else): who asked to meet whom, about
    what, in which slot, and where each request stands, cancelled and declined ones included."""
    if managing_membership(user, mission) is None:
        return None
    meetings = list(
        _meetings()
        .select_related("slot", "tenant", "requester_tenant")
        .filter(mission=mission)
        .order_by("slot__starts_at", "tenant__name", "pk")
    )
    counts = [
        (label, sum(1 for m in meetings if m.status == value))
        for value, label in MeetingStatus.choices
    ]
    return Overview(
        meetings=meetings,
        counts=[(str(label), n) for label, n in counts if n],
        regions=len({m.tenant_id for m in meetings}),
    )


def get_meeting_for(user, pk: int) -> tuple[Meeting, Membership | None]:
    """The meeting `pk` if `user` asked for it, reads it for the region asked (returned with
    that membership, for answering) or follows it for the region that asked; Http404
    otherwise (missing or not theirs)."""
    meeting = _meetings().filter(pk=pk).first()
    if meeting is None or not (user and user.is_authenticated):
        raise Http404
    membership = membership_for(user, meeting.tenant)
    if can_read_meeting(membership, meeting):
        return meeting, membership
    if meeting.requester_id == user.pk:
        return meeting, None
    if meeting.requester_tenant_id is not None and can_read_sent_meeting(
        membership_for(user, meeting.requester_tenant), meeting
    ):
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
