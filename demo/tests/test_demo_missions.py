"""The trade mission demo (issue 7), a part of the marketplace step: Provinsi Jawa Timur's
mission to Kota Tarakan with Kabupaten Sidoarjo's sesame seed in its catalogue, its slots and
meetings, through the real actions; loading again adds nothing."""

from __future__ import annotations

import io

import pytest

from accounts.models import User
from demo import marketplace as demo
from missions.models import Enrolment, Meeting, MeetingStatus, Mission
from tenants.demo import load_demo
from tenants.models import AuditEvent

pytestmark = pytest.mark.django_db


def load(capture) -> None:
    with capture(execute=True):
        load_demo(stdout=io.StringIO())
        demo.load(stdout=io.StringIO())


def test_jawa_timurs_mission_holds_sidoarjos_sesame_seed_and_its_meetings(
    django_capture_on_commit_callbacks, client_for
):
    load(django_capture_on_commit_callbacks)
    mission = Mission.objects.get(title=demo.MISSION_TITLE)
    assert mission.organiser.region_id == demo.JATIM
    assert mission.slots.count() == 6
    enrolled = set(
        Enrolment.objects.filter(mission=mission).values_list("listing__title", flat=True)
    )
    assert "Biji wijen Sidoarjo" in enrolled and len(enrolled) == len(demo.ENROLLED)
    sesame = Enrolment.objects.get(mission=mission, listing__title="Biji wijen Sidoarjo")
    assert sesame.tenant.region_id == demo.SIDOARJO
    assert sesame.enrolled_by.email == demo.OFFICE[demo.SIDOARJO]
    statuses = dict(Meeting.objects.filter(mission=mission).values_list("listing__title", "status"))
    assert statuses == {
        "Biji wijen Sidoarjo": MeetingStatus.REQUESTED,
        "Tempe Sanan dari Kelurahan Purwantoro": MeetingStatus.ACCEPTED,
        "Apel Batu": MeetingStatus.RESCHEDULED,
        "Kopi robusta Dampit": MeetingStatus.CANCELLED,
    }
    wijen = Meeting.objects.get(mission=mission, listing__title="Biji wijen Sidoarjo")
    assert wijen.requester_tenant.region_id == demo.TARAKAN
    page = client_for(None).get(f"/misi-dagang/{mission.pk}/")
    assert page.status_code == 200 and "Biji wijen Sidoarjo" in page.content.decode()
    # The organiser's overview holds every request; Sidoarjo's office answers from its list.
    jatim = User.objects.get(email=demo.OFFICE[demo.JATIM])
    page = client_for(None, jatim).get(f"/misi-dagang/{mission.pk}/").content.decode()
    overview = page[page.index('id="overview"') :]
    for title in statuses:
        assert title in overview, title
    sidoarjo = User.objects.get(email=demo.OFFICE[demo.SIDOARJO])
    mine = client_for(None, sidoarjo).get("/misi-dagang/pertemuan/").content.decode()
    assert f"/misi-dagang/pertemuan/{wijen.pk}/terima/" in mine

    counts = (Mission.objects.count(), Meeting.objects.count(), AuditEvent.objects.count())
    load(django_capture_on_commit_callbacks)
    assert (Mission.objects.count(), Meeting.objects.count(), AuditEvent.objects.count()) == counts
