"""The trade mission pages and the camat and lurah network are valid HTML (the W3C's Nu Html
Checker, as tests/test_html_validity.py runs it: one run for every page)."""

from __future__ import annotations

import pytest

from missions import actions
from tenants.models import Role
from tests.test_html_validity import validate

pytestmark = pytest.mark.django_db


def test_the_mission_pages_are_valid_html(
    mission,
    jatim_office,
    malang,
    batu,
    member,
    make_listing,
    membership_of,
    user_factory,
    client_for,
    tmp_path,
):
    lurah = member(malang, Role.LURAH, area="35.73.01.1007", full_name="Siti Lurah")
    tempe = make_listing(malang, publisher=lurah, title="Tempe Sanan")
    actions.enrol_listing(membership=membership_of(lurah, malang), mission=mission, listing=tempe)
    buyer = user_factory()
    meeting = actions.request_meeting(
        user=buyer, mission=mission, listing=tempe, slot=mission.slots.first(), message="Tempe"
    )
    make_listing(malang, title="Keripik tempe")  # the office may enrol it
    cancelled = actions.request_meeting(
        user=buyer, mission=mission, listing=tempe, slot=mission.slots.last(), message="Lagi"
    )
    actions.cancel_meeting(user=buyer, meeting=cancelled, note="Jadwal berubah")
    organiser = client_for(None, jatim_office.user)
    publisher = client_for(None, lurah)
    asker = client_for(None, buyer)
    pages = {
        "missions": (client_for(None), "/misi-dagang/"),
        "mission-organiser": (organiser, f"/misi-dagang/{mission.pk}/"),
        "mission-region": (publisher, f"/misi-dagang/{mission.pk}/"),
        "mission-new": (organiser, "/misi-dagang/baru/"),
        "mission-enrol": (
            client_for(None, member(malang, Role.ADMIN)),
            f"/misi-dagang/{mission.pk}/daftarkan/",
        ),
        "mission-request": (
            asker,
            f"/misi-dagang/{mission.pk}/minta-pertemuan/?listing={tempe.pk}",
        ),
        "meeting-region": (publisher, f"/misi-dagang/pertemuan/{meeting.pk}/"),
        "meeting-requester": (asker, f"/misi-dagang/pertemuan/{meeting.pk}/"),
        "my-meetings": (asker, "/misi-dagang/pertemuan/"),
        "region-meetings": (publisher, "/misi-dagang/pertemuan/"),
        "meeting-cancelled": (asker, f"/misi-dagang/pertemuan/{cancelled.pk}/"),
        "mission-edit": (organiser, f"/misi-dagang/{mission.pk}/ubah/"),
        "slot-remove": (
            organiser,
            f"/misi-dagang/{mission.pk}/slot/{mission.slots.first().pk}/hapus/",
        ),
        "peers": (
            client_for(batu, member(batu, Role.CAMAT, area="35.79.01")),
            "/pasar/rekan/?kind=product",
        ),
    }
    html = {}
    for name, (client, path) in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        html[name] = response.content.decode()
    assert "Siti Lurah" in html["peers"]
    assert validate(html, tmp_path) == {}
