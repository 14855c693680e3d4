"""The public portal in headless Chromium, axe-core on every page visited, on a desktop and a
phone: the home page, a guide, the regulation library, Kota Malang's profile (its agreements,
listings and partners on the map) and the platform overview."""

from __future__ import annotations

import re
from datetime import date

import pytest

pytestmark = [pytest.mark.browser]


def _portal_with_data():
    from cms import demo
    from cms.pages import ensure_home, ensure_region_page, ensure_sections
    from cms.tests.factories import published_agreement, published_listing
    from tenants.models import Tenant

    ensure_home()
    for tenant in Tenant.objects.regions():
        ensure_region_page(tenant.region)
    ensure_sections()
    demo.load()
    malang = Tenant.objects.get(region_id="35.73")
    published_agreement("KSB Malang Raya", ["35.73", "35.07", "35.79"], urusan=["1.03", "3.26"])
    published_agreement(
        "PKS Pasokan Tempe Malang–Tarakan", ["35.73", "65.71"], signed_on=date(2026, 2, 1)
    )
    published_listing(malang, "Tempe Sanan")


def test_a_visitor_reads_the_portal_on_a_desktop_and_a_phone(e2e, audited, settings):
    settings.JEJARING_MAP_TILE_URL = ""  # no tile server in the test: markers on a blank map
    _portal_with_data()
    tab = audited()
    page = tab.page
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 800}):
        page.set_viewport_size(viewport)
        page.goto(f"{e2e}/")
        tab.check()
        assert "Tempe Sanan" in page.content()
        assert "PKS Pasokan Tempe Malang–Tarakan" in page.content()
        page.get_by_role("link", name="Panduan").first.click()
        page.wait_for_url(re.compile(r"/panduan/$"))
        tab.check()
        page.get_by_role("link", name="Cara daerah bergabung dengan Jejaring").click()
        page.wait_for_url(re.compile(r"/panduan/cara-bergabung/$"))
        tab.check()
        page.goto(f"{e2e}/regulasi/")
        tab.check()
        page.get_by_role("link", name=re.compile("Nomor 28 Tahun 2018")).click()
        page.wait_for_url(re.compile(r"/regulasi/pp-28-2018/$"))
        tab.check()
        page.goto(f"{e2e}/kota-malang/")
        tab.check()
        content = page.content()
        assert "KSB Malang Raya" in content and "Tempe Sanan" in content
        # The partners: on the map (drawn by the script, a marker per partner and one for the
        # city) and in the list beside it.
        page.wait_for_selector("#partner-map.leaflet-container")
        assert page.locator("#partner-map path.leaflet-interactive").count() >= 4
        partners = page.locator(".partner-list")
        for name in ("Kota Batu", "Kabupaten Malang", "Kota Tarakan"):
            assert partners.get_by_text(name).count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.goto(f"{e2e}/ikhtisar/")
        tab.check()
        assert page.locator("svg.chart-svg").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    tab.assert_all_audited()
    tab.assert_no_failures()


def test_without_javascript_the_profile_lists_the_partners(e2e, browser):
    _portal_with_data()
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto(f"{e2e}/kota-malang/")
    assert page.locator("#partner-map").is_hidden()
    assert page.locator(".partner-list li").count() == 3
    context.close()
