"""Changing a mission after the fact: the organiser edits it and removes slots, a requester
cancels; each with who may do it (the other province, the wrong role), the checks with their
codes and nothing changed when refused, the audit events and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import Conflict, Forbidden, NotFound
from missions import actions
from missions.errors import MissionError
from missions.models import CancelledBy, Meeting, MeetingStatus, Mission, Slot
from missions.tests.conftest import schemaless_region
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {getattr(exc, "code", None)}


@pytest.fixture
def tarakan(db):
    """Kota Tarakan, in Kalimantan Utara: a region outside the mission's province."""
    return schemaless_region("65.71")


@pytest.fixture
def tempe(mission, malang, make_listing, member, membership_of):
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    listing = make_listing(malang, publisher=lurah, title="Tempe Sanan")
    actions.enrol_listing(membership=membership_of(lurah, malang), mission=mission, listing=listing)
    return listing


@pytest.fixture
def tarakan_office(tarakan, member, membership_of):
    return membership_of(member(tarakan, Role.ADMIN), tarakan)


def ask(mission, listing, user, tenant=None, slot=None):
    return actions.request_meeting(
        user=user,
        mission=mission,
        listing=listing,
        slot=slot or mission.slots.first(),
        message="Pasokan tempe untuk Tarakan",
        requester_tenant=tenant,
    )


def edit(membership, mission, **changes):
    fields = {
        name: getattr(mission, name)
        for name in ("title", "destination", "theme", "description", "starts_on", "ends_on")
    }
    fields.update(changes)
    return actions.update_mission(membership=membership, mission=mission, **fields)


def office_emails(tenant) -> set[str]:
    return set(
        Membership.objects.filter(tenant=tenant, role=Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )


def unchanged(mission) -> tuple:
    fresh = Mission.objects.get(pk=mission.pk)
    return (fresh.title, fresh.destination, fresh.starts_on, fresh.ends_on)


# --- Editing the mission ------------------------------------------------------------------------


def test_the_organiser_edits_the_mission_and_those_concerned_hear_of_new_dates(
    mission, tempe, malang, member, jatim_office, tarakan_office, django_capture_on_commit_callbacks
):
    member(malang, Role.ADMIN)
    ask(mission, tempe, tarakan_office.user, tarakan_office.tenant)
    mail.outbox.clear()
    later = mission.ends_on + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        edited = edit(jatim_office, mission, title="Misi Dagang ke Kaltara", ends_on=later)
    assert unchanged(mission)[::3] == ("Misi Dagang ke Kaltara", later)
    event = AuditEvent.objects.get(action="mission.updated")
    assert event.tenant == jatim_office.tenant
    assert set(event.data["changed"]) == {"title", "ends_on"}
    assert event.data["changed"]["ends_on"] == [str(mission.ends_on), str(later)]
    # The enrolled region's office and the requester, not the organiser who acted.
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == office_emails(malang) | {tarakan_office.user.email}
    assert "Misi Dagang ke Kaltara" in mail.outbox[0].subject
    assert edited.ends_on == later


def test_a_change_of_words_only_tells_no_one(
    mission, tempe, jatim_office, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit(jatim_office, mission, theme="Pangan olahan")
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="mission.updated").count() == 1
    # Saving what is there records nothing.
    edit(jatim_office, Mission.objects.get(pk=mission.pk))
    assert AuditEvent.objects.filter(action="mission.updated").count() == 1


def test_dates_that_would_leave_slots_outside_are_refused_naming_the_slots(
    mission, tempe, jatim_office, user_factory
):
    ask(mission, tempe, user_factory())
    before = unchanged(mission)
    with pytest.raises(ValidationError) as refused:
        edit(jatim_office, mission, starts_on=mission.starts_on + timedelta(days=1))
    assert codes(refused.value) == {MissionError.SLOTS_OUTSIDE_NEW_DATES}
    assert set(refused.value.error_dict) == {"starts_on"}
    message = " ".join(refused.value.messages)
    assert "3 slots fall outside these dates" in message
    assert actions.slot_label(mission.slots.first()) in message
    assert unchanged(mission) == before
    assert not AuditEvent.objects.filter(action="mission.updated").exists()
    # A last day before the slots' day: the error is on the last day.
    with pytest.raises(ValidationError) as ends:
        edit(
            jatim_office,
            mission,
            starts_on=mission.starts_on - timedelta(days=3),
            ends_on=mission.starts_on - timedelta(days=1),
        )
    assert set(ends.value.error_dict) == {"ends_on"}
    assert unchanged(mission) == before


def test_once_the_slots_outside_are_removed_the_dates_move(mission, jatim_office):
    for slot in list(mission.slots.all()):
        actions.remove_slot(membership=jatim_office, slot=slot)
    later = mission.starts_on + timedelta(days=1)
    edit(jatim_office, mission, starts_on=later)
    assert Mission.objects.get(pk=mission.pk).starts_on == later


def test_bad_input_changes_nothing(mission, jatim_office):
    before = unchanged(mission)
    for changes, code in (
        ({"title": "  "}, MissionError.TITLE_REQUIRED),
        ({"destination": ""}, MissionError.DESTINATION_REQUIRED),
        ({"ends_on": mission.starts_on - timedelta(days=1)}, MissionError.DATES_REVERSED),
    ):
        with pytest.raises(ValidationError) as refused:
            edit(jatim_office, mission, **changes)
        assert codes(refused.value) == {code}
    assert unchanged(mission) == before


def test_a_past_missions_dates_stay(jatim_office):
    first = timezone.localdate() - timedelta(days=10)
    past = Mission.objects.create(
        organiser=jatim_office.tenant,
        title="Misi 2025",
        destination="Bali",
        starts_on=first,
        ends_on=first + timedelta(days=1),
    )
    with pytest.raises(Conflict) as refused:
        edit(jatim_office, past, ends_on=first + timedelta(days=2))
    assert refused.value.code == MissionError.MISSION_OVER
    edit(jatim_office, past, description="Laporan terlampir.")
    assert Mission.objects.get(pk=past.pk).description == "Laporan terlampir."


@pytest.mark.parametrize("who", ["other_province", "kota_office", "province_tkksd", "enroller"])
def test_only_the_organising_office_edits(
    who, mission, tempe, jatim, malang, member, membership_of
):
    if who == "other_province":
        kalbar = schemaless_region("61")
        membership = membership_of(member(kalbar, Role.ADMIN), kalbar)
    elif who == "kota_office":
        membership = membership_of(member(malang, Role.ADMIN), malang)
    elif who == "province_tkksd":
        membership = membership_of(member(jatim, Role.TKKSD), jatim)
    else:
        membership = membership_of(tempe.created_by, malang)
    before = unchanged(mission)
    with pytest.raises(Forbidden):
        edit(membership, mission, title="Diambil alih")
    with pytest.raises(Forbidden):
        actions.remove_slot(membership=membership, slot=mission.slots.first())
    assert unchanged(mission) == before
    assert mission.slots.current().count() == 3


# --- Removing a slot ----------------------------------------------------------------------------


def test_a_slot_no_one_asked_for_is_deleted(mission, jatim_office):
    slot = mission.slots.last()
    assert actions.remove_slot(membership=jatim_office, slot=slot) == 0
    assert not Slot.objects.filter(pk=slot.pk).exists()
    event = AuditEvent.objects.get(action="mission.slot_removed")
    assert event.data == {"title": mission.title, "slot": actions.slot_label(slot), "cancelled": 0}


def test_a_slot_with_an_accepted_meeting_needs_confirmation_then_cancels_it_telling_both(
    mission,
    tempe,
    malang,
    member,
    membership_of,
    jatim_office,
    tarakan_office,
    django_capture_on_commit_callbacks,
):
    slot = mission.slots.first()
    meeting = ask(mission, tempe, tarakan_office.user, tarakan_office.tenant, slot)
    lurah = membership_of(tempe.created_by, malang)
    actions.accept_meeting(membership=lurah, meeting=meeting)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        actions.remove_slot(membership=jatim_office, slot=slot, note="Aula dipakai")
    assert codes(refused.value) == {MissionError.SLOT_IN_USE}
    assert "holds 1 request or meeting" in " ".join(refused.value.messages)
    meeting.refresh_from_db()
    slot.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED and slot.removed_at is None
    assert not AuditEvent.objects.filter(action__in=["meeting.cancelled", "mission.slot_removed"])

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = actions.remove_slot(
            membership=jatim_office, slot=slot, note="Aula dipakai", cancel_meetings=True
        )
    assert cancelled == 1
    meeting.refresh_from_db()
    slot.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_as == CancelledBy.ORGANISER
    assert meeting.cancelled_by == jatim_office.user and meeting.cancel_note == "Aula dipakai"
    # Kept in the record (the meeting still says when it was to be), off the programme.
    assert slot.removed_at is not None
    assert slot not in Slot.objects.current()
    event = AuditEvent.objects.get(action="meeting.cancelled")
    assert event.tenant == malang and event.data["by"] == "organiser"
    assert AuditEvent.objects.get(action="mission.slot_removed").data["cancelled"] == 1
    # Both sides are told: the region asked (office, the listing's publisher), the requester.
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == office_emails(malang) | {
        tempe.created_by.email,
        tarakan_office.user.email,
    }
    assert "Aula dipakai" in mail.outbox[0].body
    # The time is free for a new slot, and the cancelled meeting no longer books the region.
    again = actions.add_slot(
        membership=jatim_office, mission=mission, starts_at=slot.starts_at, ends_at=slot.ends_at
    )
    ask(mission, tempe, tarakan_office.user, tarakan_office.tenant, again)


def test_a_removed_slot_takes_no_request_and_a_started_slot_stays(
    mission, tempe, jatim_office, user_factory
):
    slot = mission.slots.first()
    ask(mission, tempe, user_factory(), slot=mission.slots.last())
    actions.remove_slot(membership=jatim_office, slot=mission.slots.last(), cancel_meetings=True)
    removed = Slot.objects.get(pk=mission.slots.last().pk)
    with pytest.raises(ValidationError):
        ask(mission, tempe, user_factory(), slot=removed)
    with pytest.raises(NotFound):
        actions.remove_slot(membership=jatim_office, slot=removed, cancel_meetings=True)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )
    slot.refresh_from_db()
    with pytest.raises(Conflict) as started:
        actions.remove_slot(membership=jatim_office, slot=slot)
    assert started.value.code == MissionError.SLOT_PASSED
    assert Slot.objects.filter(pk=slot.pk, removed_at__isnull=True).exists()


# --- Cancelling a request -----------------------------------------------------------------------


def test_the_requester_cancels_and_the_region_asked_is_told(
    mission, tempe, malang, member, user_factory, django_capture_on_commit_callbacks
):
    buyer = user_factory()
    meeting = ask(mission, tempe, buyer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_meeting(user=buyer, meeting=meeting, note="Jadwal kami berubah")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_as == CancelledBy.REQUESTER and meeting.cancelled_by == buyer
    event = AuditEvent.objects.get(action="meeting.cancelled")
    assert event.tenant == malang and event.data["by"] == "requester"
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == office_emails(malang) | {tempe.created_by.email}
    assert "Jadwal kami berubah" in mail.outbox[0].body
    # Their time is free again: they may ask for the same slot.
    ask(mission, tempe, buyer)
    with pytest.raises(Conflict) as twice:
        actions.cancel_meeting(user=buyer, meeting=meeting)
    assert twice.value.code == MissionError.WRONG_STATUS


def test_an_accepted_meeting_is_cancelled_too_but_not_once_started(
    mission, tempe, malang, membership_of, user_factory
):
    buyer = user_factory()
    meeting = ask(mission, tempe, buyer)
    actions.accept_meeting(membership=membership_of(tempe.created_by, malang), meeting=meeting)
    Slot.objects.filter(pk=meeting.slot_id).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict) as started:
        actions.cancel_meeting(user=buyer, meeting=meeting)
    assert started.value.code == MissionError.MEETING_PASSED
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ACCEPTED


def test_the_requesting_regions_office_cancels_for_it_and_the_requester_is_told(
    mission,
    tempe,
    tarakan,
    member,
    membership_of,
    tarakan_office,
    django_capture_on_commit_callbacks,
):
    opd = member(tarakan, Role.OPD, opd="Dinas Perdagangan")
    meeting = ask(mission, tempe, opd, tarakan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_meeting(user=tarakan_office.user, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
    assert opd.email in mail.outbox[0].to


@pytest.mark.parametrize("who", ["stranger", "region_asked_office", "publisher", "tarakan_tkksd"])
def test_no_one_else_cancels(
    who, mission, tempe, malang, tarakan, member, membership_of, tarakan_office, user_factory
):
    meeting = ask(mission, tempe, tarakan_office.user, tarakan)
    user = {
        "stranger": lambda: user_factory(),
        "region_asked_office": lambda: member(malang, Role.ADMIN),
        "publisher": lambda: tempe.created_by,
        "tarakan_tkksd": lambda: member(tarakan, Role.TKKSD),
    }[who]()
    with pytest.raises(Forbidden) as refused:
        actions.cancel_meeting(user=user, meeting=meeting)
    assert refused.value.code == MissionError.NOT_THE_REQUESTER
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.REQUESTED
    assert not AuditEvent.objects.filter(action="meeting.cancelled").exists()


def test_a_too_long_note_cancels_nothing(mission, tempe, user_factory):
    buyer = user_factory()
    meeting = ask(mission, tempe, buyer)
    with pytest.raises(ValidationError):
        actions.cancel_meeting(user=buyer, meeting=meeting, note="x" * 2001)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.REQUESTED
