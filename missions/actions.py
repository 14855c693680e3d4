"""The trade missions' actions: every change to a mission, its slots, its catalogue and its
meetings goes through one of these.

Each checks the permission (tenants.policy), validates with a clear message and a stable code
(missions/errors.py), writes in one transaction, records the audit event and sends its e-mail
after the commit (core.mail). Double booking is refused by the database itself (the meeting
table's partial unique constraints, missions/models.py): two people answering at once cannot
both book the same slot; the loser is told what to do instead."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, field_error
from marketplace.models import Listing
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Tenant
from tenants.policy import (
    can_answer_meeting,
    can_enrol_for_mission,
    can_enrol_listing,
    can_manage_mission,
    can_organise_missions,
    can_request_meeting,
    in_mission_province,
)

from . import notifications
from .errors import MissionError
from .models import BOOKED, Enrolment, Meeting, MeetingStatus, Mission, Slot

MAX_MESSAGE = 2000


def _text(value: str | None, field: str, message: str, code: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, code)
    if len(value) > limit:
        raise field_error(field, _("Write at most %(n)s characters.") % {"n": limit}, "max_length")
    return value


def slot_label(slot: Slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{date_format(start, 'DATE_FORMAT')} {start:%H.%M}–{end:%H.%M}"


# --- Missions and their slots -------------------------------------------------------------------


def create_mission(
    *,
    membership: Membership,
    title: str,
    destination: str,
    starts_on: date,
    ends_on: date,
    theme: str = "",
    description: str = "",
) -> Mission:
    """A province's office creates a trade mission; the offices of the province's regions are
    told they can enrol their listings."""
    ensure_writable(membership.tenant)
    if not can_organise_missions(membership):
        raise Forbidden(
            _("Only a province's cooperation office organises trade missions."),
            code=MissionError.NOT_A_PROVINCE_OFFICE,
        )
    title = _text(title, "title", _("Give the mission a title."), MissionError.TITLE_REQUIRED, 160)
    destination = _text(
        destination,
        "destination",
        _("Say where the mission goes (a province, a city or a country)."),
        MissionError.DESTINATION_REQUIRED,
        160,
    )
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise field_error(
            "ends_on",
            _("The last day must be the first day or after it."),
            MissionError.DATES_REVERSED,
        )
    with transaction.atomic():
        mission = Mission.objects.create(
            organiser=membership.tenant,
            title=title,
            destination=destination,
            theme=(theme or "").strip()[:200],
            description=(description or "").strip()[:5000],
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=membership.user,
        )
        audit.record(
            "mission.created",
            actor=membership.user,
            tenant=membership.tenant,
            obj=mission,
            data={
                "title": title,
                "destination": destination,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
        notifications.mission_created(mission)
    return mission


def add_slot(
    *,
    membership: Membership,
    mission: Mission,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
) -> Slot:
    """The organising office adds a time slot, within the mission's dates."""
    ensure_writable(membership.tenant)
    if not can_manage_mission(membership, mission):
        raise Forbidden(_("Only the organising province's office sets the mission's slots."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise field_error("ends_at", _("A slot ends after it starts."), MissionError.SLOT_REVERSED)
    first, last = timezone.localtime(starts_at).date(), timezone.localtime(ends_at).date()
    if first < mission.starts_on or last > mission.ends_on:
        raise field_error(
            "starts_at",
            _("A slot falls within the mission's dates (%(first)s to %(last)s).")
            % {
                "first": date_format(mission.starts_on, "DATE_FORMAT"),
                "last": date_format(mission.ends_on, "DATE_FORMAT"),
            },
            MissionError.SLOT_OUTSIDE_DATES,
        )
    try:
        with transaction.atomic():
            slot = Slot.objects.create(
                mission=mission, starts_at=starts_at, ends_at=ends_at, place=(place or "")[:160]
            )
            audit.record(
                "mission.slot_added",
                actor=membership.user,
                tenant=membership.tenant,
                obj=mission,
                data={"title": mission.title, "slot": slot_label(slot)},
            )
    except IntegrityError as exc:
        if "mission_slot_once" not in str(exc):
            raise
        raise field_error(
            "starts_at",
            _("The mission already has a slot starting at that time."),
            MissionError.SLOT_TAKEN,
        ) from exc
    return slot


# --- The catalogue ------------------------------------------------------------------------------


def enrol_listing(*, membership: Membership, mission: Mission, listing: Listing) -> Enrolment:
    """A region of the province puts one of its published listings in the mission's
    catalogue (its office, or a publisher of that listing)."""
    ensure_writable(membership.tenant)
    if not can_enrol_for_mission(membership, mission):
        raise Forbidden(
            _("Only the publishers of a region of %(province)s enrol listings in its mission.")
            % {"province": mission.organiser.name}
        )
    if not can_enrol_listing(membership, mission, listing):
        raise Forbidden(_("You enrol only the listings you may publish."))
    if mission.is_over:
        raise Conflict(_("This mission is over."), code=MissionError.MISSION_OVER)
    with transaction.atomic():
        locked = (
            Listing.objects.public()
            .select_for_update(of=("self",))
            .select_related("tenant__region")
            .filter(pk=listing.pk)
            .first()
        )
        if locked is None:
            raise field_error(
                "listing",
                _("Only a published, valid listing goes into a mission's catalogue."),
                MissionError.LISTING_NOT_PUBLIC,
            )
        if not in_mission_province(mission, locked.tenant.region):
            raise field_error(
                "listing",
                _("The listing's region is not in %(province)s.")
                % {"province": mission.organiser.name},
                MissionError.LISTING_OUTSIDE_PROVINCE,
            )
        if Enrolment.objects.filter(mission=mission, listing=locked).exists():
            raise field_error(
                "listing",
                _("This listing is in the mission's catalogue already."),
                MissionError.ALREADY_ENROLLED,
            )
        enrolment = Enrolment.objects.create(
            mission=mission, listing=locked, tenant=locked.tenant, enrolled_by=membership.user
        )
        audit.record(
            "mission.listing_enrolled",
            actor=membership.user,
            tenant=membership.tenant,
            obj=enrolment,
            data={"mission": mission.title, "listing": locked.title},
        )
        notifications.listing_enrolled(enrolment)
    return enrolment


# --- Meetings -----------------------------------------------------------------------------------


def _future_slot(mission: Mission, slot: Slot | None, field: str = "slot") -> Slot:
    if slot is None or slot.mission_id != mission.pk:
        raise field_error(field, _("Choose one of the mission's slots."), "required")
    if slot.starts_at <= timezone.now():
        raise field_error(field, _("This slot has passed: choose a later one."), "slot_passed")
    return slot


def _booked(slot: Slot, tenant: Tenant, exclude: int | None = None) -> bool:
    booked = Meeting.objects.filter(slot=slot, tenant=tenant, status__in=BOOKED)
    if exclude is not None:
        booked = booked.exclude(pk=exclude)
    return booked.exists()


def _double_booked(tenant: Tenant, slot: Slot, field: str) -> ValidationError:
    return field_error(
        field,
        _(
            "%(region)s already meets someone at %(slot)s. Choose another slot, or decline "
            "or move the other meeting first."
        )
        % {"region": tenant.name, "slot": slot_label(slot)},
        MissionError.DOUBLE_BOOKED,
    )


def _requester_busy(slot: Slot, field: str) -> ValidationError:
    return field_error(
        field,
        _("The requester already has a meeting or a request at %(slot)s: choose another slot.")
        % {"slot": slot_label(slot)},
        MissionError.REQUESTER_BUSY,
    )


def _save_booking(meeting: Meeting, fields: list[str], field: str) -> None:
    """Save in a savepoint: the database's constraints decide double booking."""
    try:
        with transaction.atomic():
            meeting.save(update_fields=fields)
    except IntegrityError as exc:
        if "meeting_region_slot_booked_once" in str(exc):
            raise _double_booked(meeting.tenant, meeting.slot, field) from exc
        if "meeting_requester_slot_once" in str(exc):
            raise _requester_busy(meeting.slot, field) from exc
        raise


def request_meeting(
    *,
    user,
    mission: Mission,
    listing: Listing,
    slot: Slot,
    message: str,
    organisation: str = "",
    requester_tenant: Tenant | None = None,
) -> Meeting:
    """A buyer or a partner asks to meet the region of an enrolled listing in a free slot: for
    themselves (a third party), or for a region they are a member of (not the region asked)."""
    if requester_tenant is not None and requester_tenant.pk == listing.tenant_id:
        raise field_error(
            "requester_tenant",
            _("This is your own region's listing: meet its publisher at home."),
            MissionError.OWN_REGION,
        )
    if requester_tenant is not None:
        ensure_writable(requester_tenant)
    if not can_request_meeting(user, requester_tenant):
        raise Forbidden(
            _("You ask for a meeting for yourself, or for a region you are a member of."),
            code=MissionError.NOT_A_MEMBER,
        )
    if mission.is_over:
        raise Conflict(_("This mission is over."), code=MissionError.MISSION_OVER)
    message = _text(
        message,
        "message",
        _("Say what you would like to talk about."),
        MissionError.MESSAGE_REQUIRED,
        MAX_MESSAGE,
    )
    slot = _future_slot(mission, slot)
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_related("listing__tenant__region", "tenant")
            .filter(mission=mission, listing_id=listing.pk)
            .first()
        )
        if enrolment is None or not enrolment.listing.is_public:
            raise NotFound(
                _("This listing is not in the mission's catalogue."),
                code=MissionError.NOT_ENROLLED,
            )
        tenant = enrolment.tenant
        if _booked(slot, tenant):
            raise _double_booked(tenant, slot, "slot")
        meeting = Meeting(
            mission=mission,
            slot=slot,
            requested_slot=slot,
            tenant=tenant,
            listing=enrolment.listing,
            requester=user,
            requester_email=user.email,
            requester_tenant=requester_tenant,
            organisation=(organisation or "").strip()[:160],
            message=message,
        )
        try:
            with transaction.atomic():
                meeting.save()
        except IntegrityError as exc:
            if "meeting_requester_slot_once" in str(exc):
                raise _requester_busy(slot, "slot") from exc
            raise
        audit.record(
            "meeting.requested",
            actor=user,
            tenant=tenant,
            obj=meeting,
            data={
                "mission": mission.title,
                "listing": enrolment.listing.title,
                "slot": slot_label(slot),
                "from_region": requester_tenant.region_id if requester_tenant else None,
            },
        )
        notifications.meeting_requested(meeting)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("tenant", "slot", "listing__area", "mission", "requester_tenant")
        .get(pk=meeting.pk)
    )


def _answerable(membership: Membership, meeting: Meeting, allowed: tuple[str, ...]) -> None:
    ensure_writable(membership.tenant)
    if not can_answer_meeting(membership, meeting):
        raise Forbidden(
            _("Only the region's office and the listing's publishers answer this request.")
        )
    if meeting.status not in allowed:
        raise Conflict(
            _("This meeting is %(status)s: it cannot be answered that way now.")
            % {"status": meeting.get_status_display().lower()},
            code=MissionError.WRONG_STATUS,
        )


def _answered(meeting: Meeting, membership: Membership, status: str, answer: str) -> list[str]:
    meeting.status = status
    meeting.answer = (answer or "").strip()[:MAX_MESSAGE]
    meeting.answered_by = membership.user
    meeting.answered_at = timezone.now()
    return ["status", "answer", "answered_by", "answered_at"]


def _record(action: str, membership: Membership, meeting: Meeting, **data) -> None:
    audit.record(
        action,
        actor=membership.user,
        tenant=membership.tenant,
        obj=meeting,
        data={
            "mission": meeting.mission.title,
            "listing": meeting.listing.title,
            "with": meeting.requester_label,
            "slot": slot_label(meeting.slot),
            **data,
        },
    )


def accept_meeting(*, membership: Membership, meeting: Meeting, answer: str = "") -> Meeting:
    """The region accepts a request in the slot asked for (refused if it meets someone else
    then: the database's constraint)."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _answerable(membership, meeting, (MeetingStatus.REQUESTED,))
        fields = _answered(meeting, membership, MeetingStatus.ACCEPTED, answer)
        _save_booking(meeting, fields, "answer")
        _record("meeting.accepted", membership, meeting)
        notifications.meeting_answered(meeting)
    return meeting


def decline_meeting(*, membership: Membership, meeting: Meeting, answer: str = "") -> Meeting:
    """The region declines a request, or cancels a meeting it had accepted."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _answerable(membership, meeting, (MeetingStatus.REQUESTED, *BOOKED))
        fields = _answered(meeting, membership, MeetingStatus.DECLINED, answer)
        meeting.save(update_fields=fields)
        _record("meeting.declined", membership, meeting)
        notifications.meeting_answered(meeting)
    return meeting


def reschedule_meeting(
    *, membership: Membership, meeting: Meeting, slot: Slot | None, answer: str = ""
) -> Meeting:
    """The region moves a request (or an accepted meeting) to another free slot of the mission;
    the meeting then holds that slot."""
    with transaction.atomic():
        meeting = _lock(meeting)
        _answerable(membership, meeting, (MeetingStatus.REQUESTED, *BOOKED))
        slot = _future_slot(meeting.mission, slot)
        if slot.pk == meeting.slot_id:
            raise field_error(
                "slot",
                _("Choose a slot other than the meeting's present one."),
                MissionError.SAME_SLOT,
            )
        before = slot_label(meeting.slot)
        meeting.slot = slot
        fields = [*_answered(meeting, membership, MeetingStatus.RESCHEDULED, answer), "slot"]
        _save_booking(meeting, fields, "slot")
        _record("meeting.rescheduled", membership, meeting, before=before)
        notifications.meeting_answered(meeting)
    return meeting
