"""End-to-end journeys in headless Chromium: onboarding a region; one login across subdomains."""

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


def totp_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def log_in(page, base: str, email: str, secret: str | None = None) -> None:
    page.goto(f"{base}/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/akun/login/'] button[type=submit]").click()
    if secret:
        page.wait_for_url(re.compile(r"/akun/2fa/authenticate/"))
        page.fill("input[name=code]", totp_code(secret))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/ruang-kerja/"))


def test_a_city_applies_is_approved_and_its_admin_works_in_its_own_workspace(
    e2e, browser, tmp_path
):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core import mail

    from tenants.models import Invitation, Membership, Role, Tenant

    applicant = UserFactory(
        email="kerjasama@sidoarjokab.test", full_name="Kabag Kerja Sama Sidoarjo"
    )
    staff = UserFactory(email="staf@jejaring.test", is_staff=True)
    TOTP.activate(staff, TOTP_SECRET)
    letter = tmp_path / "surat-tugas.pdf"
    letter.write_bytes(make_pdf())

    # The applicant signs in on the platform and applies for Kabupaten Sidoarjo.
    applicant_ctx = browser.new_context(locale="id-ID")
    page = applicant_ctx.new_page()
    log_in(page, e2e, applicant.email)
    page.goto(f"{e2e}/daftar-daerah/")
    page.select_option("select[name=region]", "35.15")
    page.fill("input[name=position]", "Kepala Bagian Kerja Sama")
    page.fill("input[name=office]", "Bagian Kerja Sama, Setda Kabupaten Sidoarjo")
    page.fill("input[name=official_email]", "kerjasama@sidoarjokab.go.id")
    page.fill("input[name=phone]", "(031) 8921954")
    page.set_input_files("input[name=letter]", str(letter))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ruang-kerja/"))
    assert "Kabupaten Sidoarjo" in page.content()

    # Platform staff sign in with their second factor and approve it.
    staff_ctx = browser.new_context(locale="id-ID")
    staff_page = staff_ctx.new_page()
    log_in(staff_page, e2e, staff.email, secret=TOTP_SECRET)
    staff_page.goto(f"{e2e}/platform/permohonan/")
    staff_page.get_by_role("link", name=re.compile("Kabupaten Sidoarjo")).click()
    staff_page.locator("button[name=decision][value=approve]").click()
    staff_page.wait_for_url(re.compile(r"/platform/permohonan/$"))
    tenant = Tenant.objects.get(region_id="35.15")
    assert Membership.objects.get(tenant=tenant, user=applicant).role == Role.ADMIN
    assert any(applicant.email in m.to for m in mail.outbox)

    # The applicant is an administrator now: before anything else, they confirm their password
    # and turn on TOTP.
    page.goto(f"{e2e}/ruang-kerja/")
    page.wait_for_url(re.compile(r"/akun/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/akun/2fa/totp/activate/"))
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    kinds = set(Authenticator.objects.filter(user=applicant).values_list("type", flat=True))
    assert kinds == {"totp", "recovery_codes"}  # recovery codes come with the first factor

    # Still signed in from the platform, they open the new workspace on its own subdomain.
    page.goto(f"{e2e}/ruang-kerja/")
    page.locator("main").get_by_role("link", name="Kabupaten Sidoarjo").click()
    page.wait_for_url(re.compile(r"^http://kabupaten-sidoarjo\.localhost:\d+/$"))
    page.goto(page.url + "anggota/")
    assert page.locator("h1").inner_text() == "Anggota"

    # ...and invites the lurah of a desa in Sidoarjo.
    page.fill("input[name=email]", "kades.baru@contoh.test")
    page.select_option("select[name=role]", "lurah")
    page.fill("input[name=area]", "35.15.01.2001")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "kades.baru@contoh.test" in page.content()
    assert Invitation.objects.get(tenant=tenant).area_id == "35.15.01.2001"

    # Another region's administrator is not let in (same "not found" as a missing page).
    batu_admin = UserFactory(email="admin.batu@contoh.test")
    Membership.objects.create(
        user=batu_admin, tenant=Tenant.objects.get(region_id="35.79"), role=Role.ADMIN
    )
    TOTP.activate(batu_admin, TOTP_SECRET)
    other = browser.new_context().new_page()
    log_in(other, e2e, batu_admin.email, secret=TOTP_SECRET)
    response = other.goto(page.url.split("/anggota/")[0] + "/")
    assert response.status == 404
    for ctx in (applicant_ctx, staff_ctx, other.context):
        ctx.close()


def test_the_lurah_switches_regions_and_stays_signed_in(e2e, browser):
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
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    log_in(page, e2e, lurah.email)
    page.locator("summary", has_text="Daerah saya").click()
    page.locator(".switcher").get_by_role("link", name=re.compile("Kota Malang")).click()
    page.wait_for_url(re.compile(r"^http://kota-malang\.localhost:\d+/$"))
    assert "Kelurahan Purwantoro" in page.content()
    page.locator("summary", has_text="Daerah saya").click()
    page.locator(".switcher").get_by_role("link", name=re.compile("Kota Batu")).click()
    page.wait_for_url(re.compile(r"^http://kota-batu\.localhost:\d+/$"))
    assert page.locator("h1").inner_text() == "Kota Batu"
    context.close()
