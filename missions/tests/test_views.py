"""The trade mission pages through real HTTP on the platform: the catalogue, creating a
mission, enrolling, asking for a meeting, answering it, the agenda as a calendar file and the
outcomes; with the other region's member, the wrong role and anonymous visitors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from cooperation.models import Cooperation
from marketplace.models import Inquiry, ListingStatus
from missions import actions
from missions.models import Enrolment, Meeting, MeetingStatus, Mission
from missions.selectors import FOLLOW_UP_DAYS, outcomes
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tempe(malang, make_listing, member):
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    return make_listing(malang, publisher=lurah, title="Tempe Sanan")


@pytest.fixture
def enrolled(mission, tempe, malang, membership_of):
    actions.enrol_listing(
        membership=membership_of(tempe.created_by, malang), mission=mission, listing=tempe
    )
    return tempe


@pytest.fixture
def platform(client_for):
    return lambda user=None: client_for(None, user)


def test_the_catalogue_is_public_and_shows_only_published_enrolled_listings(
    mission, enrolled, platform, malang, make_listing
):
    hidden = make_listing(malang, title="Tempe arsip")
    Enrolment.objects.create(mission=mission, listing=hidden, tenant=malang)
    hidden.status = ListingStatus.ARCHIVED
    hidden.save(update_fields=["status"])
    response = platform().get(f"/misi-dagang/{mission.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tempe Sanan" in page and "Tempe arsip" not in page
    assert "Hotel Tarakan Plaza" in page
    assert platform().get("/misi-dagang/").content.decode().count(mission.title) == 1


def test_a_province_office_creates_a_mission_through_the_page(jatim_office, platform):
    client = platform(jatim_office.user)
    assert "/misi-dagang/baru/" in client.get("/misi-dagang/").content.decode()
    assert client.get("/misi-dagang/baru/").status_code == 200
    first = timezone.localdate() + timedelta(days=40)
    bad = client.post(
        "/misi-dagang/baru/",
        {
            "organiser": jatim_office.pk,
            "title": "Misi 2027",
            "destination": "Makassar",
            "starts_on": first.isoformat(),
            "ends_on": (first - timedelta(days=2)).isoformat(),
        },
    )
    assert bad.status_code == 400
    assert "The last day must be the first day or after it." in bad.content.decode()
    assert not Mission.objects.filter(title="Misi 2027").exists()
    good = client.post(
        "/misi-dagang/baru/",
        {
            "organiser": jatim_office.pk,
            "title": "Misi 2027",
            "destination": "Makassar",
            "starts_on": first.isoformat(),
            "ends_on": first.isoformat(),
        },
    )
    mission = Mission.objects.get(title="Misi 2027")
    assert good.status_code == 302 and good["Location"] == f"/misi-dagang/{mission.pk}/"
    slot = client.post(
        f"/misi-dagang/{mission.pk}/slot/",
        {"starts_at": f"{first}T13:00", "ends_at": f"{first}T12:00"},
    )
    assert slot.status_code == 400 and "A slot ends after it starts." in slot.content.decode()
    assert (
        client.post(
            f"/misi-dagang/{mission.pk}/slot/",
            {"starts_at": f"{first}T13:00", "ends_at": f"{first}T14:00", "place": "Pantai Losari"},
        ).status_code
        == 302
    )
    assert mission.slots.get().place == "Pantai Losari"


def test_a_kota_office_may_not_create_a_mission(malang, member, platform):
    client = platform(member(malang, Role.ADMIN))
    assert client.get("/misi-dagang/baru/").status_code == 403
    assert "/misi-dagang/baru/" not in client.get("/misi-dagang/").content.decode()
    assert platform().get("/misi-dagang/baru/").status_code == 302  # to sign in


def test_enrolling_through_the_page_offers_only_what_the_member_may_enrol(
    mission, tempe, malang, make_listing, member, platform
):
    other_area = make_listing(malang, title="Keripik tempe Blimbing", area=None)
    client = platform(tempe.created_by)  # the lurah of Purwantoro
    page = client.get(f"/misi-dagang/{mission.pk}/daftarkan/").content.decode()
    assert "Tempe Sanan" in page and "Keripik tempe Blimbing" not in page
    refused = client.post(f"/misi-dagang/{mission.pk}/daftarkan/", {"listing": other_area.pk})
    assert refused.status_code == 400  # not among the choices
    assert not Enrolment.objects.exists()
    done = client.post(f"/misi-dagang/{mission.pk}/daftarkan/", {"listing": tempe.pk})
    assert done.status_code == 302
    assert Enrolment.objects.get().listing == tempe
    viewer = platform(member(malang, Role.VIEWER))
    assert viewer.get(f"/misi-dagang/{mission.pk}/daftarkan/").status_code == 403


def test_asking_and_answering_a_meeting_through_the_pages(
    mission, enrolled, batu, malang, member, platform
):
    slots = list(mission.slots.order_by("starts_at"))
    batu_member = member(batu, Role.OPD, opd="Dinas Pertanian")
    asker = platform(batu_member)
    form = asker.get(f"/misi-dagang/{mission.pk}/minta-pertemuan/?listing={enrolled.pk}")
    assert form.status_code == 200 and "For Kota Batu, as its member" in form.content.decode()
    empty = asker.post(f"/misi-dagang/{mission.pk}/minta-pertemuan/", {"listing": enrolled.pk})
    assert empty.status_code == 400
    sent = asker.post(
        f"/misi-dagang/{mission.pk}/minta-pertemuan/",
        {
            "listing": enrolled.pk,
            "slot": slots[0].pk,
            "requester_tenant": batu.pk,
            "message": "Kami ingin memasok kedelai untuk tempe.",
        },
    )
    meeting = Meeting.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/misi-dagang/pertemuan/{meeting.pk}/"
    assert meeting.requester_tenant == batu
    # The requester reads it but does not answer it.
    assert asker.get(f"/misi-dagang/pertemuan/{meeting.pk}/").status_code == 200
    assert asker.post(f"/misi-dagang/pertemuan/{meeting.pk}/terima/").status_code == 403
    # The office of the region it was asked for follows it (it does not answer it).
    batu_office = platform(member(batu, Role.ADMIN))
    assert batu_office.get(f"/misi-dagang/pertemuan/{meeting.pk}/").status_code == 200
    assert batu_office.post(f"/misi-dagang/pertemuan/{meeting.pk}/terima/").status_code == 403
    # A region with no part in it and Kota Malang's viewer: it does not exist for them.
    from missions.tests.conftest import schemaless_region

    other = platform(member(schemaless_region("61.72"), Role.ADMIN))
    assert other.get(f"/misi-dagang/pertemuan/{meeting.pk}/").status_code == 404
    viewer = platform(member(malang, Role.VIEWER))
    assert viewer.get(f"/misi-dagang/pertemuan/{meeting.pk}/").status_code == 404
    # The lurah (the listing's publisher) moves it, then the office sees it on the catalogue.
    lurah = platform(enrolled.created_by)
    page = lurah.get(f"/misi-dagang/pertemuan/{meeting.pk}/").content.decode()
    assert batu_member.email in page  # the region answering sees the requester's address
    moved = lurah.post(
        f"/misi-dagang/pertemuan/{meeting.pk}/jadwal-ulang/",
        {"move-slot": slots[2].pk, "move-answer": "Jam 11 lebih longgar."},
    )
    assert moved.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot) == (MeetingStatus.RESCHEDULED, slots[2])
    catalogue = platform(member(malang, Role.ADMIN)).get(f"/misi-dagang/{mission.pk}/")
    assert "Requests to Kota Malang" in catalogue.content.decode()
    assert "Rescheduled" in catalogue.content.decode()
    # Outsiders see no meeting on the catalogue.
    assert "Requests to" not in platform().get(f"/misi-dagang/{mission.pk}/").content.decode()


def test_a_double_booking_is_refused_on_the_page_with_what_to_do(
    mission, enrolled, user_factory, platform
):
    slot = mission.slots.order_by("starts_at").first()
    first = actions.request_meeting(
        user=user_factory(), mission=mission, listing=enrolled, slot=slot, message="A"
    )
    second = actions.request_meeting(
        user=user_factory(), mission=mission, listing=enrolled, slot=slot, message="B"
    )
    lurah = platform(enrolled.created_by)
    assert lurah.post(f"/misi-dagang/pertemuan/{first.pk}/terima/").status_code == 302
    refused = lurah.post(f"/misi-dagang/pertemuan/{second.pk}/terima/")
    assert refused.status_code == 400
    assert "Kota Malang already meets someone at" in refused.content.decode()
    second.refresh_from_db()
    assert second.status == MeetingStatus.REQUESTED


def test_the_agenda_is_a_calendar_of_the_meetings_the_region_holds(
    mission, enrolled, malang, batu, member, user_factory, platform, membership_of
):
    slots = list(mission.slots.order_by("starts_at"))
    held = actions.request_meeting(
        user=user_factory(),
        mission=mission,
        listing=enrolled,
        slot=slots[0],
        message="Tempe",
        organisation="CV Tempe Borneo",
    )
    actions.accept_meeting(membership=membership_of(enrolled.created_by, malang), meeting=held)
    actions.request_meeting(
        user=user_factory(), mission=mission, listing=enrolled, slot=slots[1], message="Belum"
    )
    response = platform(member(malang, Role.TKKSD)).get(
        f"/misi-dagang/{mission.pk}/agenda/kota-malang.ics"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1  # the unanswered request is not on it
    event = events[0]
    assert "CV Tempe Borneo" in str(event["SUMMARY"]) and "Tempe Sanan" in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == slots[0].starts_at
    assert str(event["LOCATION"]) == "Hotel Tarakan Plaza"
    # A lurah of another kelurahan: the agenda has none of Purwantoro's meetings.
    other_lurah = platform(member(malang, Role.LURAH, area="35.73.01.1001"))
    other = other_lurah.get(f"/misi-dagang/{mission.pk}/agenda/kota-malang.ics")
    assert Calendar.from_ical(other.content).walk("VEVENT") == []
    # Viewers do not get it; another region's member finds no such agenda.
    viewer = platform(member(malang, Role.VIEWER))
    assert viewer.get(f"/misi-dagang/{mission.pk}/agenda/kota-malang.ics").status_code == 403
    outsider = platform(member(batu, Role.ADMIN))
    assert outsider.get(f"/misi-dagang/{mission.pk}/agenda/kota-malang.ics").status_code == 404


def test_outcomes_count_the_inquiries_of_the_window_and_what_they_became(
    mission, enrolled, malang, user_factory, platform
):
    def inquiry(days_after_start: int, **links) -> Inquiry:
        sender = user_factory()
        created = timezone.make_aware(
            timezone.datetime.combine(
                mission.starts_on + timedelta(days=days_after_start), timezone.datetime.min.time()
            )
        ) + timedelta(hours=10)
        return Inquiry.objects.create(
            listing=enrolled,
            sender=sender,
            sender_email=sender.email,
            subject="Tempe",
            created_at=created,
            **links,
        )

    signed = Cooperation.objects.create(
        kind="ksdd_sukarela",
        title="KSB tempe",
        urusan=["3.31"],
        stage="ksb_signed",
        signed_on=mission.ends_on,
        owner=malang,
    )
    offered = Cooperation.objects.create(
        kind="ksdd_sukarela", title="Tawaran tempe", urusan=["3.31"], stage="offer", owner=malang
    )
    inquiry(0)
    inquiry(1, cooperation=offered)
    inquiry(2, cooperation=signed)
    inquiry(2 + FOLLOW_UP_DAYS)  # the last day counted (the mission lasts three days)
    inquiry(3 + FOLLOW_UP_DAYS)  # too late
    inquiry(-1)  # before the mission
    total, rows = outcomes(mission)
    assert (total.listings, total.inquiries, total.offers, total.signed) == (1, 4, 2, 1)
    assert [(r.region, r.inquiries) for r in rows] == [("Kota Malang", 4)]
    # Shown on the catalogue once the mission is over.
    assert "Outcomes" not in platform().get(f"/misi-dagang/{mission.pk}/").content.decode()
    Mission.objects.filter(pk=mission.pk).update(
        starts_on=timezone.localdate() - timedelta(days=5),
        ends_on=timezone.localdate() - timedelta(days=3),
    )
    page = platform().get(f"/misi-dagang/{mission.pk}/").content.decode()
    assert "Outcomes by region" in page


def test_outcomes_take_a_fixed_number_of_queries(mission, enrolled, django_assert_num_queries):
    with django_assert_num_queries(3):
        outcomes(mission)


def test_the_catalogue_page_takes_the_same_queries_however_full(
    mission,
    enrolled,
    malang,
    batu,
    make_listing,
    membership_of,
    member,
    user_factory,
    platform,
    django_assert_max_num_queries,
):
    office = platform(member(malang, Role.ADMIN))
    office.get(f"/misi-dagang/{mission.pk}/")
    with django_assert_max_num_queries(60) as before:
        office.get(f"/misi-dagang/{mission.pk}/")
    batu_office = membership_of(member(batu, Role.ADMIN), batu)
    slots = list(mission.slots.all())
    for n in range(4):
        listing = make_listing(batu, title=f"Apel {n}")
        actions.enrol_listing(membership=batu_office, mission=mission, listing=listing)
        actions.request_meeting(
            user=user_factory(),
            mission=mission,
            listing=enrolled,
            slot=slots[n % 3],
            message="Tempe",
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = office.get(f"/misi-dagang/{mission.pk}/")
    assert page.content.decode().count("Apel ") >= 4
