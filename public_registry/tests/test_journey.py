"""A visitor finds a signed agreement in the public registry and checks a downloaded copy of its
document in the browser (Web Crypto, under the site's CSP), in headless Chromium with axe-core on
every page; on a desktop and a phone."""

from __future__ import annotations

import re

import pytest

from conftest import make_pdf

pytestmark = [pytest.mark.browser]


def test_a_visitor_finds_an_agreement_and_checks_a_copy_of_its_document(e2e, audited, settings):
    settings.LANGUAGE_CODE = "id"  # the product's language (this app's tests default to English)
    from public_registry.tests.test_views import record, signed
    from tenants.models import Tenant

    malang = Tenant.objects.get(region_id="35.73")
    coop = signed(malang, "KSB Pengelolaan Sampah Malang Raya", document=True)
    signed(malang, "PKS Kredit UMKM", kind="ksdpk", organisation="Bank Jatim", urusan=("2.17",))
    pk = record(coop).pk

    tab = audited()
    page = tab.page
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 800}):
        page.set_viewport_size(viewport)
        page.goto(f"{e2e}/kerja-sama/")
        tab.check()
        assert "KSB Pengelolaan Sampah Malang Raya" in page.content()
        page.get_by_role("searchbox").fill("sampah")
        page.get_by_role("button", name="Cari").click()
        page.wait_for_url(re.compile(r"q=sampah"))
        tab.check()
        assert "PKS Kredit UMKM" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.get_by_role("link", name="KSB Pengelolaan Sampah Malang Raya").click()
        page.wait_for_url(re.compile(rf"/kerja-sama/{pk}/$"))
        tab.check()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        result = page.locator("#verify-result")
        page.set_input_files(
            "#verify-file",
            files=[{"name": "salinan.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}],
        )
        result.filter(has_text="cocok").wait_for()
        assert "TIDAK" not in result.inner_text()
        page.set_input_files(
            "#verify-file",
            files=[
                {"name": "ubahan.pdf", "mimeType": "application/pdf", "buffer": make_pdf() + b"%"}
            ],
        )
        result.filter(has_text="TIDAK").wait_for()
        tab.check()
    tab.assert_all_audited()
    tab.assert_no_failures()
