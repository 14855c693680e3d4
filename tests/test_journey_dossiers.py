"""Who reads which agreement, in headless Chromium with axe-core on every page visited: the
office names a stage its own way, records the areas an agreement concerns and gives a DPRD
member its dossier; the DPRD member then finds that one agreement in the register, and no
other."""

from __future__ import annotations

import re

import pytest

from conftest import TOTP_SECRET, UserFactory

from .test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]


def test_the_office_gives_a_dossier_and_the_dprd_member_reads_only_it(e2e, audited):
    from allauth.mfa.totp.internal.auth import TOTP
    from django_tenants.utils import tenant_context

    from agreements.tests.factories import membership_of, new_agreement
    from tenants.models import Membership, Role, Tenant

    malang = Tenant.objects.get(region_id="35.73")
    admin = UserFactory(email="kerjasama@malangkota.test")
    Membership.objects.create(user=admin, tenant=malang, role=Role.ADMIN)
    TOTP.activate(admin, TOTP_SECRET)
    dprd = UserFactory(email="anggota@dprd-malangkota.test")
    viewer = Membership.objects.create(user=dprd, tenant=malang, role=Role.VIEWER)
    with tenant_context(malang):
        office = membership_of(admin, malang)
        given = new_agreement(office, title="KSB Malang Raya")
        new_agreement(office, title="PKS Rahasia Dapur", urusan=["3.26"])
    region = e2e.replace("localhost", "kota-malang.localhost")

    tab = audited()
    page = tab.page
    log_in(tab, e2e, admin.email, secret=TOTP_SECRET)
    # The office's own word for the first stage, on the register's settings page.
    page.goto(f"{region}/kerja-sama/pengaturan-pengingat/")
    tab.check()
    page.fill("input[name='stage-preparation']", "Penjajakan awal")
    page.locator("form[action$='/tahap/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pengaturan-pengingat/$"))
    tab.check()
    page.goto(f"{region}/kerja-sama/")
    tab.check()
    assert "Penjajakan awal" in page.content()
    # The areas the agreement concerns, then its dossier to the DPRD member.
    page.goto(f"{region}/kerja-sama/{given.pk}/wilayah/")
    tab.check()
    page.select_option("select[name=areas]", ["35.73.01"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kerja-sama/{given.pk}/$"))
    tab.check()
    assert "Kecamatan Blimbing" in page.content()
    page.goto(f"{region}/kerja-sama/{given.pk}/dosier/")
    tab.check()
    page.select_option("select[name=member]", str(viewer.pk))
    page.locator("form.narrow button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/kerja-sama/{given.pk}/dosier/$"))
    tab.check()
    assert dprd.email in page.content()
    tab.assert_all_audited()
    tab.assert_no_failures()

    member = audited()
    log_in(member, e2e, dprd.email)
    member.page.goto(f"{region}/kerja-sama/")
    member.check()
    html = member.page.content()
    assert "KSB Malang Raya" in html and "PKS Rahasia Dapur" not in html
    member.page.get_by_role("link", name="KSB Malang Raya").first.click()
    member.page.wait_for_url(re.compile(rf"/kerja-sama/{given.pk}/$"))
    member.check()
    member.assert_all_audited()
    member.assert_no_failures()
