"""The cooperation office's morning, in headless Chromium with axe-core on every page visited:
the register, one agreement, the TKKSD review, the dashboard, the semester report, the
marketplace; and the public marketplace search. Pages load as a browser loads them."""

from __future__ import annotations

import re

import pytest

from conftest import TOTP_SECRET, UserFactory

from .test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]


def test_the_office_works_through_its_register_on_a_phone_and_a_desktop(e2e, audited):
    from allauth.mfa.totp.internal.auth import TOTP
    from django_tenants.utils import tenant_context

    from agreements.tests.factories import membership_of, new_agreement, to_ksb_signed
    from tenants.models import Membership, Role, Tenant

    malang = Tenant.objects.get(region_id="35.73")
    admin = UserFactory(email="kerjasama@malangkota.test")
    Membership.objects.create(user=admin, tenant=malang, role=Role.ADMIN)
    TOTP.activate(admin, TOTP_SECRET)
    with tenant_context(malang):
        office = membership_of(admin, malang)
        signed = to_ksb_signed(office, new_agreement(office, title="KSB Malang Raya"))
        new_agreement(office, title="PKS Pariwisata Kota Batu", urusan=["3.26"])

    tab = audited()
    page = tab.page
    log_in(tab, e2e, admin.email, secret=TOTP_SECRET)  # once: a TOTP code works only once
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 800}):
        page.set_viewport_size(viewport)
        region = e2e.replace("localhost", "kota-malang.localhost")
        page.goto(f"{region}/")
        tab.check()
        page.locator("nav a[href='/kerja-sama/']").first.click()
        page.wait_for_url(re.compile(r"/kerja-sama/$"))
        tab.check()
        assert "KSB Malang Raya" in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.goto(f"{region}/kerja-sama/?kind=ksdd_sukarela&sort=title")
        tab.check()
        page.get_by_role("link", name="KSB Malang Raya").first.click()
        page.wait_for_url(re.compile(rf"/kerja-sama/{signed.pk}/$"))
        tab.check()
        for path in ("dasbor/", "laporan-semester/", "tawaran/", "usulan/", "pemberitahuan/"):
            response = page.goto(f"{region}/kerja-sama/{path}")
            assert response.status == 200, path
            tab.check()
        for path in ("", "baru/", "moderasi/"):
            response = page.goto(f"{region}/pasar/{path}")
            assert response.status == 200, path
            tab.check()
    tab.assert_all_audited()
    tab.assert_no_failures()

    public = audited()
    response = public.page.goto(f"{e2e}/pasar/?q=tempe")
    assert response.status == 200
    public.check()
    public.assert_all_audited()
    public.assert_no_failures()
