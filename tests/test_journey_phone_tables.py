"""The public search boxes are real, usable fields, and on a phone the registry's table of
parties and signatories says that it scrolls and can be scrolled from the keyboard; in headless
Chromium with axe-core on every page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]

SEARCH_PAGES = ("/kerja-sama/", "/pasar/", "/cari/", "/")


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_search_boxes_are_styled_fields(e2e, audited):
    from cms.pages import ensure_home, ensure_sections

    # A live-server test runs after other such tests' flushes, which empty Wagtail's tree: the
    # home page is made again as the portal's own journey makes it.
    ensure_home()
    ensure_sections()
    tab = audited()
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in SEARCH_PAGES:
        response = page.goto(f"{e2e}{path}")
        assert response.status == 200, path
        tab.check()
        assert page.locator('form[role=search] input[type="search"]').count() == 1, path
        box = _box(page, 'form[role=search] input[type="search"]')
        # Before: the browser's default search input, about 150 x 21 px with a thin inset border.
        assert box["width"] >= 300, (path, box)
        assert box["height"] >= 40, (path, box)
        border = page.locator('form[role=search] input[type="search"]').first.evaluate(
            "e => getComputedStyle(e).borderTopLeftRadius"
        )
        assert border != "0px", path
    tab.assert_all_audited()


def test_on_a_phone_the_signatories_table_says_it_scrolls(e2e, audited):
    from public_registry.tests.test_views import record, signed
    from tenants.models import Tenant

    malang = Tenant.objects.get(region_id="35.73")
    pk = record(signed(malang, "KSB Pengelolaan Sampah Malang Raya", document=True)).pk
    tab = audited()
    page = tab.page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{e2e}/kerja-sama/{pk}/")
    tab.check()
    region = page.locator('.table-wrap[role="region"]').first
    assert region.get_attribute("aria-label")
    assert region.get_attribute("tabindex") == "0"
    hint_id = region.get_attribute("aria-describedby")
    hint = page.locator(f"#{hint_id}")
    assert hint.is_visible()
    # The table is wider than its box: it scrolls, and the keyboard scrolls it.
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.table-wrap[role=region]').scrollLeft > 0"
    )
    # On a desktop the table fits and the hint is not shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not hint.is_visible()
    tab.assert_no_failures()
