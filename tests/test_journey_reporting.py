"""Reporting upward end to end (issue 16), in headless Chromium with axe-core on every page:
Kota Malang submits its semester report to East Java; the province returns it with a reason;
Kota Malang corrects and submits again; the province accepts it, compiles and submits its own
report to the Ministry; the Ministry's official opens the national view and downloads the
national compilation and the province's frozen report."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import TOTP_SECRET, UserFactory

from .test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]

REASON = "Lampiran daftar PKS belum memuat PKS pariwisata dengan Kota Batu."


def fill_letter(page, number: str, *, reason: str = "") -> None:
    page.fill("input[name=number]", number)
    page.fill("input[name=place]", "Malang")
    page.fill("input[name=date]", "2026-07-08")
    page.fill("input[name=signatory_name]", "Dr. Bambang Wicaksono")
    page.fill("input[name=signatory_position]", "Sekretaris Daerah")
    page.fill("input[name=signatory_nip]", "19700101 199003 1 001")
    if reason:
        page.fill("textarea[name=reason]", reason)


def test_a_report_goes_up_from_kota_malang_to_the_ministry(e2e, audited):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone
    from openpyxl import load_workbook

    from agreements.reports.semester import Semester
    from agreements.tests.factories import membership_of
    from reporting.ministry import grant_ministry_role
    from reporting.models import Level, State, Submission
    from reporting.tests.conftest import fill_register, provision
    from tenants.models import Membership, Role, Tenant

    semester = Semester.last_ended(timezone.localdate())
    malang = Tenant.objects.get(region_id="35.73")
    jatim = provision("35")
    people = {}
    for key, tenant in (("malang", malang), ("jatim", jatim)):
        people[key] = UserFactory(email=f"kerjasama@{key}.test")
        Membership.objects.create(user=people[key], tenant=tenant, role=Role.ADMIN)
        TOTP.activate(people[key], TOTP_SECRET)
    fill_register(malang, membership_of(people["malang"], malang), signed=2, in_process=1)
    staff = UserFactory(is_staff=True)
    people["ministry"] = UserFactory(email="pejabat@kemendagri.test")
    grant_ministry_role(email=people["ministry"].email, unit="Ditjen Bina Adwil", acting_user=staff)
    TOTP.activate(people["ministry"], TOTP_SECRET)
    port = e2e.rsplit(":", 1)[1]
    region = f"http://{malang.get_primary_domain().domain}:{port}"
    province = f"http://{jatim.get_primary_domain().domain}:{port}"

    # Kota Malang submits from its semester report page.
    city = audited()
    page = city.page
    log_in(city, e2e, people["malang"].email, secret=TOTP_SECRET)
    page.goto(f"{region}/kerja-sama/laporan-semester/")
    city.check()
    fill_letter(page, "000.9/412/35.73.112/2026")
    page.locator("button[formaction*='/laporan/kirim/']").click()
    page.wait_for_url(re.compile(r"/laporan/\d+/$"))
    city.check()
    first = Submission.objects.get(region_id="35.73", level=Level.REGION)
    assert first.state == State.SUBMITTED and first.year == semester.year

    # East Java returns it with a reason.
    office = audited()
    log_in(office, e2e, people["jatim"].email, secret=TOTP_SECRET)
    office.page.goto(f"{province}/laporan/provinsi/")
    office.check()
    assert "Kota Malang" in office.page.content()
    office.page.locator(f"a[href$='/laporan/provinsi/{first.pk}/']").first.click()
    office.page.wait_for_url(re.compile(rf"/laporan/provinsi/{first.pk}/$"))
    office.check()
    office.page.fill("textarea[name=reason]", REASON)
    office.page.locator("form[action$='/kembalikan/'] button[type=submit]").click()
    office.page.wait_for_url(re.compile(r"/laporan/provinsi/"))
    office.check()
    first.refresh_from_db()
    assert first.state == State.RETURNED and first.return_reason == REASON

    # Kota Malang sees why, corrects and submits again.
    page.goto(f"{region}/laporan/{first.pk}/")
    city.check()
    assert REASON in page.content()
    fill_letter(page, "000.9/412.A/35.73.112/2026", reason="PKS pariwisata ditambahkan.")
    page.locator("form[action$='/koreksi/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/laporan/\d+/$"))
    city.check()
    corrected = Submission.objects.current().get(region_id="35.73", level=Level.REGION)
    assert corrected.supersedes_id == first.pk
    city.assert_all_audited()
    city.assert_no_failures()

    # East Java accepts the correction, then compiles and submits to the Ministry.
    office.page.goto(f"{province}/laporan/provinsi/{corrected.pk}/")
    office.check()
    office.page.locator("form[action$='/terima/'] button[type=submit]").click()
    office.page.wait_for_url(re.compile(r"/laporan/provinsi/"))
    office.check()
    fill_letter(office.page, "000.9/1204/011.2/2026")
    office.page.locator("form[action*='/provinsi/rekap/'] button[type=submit]").click()
    office.page.wait_for_url(re.compile(r"/laporan/\d+/$"))
    office.check()
    compiled = Submission.objects.current().get(region_id="35", level=Level.PROVINCE)
    assert compiled.figures["by_region"]["35.73"]["total"] == corrected.figures["total"] == 3
    office.assert_all_audited()
    office.assert_no_failures()

    # The Ministry's official opens the national view and downloads it.
    ministry = audited(accept_downloads=True)
    log_in(ministry, e2e, people["ministry"].email, secret=TOTP_SECRET)
    ministry.page.get_by_role("link", name="Laporan nasional").click()
    ministry.page.wait_for_url(re.compile(r"/nasional/laporan/$"))
    ministry.check()
    ministry.page.goto(f"{e2e}/nasional/laporan/?year={semester.year}&semester={semester.half}")
    ministry.check()
    html = ministry.page.content()
    assert "Jawa Timur" in html and "Kalimantan Barat" in html
    with ministry.page.expect_download() as caught:
        ministry.page.locator("a[href$='/unduh/xlsx/']").first.click()
    book = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    provinces = {row[0].value: row for row in book.worksheets[1].iter_rows(min_row=2)}
    assert provinces["35"][-1].value == compiled.figures["total"]
    ministry.page.locator(f"a[href$='/nasional/laporan/kiriman/{compiled.pk}/']").click()
    ministry.page.wait_for_url(re.compile(rf"/kiriman/{compiled.pk}/$"))
    ministry.check()
    assert compiled.file("pdf").sha256 in ministry.page.content()
    with ministry.page.expect_download() as caught:
        ministry.page.locator("a[href$='/berkas/pdf/']").click()
    assert Path(caught.value.path()).read_bytes() == bytes(compiled.file("pdf").content)
    ministry.assert_all_audited()
    ministry.assert_no_failures()
