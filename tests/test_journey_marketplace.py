"""Kota Tarakan's cooperation office in the shared marketplace, in headless Chromium with
axe-core on every page visited: it searches "tempeh", finds Kota Malang's Sanan tempe, sees why
Kota Malang suits Kota Tarakan (on the listing's page and in its partner finder, Kota Malang
first), sends an inquiry for Kota Tarakan and turns it into an offer: an agreement in
preparation in Tarakan's register with Kota Malang as partner. Pages load as a browser loads
them; the platform hands the session to Tarakan's subdomain."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from conftest import TOTP_SECRET, UserFactory

from .test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _inquiries_go_before_the_regions(e2e):
    """An inquiry protects its listing: delete them before the platform's teardown deletes the
    regions (and their listings)."""
    yield
    from marketplace.models import Inquiry

    Inquiry.objects.all().delete()


def publish(membership, office, **fields):
    """A listing through the marketplace's actions (create, submit, publish)."""
    from django.utils import timezone

    from marketplace import actions

    values = {
        "potential_type": "",
        "area": None,
        "quantity": None,
        "unit": "",
        "price_min": None,
        "price_max": None,
        "contact_phone": "0551 21001",
        "contact_email": "",
        "valid_from": None,
        "valid_until": timezone.localdate() + timedelta(days=90),
        "language": "id",
        **fields,
    }
    listing = actions.create_listing(membership=membership, fields=values)
    actions.submit_listing(membership=membership, listing=listing)
    actions.publish_listing(membership=office, listing=listing)
    return listing


def world():
    """Kota Tarakan (provisioned here) with its office and its need for tempe; Kota Malang's
    Sanan tempe, published for Kelurahan Purwantoro by its lurah, and its need for mud crab,
    which Tarakan's crab meets."""
    from allauth.mfa.totp.internal.auth import TOTP

    from tenants.models import Membership, Region, Role, Tenant
    from tenants.onboarding import provision_region

    tarakan = Tenant.objects.filter(region_id="65.71").first() or provision_region(
        region=Region.objects.get(code="65.71"), acting_user=None
    )
    malang = Tenant.objects.get(region_id="35.73")

    def member(tenant, role, email, area=None, mfa=False):
        user = UserFactory(email=email)
        membership = Membership.objects.create(user=user, tenant=tenant, role=role, area_id=area)
        if mfa:
            TOTP.activate(user, TOTP_SECRET)
        return Membership.objects.select_related("tenant__region", "area", "user").get(
            pk=membership.pk
        )

    tarakan_office = member(tarakan, Role.ADMIN, "kerjasama@tarakan.test", mfa=True)
    malang_office = member(malang, Role.ADMIN, "kerjasama@malangkota.test", mfa=True)
    lurah = member(malang, Role.LURAH, "lurah.purwantoro@malangkota.test", area="35.73.01.1007")
    tempe = publish(
        lurah,
        malang_office,
        kind="product",
        title="Tempe Sanan",
        description="Tempe kedelai dari sentra tempe Sanan, Kelurahan Purwantoro.",
        sector="C",
        urusan="3.31",
        area=Region.objects.get(code="35.73.01.1007"),
        contact_name="Lurah Purwantoro",
    )
    publish(
        malang_office,
        malang_office,
        kind="need",
        title="Pasokan kepiting bakau",
        description="Rumah makan Kota Malang mencari pemasok kepiting bakau.",
        sector="A",
        urusan="3.25",
        contact_name="Diskopindag",
    )
    publish(
        tarakan_office,
        tarakan_office,
        kind="need",
        title="Kebutuhan tempe untuk komunitas perantau",
        description="Permintaan tempe di Tarakan melebihi pasokan.",
        sector="C",
        urusan="2.09",
        contact_name="Bagian Kerja Sama",
    )
    publish(
        tarakan_office,
        tarakan_office,
        kind="product",
        title="Kepiting bakau Tarakan",
        description="Kepiting bakau hidup dari tambak Tarakan.",
        sector="A",
        urusan="3.25",
        contact_name="Dinas Perikanan",
    )
    return tarakan, malang, tarakan_office.user, tempe


def test_tarakan_finds_malangs_tempe_and_makes_an_offer_of_its_inquiry(e2e, audited):
    from django_tenants.utils import tenant_context

    from agreements.models import Agreement
    from marketplace.models import Inquiry

    tarakan, malang, office, tempe = world()
    tab = audited()
    page = tab.page
    log_in(tab, e2e, office.email, secret=TOTP_SECRET)

    # Search: "tempeh" is a synonym of "tempe".
    page.goto(f"{e2e}/pasar/")
    tab.check()
    page.fill("input[name=q]", "tempeh")
    page.locator("main form[method=get] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/pasar/\?.*q=tempeh"))
    tab.check()
    page.locator(f"main a[href='/pasar/{tempe.pk}/']").first.click()
    page.wait_for_url(re.compile(rf"/pasar/{tempe.pk}/$"))
    tab.check()

    # Why Kota Malang suits Kota Tarakan, on the listing's page.
    reasons = page.locator("section.card", has=page.locator("h2", has_text="Kota Tarakan"))
    assert reasons.count() == 1
    assert "Kota Malang" in reasons.inner_text()
    assert "tempe" in reasons.inner_text().lower()

    # Tarakan's partner finder (its subdomain): Kota Malang first.
    reasons.locator("a[href$='/pasar/mitra/']").click()
    page.wait_for_url(re.compile(r"kota-tarakan\.localhost:\d+/pasar/mitra/$"))
    tab.check()
    assert "Kota Malang" in page.locator("main section.card h2").first.inner_text()

    # An inquiry for Kota Tarakan, from the listing's page.
    page.goto(f"{e2e}/pasar/{tempe.pk}/")
    tab.check()
    page.locator(f"main a[href='/pasar/{tempe.pk}/minat/']").click()
    page.wait_for_url(re.compile(rf"/pasar/{tempe.pk}/minat/$"))
    tab.check()
    page.select_option("#id_sender_tenant", str(tarakan.pk))
    page.fill("#id_body", "Kota Tarakan membutuhkan 8 ton tempe per bulan. Bisakah memasok?")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pasar/minat/\d+/$"))
    tab.check()
    inquiry = Inquiry.objects.get(listing=tempe)
    assert inquiry.sender_tenant == tarakan

    # The office turns it into an offer in Tarakan's agreements workspace.
    page.locator("main a[href*='/kerja-sama/dari-minat/']").click()
    page.wait_for_url(
        re.compile(rf"kota-tarakan\.localhost:\d+/kerja-sama/dari-minat/{inquiry.pk}/$")
    )
    tab.check()
    page.fill("#id_title", "Kerja sama pasokan tempe Sanan untuk Kota Tarakan")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"kota-tarakan\.localhost:\d+/kerja-sama/\d+/$"))
    tab.check()
    inquiry.refresh_from_db()
    assert inquiry.cooperation is not None
    with tenant_context(tarakan):
        agreement = Agreement.objects.get(cooperation=inquiry.cooperation)
        assert agreement.cooperation.title == "Kerja sama pasokan tempe Sanan untuk Kota Tarakan"
    parties = set(inquiry.cooperation.parties.values_list("region_id", flat=True))
    assert parties == {"65.71", "35.73"}
    assert "Kota Malang" in page.content()

    tab.assert_all_audited()
    tab.assert_no_failures()


def test_a_trade_mission_from_creation_to_the_regions_agenda(e2e, audited):
    """Provinsi Jawa Timur's office creates a mission and a slot, Kelurahan Purwantoro's lurah
    enrols the tempe, Kota Tarakan's office asks for a meeting, the lurah accepts it and takes
    the region's agenda as a calendar file."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from missions.models import Enrolment, Meeting, MeetingStatus, Mission
    from missions.tests.conftest import schemaless_region
    from tenants.models import Membership, Role

    tarakan, malang, tarakan_office, tempe = world()
    jatim = schemaless_region("35")
    organiser = UserFactory(email="perekonomian@jatimprov.test")
    Membership.objects.create(user=organiser, tenant=jatim, role=Role.ADMIN)
    TOTP.activate(organiser, TOTP_SECRET)
    lurah = tempe.created_by
    first = timezone.localdate() + timedelta(days=20)

    # The province's office: the mission, then a slot on its first day.
    tab = audited()
    page = tab.page
    log_in(tab, e2e, organiser.email, secret=TOTP_SECRET)
    page.goto(f"{e2e}/misi-dagang/")
    tab.check()
    page.locator("main a[href='/misi-dagang/baru/']").click()
    page.wait_for_url(re.compile(r"/misi-dagang/baru/$"))
    tab.check()
    page.fill("#id_title", "Misi Dagang Jawa Timur ke Kalimantan Utara")
    page.fill("#id_destination", "Kota Tarakan, Kalimantan Utara")
    page.fill("#id_starts_on", first.isoformat())
    page.fill("#id_ends_on", first.isoformat())
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/misi-dagang/\d+/$"))
    tab.check()
    mission = Mission.objects.get(organiser=jatim)
    page.fill("#id_starts_at", f"{first.isoformat()}T09:00")
    page.fill("#id_ends_at", f"{first.isoformat()}T10:00")
    page.fill("#id_place", "Gedung Serba Guna Tarakan")
    page.locator(f"main form[action='/misi-dagang/{mission.pk}/slot/'] button").click()
    page.wait_for_url(re.compile(rf"/misi-dagang/{mission.pk}/$"))
    tab.check()
    assert mission.slots.count() == 1
    tab.assert_all_audited()
    tab.assert_no_failures()

    # The lurah enrols the tempe.
    region = audited()
    log_in(region, e2e, lurah.email)
    region.page.goto(f"{e2e}/misi-dagang/{mission.pk}/")
    region.check()
    region.page.locator(f"main a[href='/misi-dagang/{mission.pk}/daftarkan/']").click()
    region.page.wait_for_url(re.compile(r"/daftarkan/$"))
    region.check()
    region.page.select_option("#id_listing", str(tempe.pk))
    region.page.locator("main form[method=post] button[type=submit]").click()
    region.page.wait_for_url(re.compile(rf"/misi-dagang/{mission.pk}/$"))
    region.check()
    assert Enrolment.objects.get(mission=mission).listing == tempe

    # Kota Tarakan's office asks for a meeting about it.
    asker = audited()
    log_in(asker, e2e, tarakan_office.email, secret=TOTP_SECRET)
    asker.page.goto(f"{e2e}/misi-dagang/{mission.pk}/")
    asker.check()
    asker.page.locator(f"main a[href$='minta-pertemuan/?listing={tempe.pk}']").click()
    asker.page.wait_for_url(re.compile(r"/minta-pertemuan/\?listing="))
    asker.check()
    asker.page.select_option("#id_requester_tenant", str(tarakan.pk))
    asker.page.fill("#id_message", "Pasokan tempe 8 ton per bulan untuk Tarakan.")
    asker.page.locator("main form[method=post] button[type=submit]").click()
    asker.page.wait_for_url(re.compile(r"/misi-dagang/pertemuan/\d+/$"))
    asker.check()
    meeting = Meeting.objects.get(mission=mission)
    assert meeting.requester_tenant == tarakan
    asker.assert_all_audited()
    asker.assert_no_failures()

    # The lurah accepts it and downloads Kota Malang's agenda.
    region.page.goto(f"{e2e}/misi-dagang/pertemuan/{meeting.pk}/")
    region.check()
    region.page.locator(f"main form[action$='/{meeting.pk}/terima/'] button").click()
    region.page.wait_for_url(re.compile(rf"/misi-dagang/pertemuan/{meeting.pk}/$"))
    region.check()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED
    region.page.goto(f"{e2e}/misi-dagang/{mission.pk}/")
    region.check()
    with region.page.expect_download() as download:
        region.page.locator("main a[href$='/agenda/kota-malang.ics']").click()
    content = open(download.value.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in content and "Kota Tarakan" in content
    region.assert_all_audited()
    region.assert_no_failures()
