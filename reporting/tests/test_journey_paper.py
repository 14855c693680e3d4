"""A paper report in headless Chromium with axe-core on every page: East Java's office enters
Kabupaten Sidoarjo's paper report (not on the platform) from its overview, sees it counted as
paper, and its own reports' list; what the figures grid is typed in is what is stored."""

from __future__ import annotations

import re

import pytest

from conftest import TOTP_SECRET, UserFactory, make_pdf
from tests.test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]


def test_the_province_enters_a_paper_report(e2e, audited, tmp_path):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from agreements.reports.semester import Semester
    from reporting.models import Source, State, Submission
    from reporting.tests.conftest import provision
    from tenants.models import Membership, Role

    semester = Semester.last_ended(timezone.localdate())
    jatim = provision("35")
    office_user = UserFactory(email="kerjasama@jatim.test")
    Membership.objects.create(user=office_user, tenant=jatim, role=Role.ADMIN)
    TOTP.activate(office_user, TOTP_SECRET)
    port = e2e.rsplit(":", 1)[1]
    province = f"http://{jatim.get_primary_domain().domain}:{port}"
    scan = tmp_path / "surat-sidoarjo.pdf"
    scan.write_bytes(make_pdf())

    office = audited()
    page = office.page
    log_in(office, e2e, office_user.email, secret=TOTP_SECRET)
    page.goto(f"{province}/laporan/provinsi/?year={semester.year}&semester={semester.half}")
    office.check()
    page.locator("a[href*='/laporan/provinsi/kertas/35.15/']").click()
    page.wait_for_url(re.compile(r"/kertas/35\.15/"))
    office.check()
    page.fill("input[name=number]", "050/77/438.1.1/2026")
    page.fill("input[name=date]", "2026-07-09")
    page.fill("input[name=signatory_name]", "Drs. Fenny Apridawati")
    page.fill("input[name=signatory_position]", "Sekretaris Daerah")
    page.fill("input[name=n_ksdpk_in_force]", "4")
    page.fill("input[name=n_ksdd_sukarela_in_process]", "2")
    page.set_input_files("input[name=scanned_letter]", str(scan))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/laporan/provinsi/\?year="))
    office.check()
    assert "Laporan kertas dicatat" in page.content()
    entered = Submission.objects.get(region_id="35.15")
    assert (entered.source, entered.state, entered.figures["total"]) == (
        Source.PAPER,
        State.ACCEPTED,
        6,
    )
    assert entered.file("scan").content == scan.read_bytes()
    # The menu leads to the province's own reports.
    page.locator("nav a[href$='/laporan/']").first.click()
    page.wait_for_url(re.compile(r"/laporan/$"))
    office.check()
    office.assert_all_audited()
    office.assert_no_failures()
