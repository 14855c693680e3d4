"""The history table fits a 1366 px screen: its long values wrap inside their cells instead of
pushing the Details column out of its box (issue 18: cut off on the right). The agreement's page
as the server renders it, with the product's stylesheet, in headless Chromium (no live server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import tenant_context

from agreements.tests.factories import membership_of, new_agreement
from agreements.tests.test_partners import url
from tenants.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

CSS = Path(settings.BASE_DIR) / "portal" / "static" / "css" / "jejaring.css"
# A long value without a break opportunity, as fingerprints and document numbers are.
UNBROKEN = "180/045/35.73.112/2026-" + "A" * 150


def test_the_agreements_history_fits_1366_px(browser, client_for, malang, member):
    office = membership_of(member(malang, Role.ADMIN), malang)
    with tenant_context(malang):
        agreement = new_agreement(office, title=f"KSB {UNBROKEN}")
    page_html = client_for(malang, office.user).get(url("detail", agreement.pk)).text
    assert 'class="events"' in page_html and UNBROKEN in page_html
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.set_content(page_html)
        page.add_style_tag(content=CSS.read_text())
        sizes = page.evaluate(
            """() => {
                const table = document.querySelector('table.events');
                const box = table.closest('.table-wrap');
                return {table: table.scrollWidth, box: box.clientWidth,
                        right: table.getBoundingClientRect().right,
                        screen: document.documentElement.clientWidth};
            }"""
        )
    finally:
        context.close()
    assert sizes["table"] <= sizes["box"], sizes
    assert sizes["right"] <= sizes["screen"], sizes
