"""The trade missions' actions: who may do what, the checks with their codes, double booking
refused by the database, the audit events and the e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, Forbidden, NotFound
from marketplace.models import ListingStatus
from missions import actions
from missions.errors import MissionError
from missions.models import Enrolment, Meeting, MeetingStatus
from missions.tests.conftest import at
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {getattr(exc, "code", None)}


def send_mail_now(capture):
    """Run the on-commit callbacks and the e-mail tasks they enqueue (the immediate backend)."""
    return capture(execute=True)


# --- Missions and slots -------------------------------------------------------------------------


def test_a_province_office_creates_a_mission_and_the_regions_offices_hear_of_it(
    jatim_office, malang, batu, member, django_capture_on_commit_callbacks
):
    malang_admin = member(malang, Role.ADMIN)
    batu_admin = member(batu, Role.ADMIN)
    first = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        mission = actions.create_mission(
            membership=jatim_office,
            title="Misi Dagang 2027",
            destination="Singapura",
            starts_on=first,
            ends_on=first,
        )
    assert mission.organiser == jatim_office.tenant
    event = AuditEvent.objects.get(action="mission.created")
    assert event.tenant == jatim_office.tenant and event.data["destination"] == "Singapura"
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {malang_admin.email, batu_admin.email}
    assert "Misi Dagang 2027" in mail.outbox[0].subject


def test_a_kota_office_does_not_organise_missions(malang, member, membership_of):
    office = membership_of(member(malang, Role.ADMIN), malang)
    first = timezone.localdate() + timedelta(days=3)
    with pytest.raises(Forbidden) as refused:
        actions.create_mission(
            membership=office, title="Misi", destination="Bali", starts_on=first, ends_on=first
        )
    assert refused.value.code == MissionError.NOT_A_PROVINCE_OFFICE


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.VIEWER])
def test_only_the_province_office_not_its_other_members(jatim, member, membership_of, role):
    someone = membership_of(member(jatim, role, opd="Biro Perekonomian"), jatim)
    first = timezone.localdate() + timedelta(days=3)
    with pytest.raises(Forbidden):
        actions.create_mission(
            membership=someone, title="Misi", destination="Bali", starts_on=first, ends_on=first
        )


def test_the_last_day_is_not_before_the_first(jatim_office):
    first = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        actions.create_mission(
            membership=jatim_office,
            title="Misi",
            destination="Bali",
            starts_on=first,
            ends_on=first - timedelta(days=1),
        )
    assert codes(refused.value) == {MissionError.DATES_REVERSED}
    assert "ends_on" in refused.value.error_dict


def test_slots_fall_within_the_dates_and_end_after_they_start(mission, jatim_office):
    last = mission.ends_on
    with pytest.raises(ValidationError) as outside:
        actions.add_slot(
            membership=jatim_office,
            mission=mission,
            starts_at=at(last + timedelta(days=1), 9),
            ends_at=at(last + timedelta(days=1), 10),
        )
    assert codes(outside.value) == {MissionError.SLOT_OUTSIDE_DATES}
    with pytest.raises(ValidationError) as reversed_:
        actions.add_slot(
            membership=jatim_office, mission=mission, starts_at=at(last, 10), ends_at=at(last, 9)
        )
    assert codes(reversed_.value) == {MissionError.SLOT_REVERSED}
    with pytest.raises(ValidationError) as twice:
        first = mission.starts_on
        actions.add_slot(
            membership=jatim_office, mission=mission, starts_at=at(first, 9), ends_at=at(first, 12)
        )
    assert codes(twice.value) == {MissionError.SLOT_TAKEN}
    assert mission.slots.count() == 3


def test_another_province_office_does_not_set_the_slots(mission, member, membership_of):
    from missions.tests.conftest import schemaless_region

    jateng = schemaless_region("33")
    other = membership_of(member(jateng, Role.ADMIN), jateng)
    first = mission.starts_on
    with pytest.raises(Forbidden):
        actions.add_slot(
            membership=other, mission=mission, starts_at=at(first, 14), ends_at=at(first, 15)
        )


# --- Enrolment ----------------------------------------------------------------------------------


@pytest.fixture
def tempe(malang, make_listing, member):
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    return make_listing(malang, publisher=lurah, title="Tempe Sanan")


def test_the_office_and_the_listings_publisher_enrol_it(
    mission, tempe, malang, member, membership_of, django_capture_on_commit_callbacks
):
    lurah = membership_of(tempe.created_by, malang)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = actions.enrol_listing(membership=lurah, mission=mission, listing=tempe)
    assert enrolment.tenant == malang
    assert AuditEvent.objects.filter(action="mission.listing_enrolled", tenant=malang).count() == 1
    assert [m.subject for m in mail.outbox] == [f"New listing in {mission.title}"]
    with pytest.raises(ValidationError) as twice:
        office = membership_of(member(malang, Role.ADMIN), malang)
        actions.enrol_listing(membership=office, mission=mission, listing=tempe)
    assert codes(twice.value) == {MissionError.ALREADY_ENROLLED}


def test_a_lurah_does_not_enrol_another_areas_listing(
    mission, malang, make_listing, member, membership_of
):
    camat_listing = make_listing(malang, title="Keripik tempe", area=None)
    lurah = membership_of(member(malang, Role.LURAH, area="35.73.01.1007"), malang)
    with pytest.raises(Forbidden):
        actions.enrol_listing(membership=lurah, mission=mission, listing=camat_listing)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("role", [Role.TKKSD, Role.VIEWER])
def test_readers_do_not_enrol(mission, tempe, malang, member, membership_of, role):
    someone = membership_of(member(malang, role), malang)
    with pytest.raises(Forbidden):
        actions.enrol_listing(membership=someone, mission=mission, listing=tempe)


def test_another_regions_member_does_not_enrol_a_listing_not_theirs(
    mission, tempe, batu, member, membership_of
):
    batu_office = membership_of(member(batu, Role.ADMIN), batu)
    with pytest.raises(Forbidden):
        actions.enrol_listing(membership=batu_office, mission=mission, listing=tempe)


def test_a_region_outside_the_province_does_not_enrol(tempe, malang, member, membership_of):
    from missions.tests.conftest import schemaless_region

    jateng = schemaless_region("33")
    office = membership_of(member(jateng, Role.ADMIN), jateng)
    first = timezone.localdate() + timedelta(days=5)
    other = actions.create_mission(
        membership=office, title="Misi Jateng", destination="Bali", starts_on=first, ends_on=first
    )
    malang_office = membership_of(member(malang, Role.ADMIN), malang)
    with pytest.raises(Forbidden):
        actions.enrol_listing(membership=malang_office, mission=other, listing=tempe)


def test_only_a_published_listing_is_enrolled(mission, malang, make_listing, member, membership_of):
    draft = make_listing(malang, status=ListingStatus.DRAFT, title="Belum terbit")
    office = membership_of(member(malang, Role.ADMIN), malang)
    with pytest.raises(ValidationError) as refused:
        actions.enrol_listing(membership=office, mission=mission, listing=draft)
    assert codes(refused.value) == {MissionError.LISTING_NOT_PUBLIC}


# --- Meetings -----------------------------------------------------------------------------------


@pytest.fixture
def enrolled(mission, tempe, malang, membership_of):
    actions.enrol_listing(
        membership=membership_of(tempe.created_by, malang), mission=mission, listing=tempe
    )
    return tempe


@pytest.fixture
def slots(mission):
    return list(mission.slots.order_by("starts_at"))


def ask(user, mission, listing, slot, **kwargs):
    return actions.request_meeting(
        user=user, mission=mission, listing=listing, slot=slot, message="Pasokan tempe", **kwargs
    )


def test_a_third_party_asks_and_the_region_hears(
    mission, enrolled, slots, malang, member, user_factory, django_capture_on_commit_callbacks
):
    office = member(malang, Role.ADMIN)
    buyer = user_factory()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = ask(buyer, mission, enrolled, slots[0], organisation="CV Tempe Borneo")
    assert meeting.status == MeetingStatus.REQUESTED and meeting.tenant == malang
    assert meeting.requester_label == "CV Tempe Borneo"
    assert len(mail.outbox) == 1
    offices = set(
        Membership.objects.filter(tenant=malang, role=Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )
    assert office.email in offices
    assert set(mail.outbox[0].to) == offices | {enrolled.created_by.email}
    assert buyer.email not in mail.outbox[0].to
    assert "CV Tempe Borneo" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="meeting.requested")
    assert event.tenant == malang and event.data["from_region"] is None


def test_a_member_asks_for_their_region_but_not_for_the_region_asked(
    mission, enrolled, slots, malang, batu, member
):
    batu_member = member(batu, Role.OPD, opd="Dinas Pertanian")
    meeting = ask(batu_member, mission, enrolled, slots[0], requester_tenant=batu)
    assert meeting.requester_label == batu.name
    malang_member = member(malang, Role.OPD, opd="Dinas Koperasi")
    with pytest.raises(ValidationError) as own:
        ask(malang_member, mission, enrolled, slots[1], requester_tenant=malang)
    assert codes(own.value) == {MissionError.OWN_REGION}
    with pytest.raises(Forbidden) as not_member:
        ask(malang_member, mission, enrolled, slots[1], requester_tenant=batu)
    assert not_member.value.code == MissionError.NOT_A_MEMBER


def test_a_listing_not_in_the_catalogue_takes_no_request(
    mission, slots, batu, make_listing, user_factory
):
    apples = make_listing(batu, title="Apel Batu")
    with pytest.raises(NotFound):
        ask(user_factory(), mission, apples, slots[0])


def test_the_message_is_required(mission, enrolled, slots, user_factory):
    with pytest.raises(ValidationError) as refused:
        actions.request_meeting(
            user=user_factory(), mission=mission, listing=enrolled, slot=slots[0], message=" "
        )
    assert codes(refused.value) == {MissionError.MESSAGE_REQUIRED}


def test_the_requester_is_not_in_two_places_at_once(
    mission, enrolled, slots, batu, make_listing, membership_of, member, user_factory
):
    apples = make_listing(batu, title="Apel Batu")
    actions.enrol_listing(
        membership=membership_of(member(batu, Role.ADMIN), batu), mission=mission, listing=apples
    )
    buyer = user_factory()
    ask(buyer, mission, enrolled, slots[0])
    with pytest.raises(ValidationError) as busy:
        ask(buyer, mission, apples, slots[0])
    assert codes(busy.value) == {MissionError.REQUESTER_BUSY}
    assert ask(buyer, mission, apples, slots[1]).slot == slots[1]


@pytest.fixture
def answerer(enrolled, malang, membership_of):
    """The listing's publisher, the lurah of Purwantoro."""
    return membership_of(enrolled.created_by, malang)


def test_accepting_books_the_slot_and_a_second_booking_is_refused(
    mission, enrolled, slots, answerer, user_factory, django_capture_on_commit_callbacks
):
    first = ask(user_factory(), mission, enrolled, slots[0])
    second = ask(user_factory(), mission, enrolled, slots[0])
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_meeting(membership=answerer, meeting=first, answer="Sampai jumpa")
    first.refresh_from_db()
    assert first.status == MeetingStatus.ACCEPTED and first.answered_by == answerer.user
    assert mail.outbox[-1].to == [first.requester_email]
    assert "accepted" in mail.outbox[-1].subject
    with pytest.raises(ValidationError) as double:
        actions.accept_meeting(membership=answerer, meeting=second)
    assert codes(double.value) == {MissionError.DOUBLE_BOOKED}
    assert "already meets someone" in double.value.messages[0]
    second.refresh_from_db()
    assert second.status == MeetingStatus.REQUESTED
    # A slot the region holds takes no new request.
    with pytest.raises(ValidationError) as taken:
        ask(user_factory(), mission, enrolled, slots[0])
    assert codes(taken.value) == {MissionError.DOUBLE_BOOKED}


def test_the_database_itself_refuses_a_double_booking(mission, enrolled, slots, user_factory):
    """Whatever code writes (two answers at once, a command), the constraint holds."""
    first = ask(user_factory(), mission, enrolled, slots[0])
    second = ask(user_factory(), mission, enrolled, slots[0])
    Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.ACCEPTED)
    with pytest.raises(IntegrityError, match="meeting_region_slot_booked_once"):
        with transaction.atomic():
            Meeting.objects.filter(pk=second.pk).update(status=MeetingStatus.RESCHEDULED)


def test_rescheduling_moves_to_a_free_slot_only(
    mission, enrolled, slots, answerer, user_factory, django_capture_on_commit_callbacks
):
    held = ask(user_factory(), mission, enrolled, slots[1])
    actions.accept_meeting(membership=answerer, meeting=held)
    moving = ask(user_factory(), mission, enrolled, slots[0])
    with pytest.raises(ValidationError) as double:
        actions.reschedule_meeting(membership=answerer, meeting=moving, slot=slots[1])
    assert codes(double.value) == {MissionError.DOUBLE_BOOKED}
    with pytest.raises(ValidationError) as same:
        actions.reschedule_meeting(membership=answerer, meeting=moving, slot=slots[0])
    assert codes(same.value) == {MissionError.SAME_SLOT}
    with django_capture_on_commit_callbacks(execute=True):
        actions.reschedule_meeting(membership=answerer, meeting=moving, slot=slots[2])
    moving.refresh_from_db()
    assert (moving.status, moving.slot, moving.requested_slot) == (
        MeetingStatus.RESCHEDULED,
        slots[2],
        slots[0],
    )
    assert "moved your meeting" in mail.outbox[-1].subject
    event = AuditEvent.objects.get(action="meeting.rescheduled")
    assert event.data["before"] != event.data["slot"]


def test_declining_frees_the_slot_and_a_declined_meeting_is_not_answered_again(
    mission, enrolled, slots, answerer, user_factory
):
    meeting = ask(user_factory(), mission, enrolled, slots[0])
    actions.accept_meeting(membership=answerer, meeting=meeting)
    actions.decline_meeting(membership=answerer, meeting=meeting, answer="Bentrok jadwal")
    other = ask(user_factory(), mission, enrolled, slots[0])
    actions.accept_meeting(membership=answerer, meeting=other)
    with pytest.raises(Conflict) as again:
        actions.accept_meeting(membership=answerer, meeting=meeting)
    assert again.value.code == MissionError.WRONG_STATUS


def test_who_answers_a_request(
    mission, enrolled, slots, malang, batu, member, membership_of, user_factory
):
    meeting = ask(user_factory(), mission, enrolled, slots[0])
    refused = [
        membership_of(member(malang, Role.LURAH, area="35.73.01.1001"), malang),  # another lurah
        membership_of(member(malang, Role.TKKSD), malang),
        membership_of(member(malang, Role.VIEWER), malang),
        membership_of(member(batu, Role.ADMIN), batu),  # another region's office
    ]
    for membership in refused:
        with pytest.raises(Forbidden):
            actions.accept_meeting(membership=membership, meeting=meeting)
    camat = membership_of(member(malang, Role.CAMAT, area="35.73.01"), malang)
    actions.accept_meeting(membership=camat, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ACCEPTED


def test_a_passed_slot_takes_no_request(mission, enrolled, slots, user_factory):
    from missions.models import Slot

    Slot.objects.filter(pk=slots[0].pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    slots[0].refresh_from_db()
    with pytest.raises(ValidationError):
        ask(user_factory(), mission, enrolled, slots[0])


def test_a_mission_deleted_takes_its_slots_and_meetings_but_a_slot_alone_is_kept(
    mission, enrolled, slots, user_factory
):
    from django.db.models import RestrictedError

    ask(user_factory(), mission, enrolled, slots[0])
    with pytest.raises(RestrictedError):
        slots[0].delete()
    mission.delete()  # as when the province's tenant is purged
    assert not Meeting.objects.exists() and not Enrolment.objects.exists()


def test_the_mission_actions_never_run_inside_a_callers_transaction():
    """Top-level actions (core.actions.top_level): their e-mail follows their own commit, so
    inside a caller's transaction they refuse before doing anything; the demo's loader composes
    them through `.inner` (demo/tests/test_demo_missions.py runs it)."""
    with transaction.atomic():
        for act in (
            actions.create_mission,
            actions.update_mission,
            actions.add_slot,
            actions.remove_slot,
            actions.enrol_listing,
            actions.request_meeting,
            actions.accept_meeting,
            actions.decline_meeting,
            actions.reschedule_meeting,
            actions.cancel_meeting,
        ):
            with pytest.raises(RuntimeError, match="durable"):
                act()
            assert callable(act.inner)
