"""End-to-end journeys in headless Chromium, loading pages as a browser does (favicon and all,
nothing blocked), with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from conftest import PASSWORD, TOTP_SECRET, UserFactory, make_pdf

pytestmark = [pytest.mark.browser]


# The elements that stick out of a narrow screen, for the failure message.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def totp_code(secret: str) -> str:
    """The current code, never one of a window about to close: the server accepts the current
    window only (MFA_TOTP_TOLERANCE 0), and on a busy machine a code typed in a window's last
    seconds reached it in the next one (a journey failed at its second sign-in that way)."""
    import time

    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 6:
        time.sleep(left + 0.5)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def log_in(audited_page, base: str, email: str, secret: str | None = None) -> None:
    page = audited_page.page
    page.goto(f"{base}/akun/login/")
    audited_page.check()
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/akun/login/'] button[type=submit]").click()
    if secret:
        page.wait_for_url(re.compile(r"/akun/2fa/authenticate/"))
        audited_page.check()
        page.fill("input[name=code]", totp_code(secret))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    audited_page.check()


def mailed_link(address: str, pattern: str) -> str:
    from django.core import mail

    for message in reversed(mail.outbox):
        if address in message.to:
            found = re.search(pattern, message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no e-mail to {address} matching {pattern}")


def test_a_city_applies_is_approved_and_its_new_admin_turns_on_totp_and_gets_to_work(
    e2e, audited, tmp_path
):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from tenants.models import Invitation, Membership, Role, Tenant

    applicant = UserFactory(
        email="kerjasama@sidoarjokab.test", full_name="Kabag Kerja Sama Sidoarjo"
    )
    staff = UserFactory(email="staf@jejaring.test", is_staff=True)
    TOTP.activate(staff, TOTP_SECRET)
    letter = tmp_path / "surat-tugas.pdf"
    letter.write_bytes(make_pdf())

    # The applicant signs in on the platform and applies for Kabupaten Sidoarjo.
    applicant_tab = audited()
    page = applicant_tab.page
    log_in(applicant_tab, e2e, applicant.email)
    page.goto(f"{e2e}/daftar-daerah/")
    applicant_tab.check()
    page.select_option("select[name=region]", "35.15")
    page.fill("input[name=position]", "Kepala Bagian Kerja Sama")
    page.fill("input[name=office]", "Bagian Kerja Sama, Setda Kabupaten Sidoarjo")
    page.fill("input[name=official_email]", "kerjasama@sidoarjokab.go.id")
    page.fill("input[name=phone]", "(031) 8921954")
    page.set_input_files("input[name=letter]", str(letter))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ruang-kerja/"))
    applicant_tab.check()
    assert "Kabupaten Sidoarjo" in page.content()

    # The office confirms its official address from the e-mailed link.
    office_tab = audited()
    link = mailed_link("kerjasama@sidoarjokab.go.id", r"http://localhost:\d+/\S+")
    office_tab.page.goto(link)
    office_tab.check()
    office_tab.page.locator("main form button[type=submit]").click()
    office_tab.page.wait_for_load_state("load")
    office_tab.check()

    # Platform staff sign in with their second factor and approve it.
    staff_tab = audited()
    log_in(staff_tab, e2e, staff.email, secret=TOTP_SECRET)
    staff_tab.page.goto(f"{e2e}/platform/permohonan/")
    staff_tab.check()
    staff_tab.page.get_by_role("link", name=re.compile("Kabupaten Sidoarjo")).click()
    staff_tab.page.wait_for_load_state("load")
    staff_tab.check()
    staff_tab.page.locator("form[action$='/setujui/'] button[type=submit]").click()
    staff_tab.page.wait_for_url(re.compile(r"/platform/permohonan/$"))
    staff_tab.check()
    tenant = Tenant.objects.get(region_id="35.15")
    assert Membership.objects.get(tenant=tenant, user=applicant).role == Role.ADMIN

    # The applicant is an administrator now: before anything else they turn on TOTP, in one
    # step (they signed in minutes ago: no second password page). The browser loads the page in
    # full (favicon and all) and the person reloads it once before typing the code: the QR code
    # they scanned stays valid.
    page.goto(f"{e2e}/ruang-kerja/")
    page.wait_for_url(re.compile(r"/akun/2fa/totp/activate/"))
    applicant_tab.check()
    assert page.locator("main img[src^='data:image/svg+xml']").is_visible()
    secret = page.input_value("#authenticator_secret")
    page.reload()
    page.wait_for_load_state("load")
    assert page.input_value("#authenticator_secret") == secret
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    applicant_tab.check()
    kinds = set(Authenticator.objects.filter(user=applicant).values_list("type", flat=True))
    assert kinds == {"totp", "recovery_codes"}  # recovery codes come with the first factor

    # Straight on to the new region's dashboard, on its own subdomain, with no second code.
    page.goto(f"{e2e}/ruang-kerja/")
    page.wait_for_load_state("load")
    if "kabupaten-sidoarjo" not in page.url:
        applicant_tab.check()
        page.locator("main").get_by_role("link", name="Kabupaten Sidoarjo").first.click()
    page.wait_for_url(re.compile(r"^http://kabupaten-sidoarjo\.localhost:\d+/$"))
    applicant_tab.check()
    assert page.locator("h1").first.inner_text().strip() != ""

    # ...invites the lurah of a desa in Sidoarjo, on a phone-sized screen.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.url + "anggota/")
    applicant_tab.check()
    assert page.locator("h1").inner_text() == "Anggota"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(WIDE)
    page.fill("input[name=email]", "kades.baru@contoh.test")
    page.select_option("select[name=role]", "lurah")
    # The desa is picked by name: the search box narrows Sidoarjo's hundreds of desa (only
    # desa/kelurahan for a lurah) to the one typed.
    page.fill("#id_area_search", "mliriprowo")
    assert page.locator("select[name=area] option[data-level]").count() == 1
    assert page.input_value("select[name=area]") == "35.15.01.2001"
    applicant_tab.check()
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state("load")
    applicant_tab.check()
    assert "kades.baru@contoh.test" in page.content()
    assert Invitation.objects.get(tenant=tenant).area_id == "35.15.01.2001"

    # Another region's administrator is not let in (same "not found" as a missing page).
    batu_admin = UserFactory(email="admin.batu@contoh.test")
    Membership.objects.create(
        user=batu_admin, tenant=Tenant.objects.get(region_id="35.79"), role=Role.ADMIN
    )
    TOTP.activate(batu_admin, TOTP_SECRET)
    other = audited()
    log_in(other, e2e, batu_admin.email, secret=TOTP_SECRET)
    response = other.page.goto(page.url.split("/anggota/")[0] + "/")
    assert response.status == 404
    other.check()

    for tab in (applicant_tab, office_tab, staff_tab, other):
        tab.assert_all_audited()
        tab.assert_no_failures()
    assert applicant_tab.favicons, "the browser never asked for a favicon"


def test_the_lurah_switches_regions_on_a_phone_and_stays_signed_in(e2e, audited):
    from tenants.models import Membership, Role, Tenant

    lurah = UserFactory(email="lurah.purwantoro@contoh.test")
    Membership.objects.create(
        user=lurah,
        tenant=Tenant.objects.get(region_id="35.73"),
        role=Role.LURAH,
        area_id="35.73.01.1007",
    )
    Membership.objects.create(
        user=lurah, tenant=Tenant.objects.get(region_id="35.79"), role=Role.VIEWER
    )
    tab = audited(viewport={"width": 375, "height": 740})
    page = tab.page
    log_in(tab, e2e, lurah.email)
    page.goto(f"{e2e}/ruang-kerja/")
    tab.check()
    page.locator("summary", has_text="Daerah saya").click()
    switcher = page.locator(".switcher ul")
    box = switcher.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    switcher.get_by_role("link", name=re.compile("Kota Malang")).click()
    page.wait_for_url(re.compile(r"^http://kota-malang\.localhost:\d+/$"))
    tab.check()
    assert "Kelurahan Purwantoro" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("summary", has_text="Daerah saya").click()
    page.locator(".switcher").get_by_role("link", name=re.compile("Kota Batu")).click()
    page.wait_for_url(re.compile(r"^http://kota-batu\.localhost:\d+/$"))
    tab.check()
    assert page.locator("h1").first.inner_text() == "Kota Batu"
    # English, chosen here, follows the lurah back to the platform.
    page.select_option("#lang-select", "en")
    page.locator("form.lang button[type=submit]").click()
    page.wait_for_load_state("load")
    tab.check()
    page.goto(f"{e2e}/")
    tab.check()
    assert page.locator("html").get_attribute("lang") == "en"
    tab.assert_all_audited()
    tab.assert_no_failures()
