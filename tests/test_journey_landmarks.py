"""Every piece of a page's content is inside a landmark (header, nav, main, footer), including
the banners of a demo platform and a suspended region: axe-core's `region` rule (moderate),
which AuditedPage.check fails on, reported the demo banner on every page of `make run`."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def test_the_demo_banner_is_inside_a_landmark(e2e, audited, monkeypatch):
    from cms.pages import ensure_sections

    monkeypatch.setattr("tenants.demo.demo_data_loaded", lambda: True)
    ensure_sections()
    tab = audited()
    page = tab.page
    for path in ("/", "/kerja-sama/", "/pasar/"):
        page.goto(f"{e2e}{path}")
        assert page.locator(".banner.demo").count() == 1, path
        assert page.locator("header .banner.demo").count() == 1, path
        tab.check()  # axe: no moderate `region` finding
    tab.assert_all_audited()
