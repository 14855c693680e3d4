"""A person's rights in headless Chromium (axe-core on every page visited): a third party signs
in, follows "Data saya" from the menu, prepares and downloads a copy, reads what erasure would
do and asks for it; a staff member (with TOTP) finds the request in the menu, sees its time
left and erases the account; the person can no longer sign in."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from conftest import TOTP_SECRET, UserFactory
from tests.test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]


def test_a_person_gets_a_copy_and_is_erased_by_staff(e2e, audited):
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.models import User

    person = UserFactory(email="warga@contoh.test", full_name="Sari Dewi")
    staff = UserFactory(email="staf@jejaring.test", is_staff=True)
    TOTP.activate(staff, TOTP_SECRET)

    tab = audited()
    page = tab.page
    log_in(tab, e2e, person.email)
    page.get_by_role("link", name=re.compile("^(Data saya|My data)$")).click()
    page.wait_for_url(re.compile(r"/data-saya/$"))
    tab.check()
    page.get_by_role("button", name=re.compile("Siapkan salinan|Prepare a copy")).click()
    page.wait_for_url(re.compile(r"/data-saya/$"))
    tab.check()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^(Unduh|Download)$")).click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    data = json.loads(archive.read("data.json"))
    assert data["data"]["account"]["full_name"] == "Sari Dewi"

    page.get_by_role("link", name=re.compile("Arti penghapusan|What erasure means")).click()
    page.wait_for_url(re.compile(r"/data-saya/hapus/$"))
    tab.check()
    page.get_by_label(re.compile("Saya memahami|I understand")).check()
    page.get_by_role("button", name=re.compile("Minta penghapusan|Ask to erase")).click()
    page.wait_for_url(re.compile(r"/data-saya/$"))
    tab.check()

    staff_tab = audited()
    staff_page = staff_tab.page
    log_in(staff_tab, e2e, staff.email, secret=TOTP_SECRET)
    staff_page.get_by_role("link", name=re.compile("^(Permintaan data|Data requests)$")).click()
    staff_page.wait_for_url(re.compile(r"/platform/data-pribadi/$"))
    staff_tab.check()
    assert person.email in staff_page.content()
    staff_page.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    staff_page.wait_for_load_state("load")
    staff_tab.check()
    staff_page.get_by_role("button", name=re.compile("Hapus dan beri tahu|Erase and tell")).click()
    staff_page.wait_for_load_state("load")
    staff_tab.check()

    person.refresh_from_db()
    assert not person.is_active and person.email.endswith("@terhapus.invalid")
    assert not User.objects.filter(email="warga@contoh.test").exists()
    for tab_ in (tab, staff_tab):
        tab_.assert_all_audited()
        tab_.assert_no_failures()
