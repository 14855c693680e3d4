"""Saved searches and synonyms in headless Chromium, axe-core on every page visited: a trader
(a third party) searches "tempeh", saves the search, finds it in their list, and the next
digest e-mails them the new tempe listing; Kota Malang's office adds "bandeng, milkfish" on
its subdomain's synonyms page and a search for "milkfish" finds its smoked milkfish."""

from __future__ import annotations

import re

import pytest

from conftest import TOTP_SECRET, UserFactory

from .test_browser_journeys import log_in
from .test_journey_marketplace import publish

pytestmark = [pytest.mark.browser]


def test_a_saved_search_its_digest_and_an_offices_synonyms(
    e2e, audited, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core import mail

    from marketplace import saved_searches
    from marketplace.models import SavedSearch
    from search.models import Synonym
    from tenants.models import Membership, Role, Tenant

    malang = Tenant.objects.get(region_id="35.73")
    office_user = UserFactory(email="kerjasama@malangkota.test")
    Membership.objects.create(user=office_user, tenant=malang, role=Role.ADMIN)
    TOTP.activate(office_user, TOTP_SECRET)
    office = Membership.objects.select_related("tenant__region", "area", "user").get(
        user=office_user
    )
    trader = UserFactory(email="pedagang@contoh.test")
    fields = {"kind": "product", "sector": "C", "urusan": "3.31", "contact_name": "Diskopindag"}
    publish(office, office, title="Tempe Sanan", description="Tempe kedelai Sanan.", **fields)

    tab = audited()
    page = tab.page
    log_in(tab, e2e, trader.email)
    page.goto(f"{e2e}/pasar/?q=tempeh")
    tab.check()
    page.locator("main a[href^='/pasar/tersimpan/baru/']").click()
    page.wait_for_url(re.compile(r"/pasar/tersimpan/baru/\?q=tempeh"))
    tab.check()
    page.fill("#id_name", "Tempe untuk toko")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pasar/tersimpan/$"))
    tab.check()
    assert "Tempe untuk toko" in page.locator("main table").inner_text()
    saved = SavedSearch.objects.get(user=trader)
    assert saved.text == "tempeh"

    # A new tempe listing, then the day's digest: one e-mail with a link to it.
    keripik = publish(
        office, office, title="Keripik tempe", description="Keripik tempe renyah.", **fields
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.send_search_digests()["listings"] == 1
    assert len(mail.outbox) == 1 and "Keripik tempe" in mail.outbox[0].body
    link = re.search(rf"http://\S+/pasar/{keripik.pk}/", mail.outbox[0].body).group(0)
    page.goto(link)
    tab.check()
    assert "Keripik tempe" in page.locator("main h1").inner_text()

    # Kota Malang's office extends the synonyms on its subdomain.
    publish(office, office, title="Bandeng asap", description="Bandeng asap khas.", **fields)
    office_tab = audited()
    log_in(office_tab, e2e, office_user.email, secret=TOTP_SECRET)
    office_page = office_tab.page
    office_page.goto(f"{e2e.replace('localhost', 'kota-malang.localhost')}/pasar/sinonim/")
    office_tab.check()
    office_page.fill("#id_words", "bandeng")
    office_page.locator("main form[method=post] button[type=submit]").first.click()
    office_page.wait_for_load_state("load")
    office_tab.check()
    assert "at least two words" in office_page.content() or "sedikitnya dua" in (
        office_page.content()
    )
    office_page.fill("#id_words", "bandeng, milkfish")
    office_page.locator("main form[method=post] button[type=submit]").first.click()
    office_page.wait_for_url(re.compile(r"/pasar/sinonim/$"))
    office_tab.check()
    assert Synonym.objects.get(words="bandeng, milkfish").tenant == malang
    office_page.goto(f"{e2e}/pasar/?q=milkfish")
    office_tab.check()
    assert "Bandeng asap" in office_page.locator("main").inner_text()

    for each in (tab, office_tab):
        each.assert_all_audited()
        each.assert_no_failures()
