"""The pages for what happens around a mission's meetings: the organiser's overview of every
request, each region's requests to it and by it (answered from the list), editing the mission,
removing a slot and cancelling a request; with the other province, the wrong role, anonymous
visitors, and bad input that changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from missions import actions
from missions.models import CancelledBy, Meeting, MeetingStatus, Mission, Slot
from missions.tests.conftest import schemaless_region
from tenants.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(client_for):
    return lambda user=None: client_for(None, user)


@pytest.fixture
def tarakan(db):
    """Kota Tarakan (Kalimantan Utara): a region outside the mission's province."""
    return schemaless_region("65.71")


@pytest.fixture
def tarakan_office(tarakan, member):
    return member(tarakan, Role.ADMIN)


@pytest.fixture
def tempe(mission, malang, make_listing, member, membership_of):
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    listing = make_listing(malang, publisher=lurah, title="Tempe Sanan")
    actions.enrol_listing(membership=membership_of(lurah, malang), mission=mission, listing=listing)
    return listing


@pytest.fixture
def apples(mission, batu, make_listing, member, membership_of):
    office = member(batu, Role.ADMIN)
    listing = make_listing(batu, publisher=office, title="Apel Batu")
    actions.enrol_listing(membership=membership_of(office, batu), mission=mission, listing=listing)
    return listing


@pytest.fixture
def meetings(mission, tempe, apples, malang, tarakan, tarakan_office, membership_of, user_factory):
    """Tarakan's accepted meeting with Kota Malang, and a third party's open request to Batu."""
    slots = list(mission.slots.all())
    with_malang = actions.request_meeting(
        user=tarakan_office,
        mission=mission,
        listing=tempe,
        slot=slots[0],
        message="Pasokan tempe",
        requester_tenant=tarakan,
    )
    actions.accept_meeting(membership=membership_of(tempe.created_by, malang), meeting=with_malang)
    buyer = user_factory(email="pembeli@contoh.test")
    with_batu = actions.request_meeting(
        user=buyer,
        mission=mission,
        listing=apples,
        slot=slots[1],
        message="Apel",
        organisation="Koperasi Buah Kaltara",
    )
    return with_malang, with_batu


# --- The organiser's overview -------------------------------------------------------------------


def test_the_organiser_sees_every_request_of_the_mission_with_its_state(
    mission, meetings, jatim_office, malang, member, platform
):
    # As in the demo: the province's administrator also reads Kota Malang's workspace as a
    # viewer, a role that does not read Kota Malang's meetings.
    from tenants.models import Membership

    Membership.objects.create(user=jatim_office.user, tenant=malang, role=Role.VIEWER)
    page = platform(jatim_office.user).get(f"/misi-dagang/{mission.pk}/").content.decode()
    overview = page[page.index('id="overview"') :]
    for text in (
        "Kota Tarakan",
        "Kota Malang",
        "Tempe Sanan",
        "Accepted",
        "Koperasi Buah Kaltara",
        "Kota Batu",
        "Apel Batu",
        "Requested",
        "2 regions asked",
    ):
        assert text in overview, text
    # No section claiming Kota Malang has no meeting requests: this person does not read them.
    assert "Requests to Kota Malang" not in page
    assert "No meeting requested yet." not in page


@pytest.mark.parametrize("who", ["anonymous", "region_office", "publisher", "other_province"])
def test_no_one_else_sees_the_overview(who, mission, meetings, malang, tempe, member, platform):
    user = {
        "anonymous": lambda: None,
        "region_office": lambda: member(malang, Role.ADMIN),
        "publisher": lambda: tempe.created_by,
        "other_province": lambda: member(schemaless_region("61"), Role.ADMIN),
    }[who]()
    page = platform(user).get(f"/misi-dagang/{mission.pk}/").content.decode()
    assert 'id="overview"' not in page
    assert "Koperasi Buah Kaltara" not in page  # another region's requester


# --- Each region's requests, to it and by it ---------------------------------------------------


def test_the_region_asked_sees_its_incoming_requests_and_answers_from_the_list(
    mission, meetings, batu, membership_of, platform
):
    _, with_batu = meetings
    batu_office = with_batu.listing.created_by
    client = platform(batu_office)
    page = client.get("/misi-dagang/pertemuan/").content.decode()
    assert "Requests to Kota Batu" in page
    assert (
        "Koperasi Buah Kaltara" in page and f"/misi-dagang/pertemuan/{with_batu.pk}/terima/" in page
    )
    answered = client.post(
        f"/misi-dagang/pertemuan/{with_batu.pk}/terima/", {"next": "/misi-dagang/pertemuan/"}
    )
    assert answered.status_code == 302 and answered["Location"] == "/misi-dagang/pertemuan/"
    assert Meeting.objects.get(pk=with_batu.pk).status == MeetingStatus.ACCEPTED
    # Somewhere else than the missions' pages: back to the meeting instead.
    with_batu.refresh_from_db()
    declined = client.post(
        f"/misi-dagang/pertemuan/{with_batu.pk}/tolak/", {"next": "https://contoh.test/"}
    )
    assert declined["Location"] == f"/misi-dagang/pertemuan/{with_batu.pk}/"


def test_the_requesting_regions_office_follows_its_outgoing_requests(
    mission, meetings, tarakan, tarakan_office, member, platform
):
    with_malang, _ = meetings
    # A request another member made for Tarakan: its office sees it, not only their own.
    opd = member(tarakan, Role.OPD, opd="Dinas Perdagangan")
    slot = mission.slots.last()
    by_opd = actions.request_meeting(
        user=opd,
        mission=mission,
        listing=with_malang.listing,
        slot=slot,
        message="Pembinaan perajin",
        requester_tenant=tarakan,
    )
    page = platform(tarakan_office).get("/misi-dagang/pertemuan/").content.decode()
    assert "Requests Kota Tarakan made" in page
    assert f"/misi-dagang/pertemuan/{by_opd.pk}/" in page and opd.email in page
    assert platform(tarakan_office).get(f"/misi-dagang/pertemuan/{by_opd.pk}/").status_code == 200
    # Tarakan's TKKSD follows them too; a viewer does not, nor another region's office.
    tkksd = member(tarakan, Role.TKKSD)
    assert f"/misi-dagang/pertemuan/{by_opd.pk}/" in (
        platform(tkksd).get("/misi-dagang/pertemuan/").content.decode()
    )
    for outsider in (member(tarakan, Role.VIEWER), member(schemaless_region("61.72"), Role.ADMIN)):
        client = platform(outsider)
        assert f"/misi-dagang/pertemuan/{by_opd.pk}/" not in (
            client.get("/misi-dagang/pertemuan/").content.decode()
        )
        assert client.get(f"/misi-dagang/pertemuan/{by_opd.pk}/").status_code == 404


# --- Editing the mission ------------------------------------------------------------------------


def form_of(mission, **changes):
    data = {
        "title": mission.title,
        "destination": mission.destination,
        "theme": mission.theme,
        "description": mission.description,
        "starts_on": mission.starts_on.isoformat(),
        "ends_on": mission.ends_on.isoformat(),
    }
    data.update(changes)
    return data


def test_the_organiser_edits_the_mission_through_the_page(mission, jatim_office, platform):
    client = platform(jatim_office.user)
    assert (
        f"/misi-dagang/{mission.pk}/ubah/"
        in client.get(f"/misi-dagang/{mission.pk}/").content.decode()
    )
    assert client.get(f"/misi-dagang/{mission.pk}/ubah/").status_code == 200
    later = mission.starts_on + timedelta(days=1)
    bad = client.post(
        f"/misi-dagang/{mission.pk}/ubah/", form_of(mission, starts_on=later.isoformat())
    )
    assert bad.status_code == 400
    assert "3 slots fall outside these dates" in bad.content.decode()
    assert Mission.objects.get(pk=mission.pk).starts_on == mission.starts_on
    good = client.post(f"/misi-dagang/{mission.pk}/ubah/", form_of(mission, title="Misi 2027"))
    assert good.status_code == 302
    assert Mission.objects.get(pk=mission.pk).title == "Misi 2027"


@pytest.mark.parametrize("who", ["province_viewer", "region_office", "other_province"])
def test_others_do_not_edit(who, mission, jatim, malang, member, platform):
    user = {
        "province_viewer": lambda: member(jatim, Role.VIEWER),
        "region_office": lambda: member(malang, Role.ADMIN),
        "other_province": lambda: member(schemaless_region("61"), Role.ADMIN),
    }[who]()
    client = platform(user)
    assert client.get(f"/misi-dagang/{mission.pk}/ubah/").status_code == 403
    response = client.post(f"/misi-dagang/{mission.pk}/ubah/", form_of(mission, title="Bukan"))
    assert response.status_code == 403
    assert Mission.objects.get(pk=mission.pk).title == mission.title
    anonymous = platform().post(f"/misi-dagang/{mission.pk}/ubah/", form_of(mission, title="X"))
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]


# --- Removing a slot ----------------------------------------------------------------------------


def test_removing_a_slot_shows_what_it_cancels_and_asks_to_confirm(
    mission, meetings, jatim_office, platform, django_capture_on_commit_callbacks
):
    with_malang, _ = meetings
    slot = with_malang.slot
    client = platform(jatim_office.user)
    url = f"/misi-dagang/{mission.pk}/slot/{slot.pk}/hapus/"
    assert url in client.get(f"/misi-dagang/{mission.pk}/").content.decode()
    page = client.get(url).content.decode()
    assert "Kota Tarakan" in page and "Tempe Sanan" in page
    unconfirmed = client.post(url, {"note": "Aula dipakai"})
    assert unconfirmed.status_code == 400
    assert "Confirm that it is cancelled" in unconfirmed.content.decode()
    assert Meeting.objects.get(pk=with_malang.pk).status == MeetingStatus.ACCEPTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"note": "Aula dipakai", "cancel_meetings": "on"})
    assert done.status_code == 302
    meeting = Meeting.objects.get(pk=with_malang.pk)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_as == CancelledBy.ORGANISER
    assert len(mail.outbox) == 1
    # Off the programme, on the overview as cancelled.
    page = client.get(f"/misi-dagang/{mission.pk}/").content.decode()
    assert url not in page and "slot removed" in page
    assert client.get(url).status_code == 404


def test_others_do_not_remove_slots(mission, meetings, malang, jatim, member, platform):
    slot = mission.slots.first()
    url = f"/misi-dagang/{mission.pk}/slot/{slot.pk}/hapus/"
    for user in (
        member(jatim, Role.TKKSD),
        member(malang, Role.ADMIN),
        member(schemaless_region("61"), Role.ADMIN),
    ):
        assert platform(user).post(url, {"cancel_meetings": "on"}).status_code == 403
    assert platform().post(url, {"cancel_meetings": "on"}).status_code == 302
    assert Slot.objects.current().filter(pk=slot.pk).exists()
    assert Meeting.objects.get(slot=slot).status == MeetingStatus.ACCEPTED


def test_a_slot_of_another_mission_is_not_found(mission, jatim_office, platform):
    first = mission.starts_on
    other = actions.create_mission(
        membership=jatim_office,
        title="Misi lain",
        destination="Bali",
        starts_on=first,
        ends_on=first,
    )
    slot = mission.slots.first()
    client = platform(jatim_office.user)
    assert client.get(f"/misi-dagang/{other.pk}/slot/{slot.pk}/hapus/").status_code == 404
    assert (
        client.post(
            f"/misi-dagang/{other.pk}/slot/{slot.pk}/hapus/", {"cancel_meetings": "on"}
        ).status_code
        == 404
    )
    assert Slot.objects.current().filter(pk=slot.pk).exists()


# --- Cancelling a request -----------------------------------------------------------------------


def test_the_requester_cancels_from_the_meeting_page(
    mission, meetings, platform, django_capture_on_commit_callbacks
):
    _, with_batu = meetings
    client = platform(with_batu.requester)
    url = f"/misi-dagang/pertemuan/{with_batu.pk}/batalkan/"
    assert url in client.get(f"/misi-dagang/pertemuan/{with_batu.pk}/").content.decode()
    too_long = client.post(url, {"cancel-note": "x" * 2001})
    assert too_long.status_code == 400
    assert Meeting.objects.get(pk=with_batu.pk).status == MeetingStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"cancel-note": "Jadwal berubah"})
    assert done.status_code == 302
    assert Meeting.objects.get(pk=with_batu.pk).status == MeetingStatus.CANCELLED
    assert AuditEvent.objects.filter(action="meeting.cancelled").count() == 1
    page = client.get(f"/misi-dagang/pertemuan/{with_batu.pk}/").content.decode()
    assert "Jadwal berubah" in page and url not in page


def test_the_region_asked_and_others_do_not_cancel(
    mission, meetings, batu, member, user_factory, platform
):
    _, with_batu = meetings
    url = f"/misi-dagang/pertemuan/{with_batu.pk}/batalkan/"
    region_office = with_batu.listing.created_by
    page = platform(region_office).get(f"/misi-dagang/pertemuan/{with_batu.pk}/").content.decode()
    assert url not in page
    assert platform(region_office).post(url).status_code == 403
    assert platform(member(batu, Role.VIEWER)).post(url).status_code == 404
    assert platform(user_factory()).post(url).status_code == 404
    assert platform().post(url).status_code == 302
    assert Meeting.objects.get(pk=with_batu.pk).status == MeetingStatus.REQUESTED
