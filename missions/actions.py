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
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.actions import top_level
from core.errors import Conflict, Forbidden, NotFound, field_error
from marketplace.models import Listing
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Tenant
from tenants.policy import membership_for

from . import notifications
from .errors import MissionError
from .models import (
    BOOKED,
    LIVE,
    CancelledBy,
    Enrolment,
    Meeting,
    MeetingStatus,
    Mission,
    Slot,
)
from .policy import (
    can_answer_meeting,
    can_cancel_meeting,
    can_enrol_for_mission,
    can_enrol_listing,
    can_manage_mission,
    can_organise_missions,
    can_request_meeting,
    in_mission_province,
)

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


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise field_error(
            "ends_on",
            _("The last day must be the first day or after it."),
            MissionError.DATES_REVERSED,
        )


def _lock_mission(mission: Mission) -> Mission:
    """The mission's row, locked: its dates and its slots change one writer at a time (a slot
    added while the dates move would fall outside them)."""
    return (
        Mission.objects.select_for_update(of=("self",))
        .select_related("organiser__region")
        .get(pk=mission.pk)
    )


@top_level
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
    _check_dates(starts_on, ends_on)
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


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


@top_level
def update_mission(
    *,
    membership: Membership,
    mission: Mission,
    title: str,
    destination: str,
    starts_on: date,
    ends_on: date,
    theme: str = "",
    description: str = "",
) -> Mission:
    """The organising office corrects its mission.

    New dates never leave a slot of the programme outside them: the office removes such slots
    first (remove_slot, which tells everyone who had a request or a meeting in them), so no
    meeting is silently left on a day the mission no longer has. Once the mission is over its
    dates stay as they were (its outcomes are counted from them). When the dates or the
    destination change, the enrolled regions' offices and everyone with a request or meeting
    still on are told: they travel on those dates."""
    ensure_writable(membership.tenant)
    if not can_manage_mission(membership, mission):
        raise Forbidden(_("Only the organising province's office changes the mission."))
    new = {
        "title": _text(
            title, "title", _("Give the mission a title."), MissionError.TITLE_REQUIRED, 160
        ),
        "destination": _text(
            destination,
            "destination",
            _("Say where the mission goes (a province, a city or a country)."),
            MissionError.DESTINATION_REQUIRED,
            160,
        ),
        "theme": (theme or "").strip()[:200],
        "description": (description or "").strip()[:5000],
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    _check_dates(starts_on, ends_on)
    with transaction.atomic():
        mission = _lock_mission(mission)
        changed = {
            name: [str(getattr(mission, name)), str(value)]
            for name, value in new.items()
            if getattr(mission, name) != value
        }
        if not changed:
            return mission
        dates_moved = bool({"starts_on", "ends_on"} & set(changed))
        if dates_moved and mission.is_over:
            raise Conflict(
                _(
                    "This mission is over: its dates stay as they were (its outcomes count "
                    "from them)."
                ),
                code=MissionError.MISSION_OVER,
            )
        if dates_moved:
            _keep_slots_within(mission, starts_on, ends_on)
        for name, value in new.items():
            setattr(mission, name, value)
        mission.save(update_fields=list(changed))
        audit.record(
            "mission.updated",
            actor=membership.user,
            tenant=membership.tenant,
            obj=mission,
            data={"title": mission.title, "changed": changed},
        )
        if dates_moved or "destination" in changed:
            notifications.mission_changed(mission, actor=membership.user)
    return mission


def _keep_slots_within(mission: Mission, starts_on: date, ends_on: date) -> None:
    """Refuse dates that leave slots of the programme outside them, naming the slots."""
    errors: dict[str, list[Slot]] = {"starts_on": [], "ends_on": []}
    for slot in mission.slots.current():
        if timezone.localtime(slot.starts_at).date() < starts_on:
            errors["starts_on"].append(slot)
        elif timezone.localtime(slot.ends_at).date() > ends_on:
            errors["ends_on"].append(slot)
    found = {}
    for field, slots in errors.items():
        if not slots:
            continue
        found[field] = ValidationError(
            ngettext(
                "The slot %(slots)s falls outside these dates. Remove it first (its requests "
                "and meetings are then cancelled and both sides told) or keep that day.",
                "%(count)s slots fall outside these dates: %(slots)s. Remove them first (their "
                "requests and meetings are then cancelled and both sides told) or keep those "
                "days.",
                len(slots),
            )
            % {"count": len(slots), "slots": "; ".join(slot_label(s) for s in slots)},
            code=MissionError.SLOTS_OUTSIDE_NEW_DATES,
        )
    if found:
        raise ValidationError(found)


@top_level
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
    try:
        with transaction.atomic():
            mission = _lock_mission(mission)
            first = timezone.localtime(starts_at).date()
            last = timezone.localtime(ends_at).date()
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


@top_level
def remove_slot(
    *, membership: Membership, slot: Slot, note: str = "", cancel_meetings: bool = False
) -> int:
    """The organising office takes a slot off the programme; returns how many requests and
    meetings it cancelled.

    A slot that still holds requests or meetings is removed only when the office confirms
    (`cancel_meetings`): they are then cancelled and both sides told, with the office's `note`.
    Refusing instead would leave the organiser stuck, since only the regions move meetings,
    while the slot is usually removed because the time is no longer there (the hall, the
    programme); what the people who were to meet need is to hear it at once, and the
    confirmation keeps a click from cancelling meetings unnoticed. A slot that has started
    stays: its meetings happened. A slot no request ever named is deleted; any other stays in
    the record, marked removed, so a cancelled meeting still says when it was to be."""
    ensure_writable(membership.tenant)
    if not can_manage_mission(membership, slot.mission):
        raise Forbidden(_("Only the organising province's office sets the mission's slots."))
    note = (note or "").strip()
    if len(note) > MAX_MESSAGE:
        raise field_error(
            "note", _("Write at most %(n)s characters.") % {"n": MAX_MESSAGE}, "max_length"
        )
    with transaction.atomic():
        mission = _lock_mission(slot.mission)
        # Locked before its meetings are read: a request in this slot committing meanwhile is
        # either seen here or sees the slot removed (request_meeting checks after its insert).
        locked = (
            Slot.objects.select_for_update()
            .filter(pk=slot.pk, mission=mission, removed_at__isnull=True)
            .first()
        )
        if locked is None:
            raise NotFound(_("This slot is not on the mission's programme."))
        slot = locked
        if slot.starts_at <= timezone.now():
            raise Conflict(
                _("This slot has started or passed: it stays in the mission's record."),
                code=MissionError.SLOT_PASSED,
            )
        live = list(
            Meeting.objects.select_for_update(of=("self",))
            .select_related("tenant", "listing__area", "listing__created_by", "requester_tenant")
            .filter(slot=slot, status__in=LIVE)
        )
        if live and not cancel_meetings:
            raise field_error(
                "cancel_meetings",
                ngettext(
                    "This slot holds %(count)s request or meeting. Confirm that it is "
                    "cancelled: both sides are told.",
                    "This slot holds %(count)s requests or meetings. Confirm that they are "
                    "cancelled: both sides are told.",
                    len(live),
                )
                % {"count": len(live)},
                MissionError.SLOT_IN_USE,
            )
        label = slot_label(slot)
        now = timezone.now()
        for meeting in live:
            meeting.mission = mission
            meeting.slot = slot
            _cancel(meeting, membership.user, CancelledBy.ORGANISER, note, now)
            notifications.meeting_cancelled(meeting, actor=membership.user)
        if Meeting.objects.filter(Q(slot=slot) | Q(requested_slot=slot)).exists():
            slot.removed_at = now
            slot.save(update_fields=["removed_at"])
        else:
            slot.delete()
        audit.record(
            "mission.slot_removed",
            actor=membership.user,
            tenant=membership.tenant,
            obj=mission,
            data={"title": mission.title, "slot": label, "cancelled": len(live)},
        )
    return len(live)


def _cancel(meeting: Meeting, user, by: str, note: str, now) -> None:
    """Cancel `meeting` (locked by the caller) and record it in the region's history."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_as = by
    meeting.cancelled_by = user
    meeting.cancelled_at = now
    meeting.cancel_note = note
    meeting.save(
        update_fields=["status", "cancelled_as", "cancelled_by", "cancelled_at", "cancel_note"]
    )
    audit.record(
        "meeting.cancelled",
        actor=user,
        tenant=meeting.tenant,
        obj=meeting,
        data={
            "mission": meeting.mission.title,
            "listing": meeting.listing.title,
            "with": meeting.requester_label,
            "slot": slot_label(meeting.slot),
            "by": str(by),
        },
    )


# --- The catalogue ------------------------------------------------------------------------------


@top_level
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
    if slot is None or slot.mission_id != mission.pk or slot.removed_at is not None:
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


def _still_on_programme(slot: Slot, field: str) -> None:
    """After a meeting was written in `slot` (which waited for a removal of the slot under
    way, remove_slot): refuse if the organiser has just removed it."""
    if not Slot.objects.current().filter(pk=slot.pk).exists():
        raise field_error(
            field,
            _("The organiser has just removed this slot: choose another one."),
            MissionError.SLOT_PASSED,
        )


@top_level
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
        _still_on_programme(slot, "slot")
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


@top_level
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


@top_level
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


@top_level
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
        _still_on_programme(slot, "slot")
        _record("meeting.rescheduled", membership, meeting, before=before)
        notifications.meeting_answered(meeting)
    return meeting


@top_level
def cancel_meeting(*, user, meeting: Meeting, note: str = "") -> Meeting:
    """The requester calls off their request or meeting (or the office of the region they asked
    for, when they cannot); the region asked is told, and the requester too when the office
    cancelled for them. A meeting whose slot has started stays as it was."""
    note = (note or "").strip()
    if len(note) > MAX_MESSAGE:
        raise field_error(
            "note", _("Write at most %(n)s characters.") % {"n": MAX_MESSAGE}, "max_length"
        )
    with transaction.atomic():
        meeting = _lock(meeting)
        requesting = meeting.requester_tenant
        membership = membership_for(user, requesting) if requesting is not None else None
        if not can_cancel_meeting(user, meeting, membership):
            raise Forbidden(
                _(
                    "Only the person who asked for this meeting, or the office of the region "
                    "they asked for, cancels it."
                ),
                code=MissionError.NOT_THE_REQUESTER,
            )
        if requesting is not None:
            ensure_writable(requesting)
        if meeting.status not in LIVE:
            raise Conflict(
                _("This meeting is %(status)s: there is nothing to cancel.")
                % {"status": meeting.get_status_display().lower()},
                code=MissionError.WRONG_STATUS,
            )
        if meeting.slot.starts_at <= timezone.now():
            raise Conflict(
                _("This meeting's slot has started or passed: it stays as it was."),
                code=MissionError.MEETING_PASSED,
            )
        _cancel(meeting, user, CancelledBy.REQUESTER, note, timezone.now())
        notifications.meeting_cancelled(meeting, actor=user)
    return meeting
