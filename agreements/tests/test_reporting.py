"""The semester report (counts that match the register, XLSX and PDF, who may produce it) and the
register's dashboard."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tenants.utils import tenant_context
from openpyxl import load_workbook
from pypdf import PdfReader

from agreements.register import selectors
from agreements.register.parties import PartyData
from agreements.reports import semester as reporting
from agreements.reports.dashboard import dashboard
from agreements.reports.semester import STATUS_STAGES, Semester, build_report
from cooperation.models import Kind, PartyKind
from tenants.models import AuditEvent, Role

from .factories import membership_of, new_agreement, parties_with_signatories, step, to_ksb_signed

pytestmark = pytest.mark.django_db

H1_2026 = Semester(2026, 1)


@pytest.fixture
def client_for(client_for):
    def make(tenant, user=None):
        client = client_for(tenant, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def admin(malang, member):
    return member(malang, Role.ADMIN)


@pytest.fixture
def office(malang, admin):
    return membership_of(admin, malang)


def url(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


def third_party(tenant, name="Universitas Brawijaya"):
    return [
        parties_with_signatories(tenant)[0],
        PartyData(
            kind=PartyKind.ORGANISATION,
            name=name,
            signatory_name="Prof. Widodo",
            signatory_position="Rektor",
            signatory_authority="Statuta UB",
        ),
    ]


@pytest.fixture
def register(malang, office):
    """Agreements of three kinds in four statuses, all in January-June 2026 but one."""
    with tenant_context(malang):
        new_agreement(office, title="KSB Malang Raya")  # KSDD, in process
        to_ksb_signed(office, new_agreement(office, title="KSB Batu"))  # KSDD, in force
        to_ksb_signed(office, new_agreement(office, title="KSB Singkawang"))
        for n in range(3):  # KSDPK: two in process, one rejected
            agreement = new_agreement(
                office,
                kind=Kind.KSDPK,
                title=f"PKS Kampus {n}",
                parties=third_party(malang, f"Kampus {n}"),
            )
        step(office, agreement, "reject", data={"reason": "Mitra menarik diri"})
        new_agreement(
            office, title="KSB 2028", term_start=datetime.date(2028, 1, 1)
        )  # after the semester
        new_agreement(
            office,
            kind=Kind.SINERGI,
            title="Nota Kesepakatan Kemendagri",
            parties=[
                parties_with_signatories(malang)[0],
                PartyData(kind=PartyKind.MINISTRY, name="Kementerian Dalam Negeri"),
            ],
            term_start=datetime.date(2020, 1, 1),
            term_end=datetime.date(2025, 12, 31),  # ended before the semester
        )


def register_count(**filters) -> int:
    return selectors.register(filters=selectors.RegisterFilters(**filters)).count()


def test_the_recapitulation_matches_the_register(malang, register):
    with tenant_context(malang), translation.override("en"):
        report = build_report(region_name="Kota Malang", semester=H1_2026)
        # Every kind and status as the register's own filters count them; only the two
        # agreements outside the semester are left out.
        for kind in (Kind.KSDD_SUKARELA, Kind.KSDPK):
            for status, stages in STATUS_STAGES.items():
                in_register = sum(register_count(kind=kind, stage=s) for s in stages)
                outside = 1 if (kind, status) == (Kind.KSDD_SUKARELA, "in_process") else 0
                assert report.counts.get((kind, status), 0) == in_register - outside, (kind, status)
        assert register_count(kind=Kind.SINERGI) == 1
        assert register_count() == 8
    assert report.counts == {
        (Kind.KSDD_SUKARELA, "in_process"): 1,
        (Kind.KSDD_SUKARELA, "in_force"): 2,
        (Kind.KSDPK, "in_process"): 2,
        (Kind.KSDPK, "rejected"): 1,
    }
    assert [(r.kind, r.counts, r.total) for r in report.recap] == [
        ("KSDD, mandatory (with another region)", (0, 0, 0, 0), 0),
        ("KSDD, voluntary (with another region)", (1, 2, 0, 0), 3),
        ("KSDPK (with a third party)", (2, 0, 0, 1), 3),
        ("KSDPL (with a regional government abroad)", (0, 0, 0, 0), 0),
        ("KSDLL (with an institution abroad)", (0, 0, 0, 0), 0),
        ("Sinergi (with a ministry or central agency)", (0, 0, 0, 0), 0),
    ]
    assert (report.totals, report.total, len(report.rows)) == ((3, 2, 0, 1), 6, 6)
    assert [r.title for r in report.rows] == [
        "KSB Batu",
        "KSB Malang Raya",
        "KSB Singkawang",
        "PKS Kampus 0",
        "PKS Kampus 1",
        "PKS Kampus 2",
    ]
    batu = report.rows[0]
    assert (batu.parties, batu.object, batu.term_start, batu.term_end, batu.status) == (
        "Kota Malang; Kabupaten Malang",
        "Penanganan kemacetan lalu lintas",
        datetime.date(2026, 1, 1),
        datetime.date(2030, 12, 31),
        "Signed, in force",
    )
    assert batu.progress == "KSB signed; signed on Feb. 10, 2026"
    assert report.rows[5].progress == "Rejected; reason: Mitra menarik diri"


def test_which_agreements_a_semester_reports(malang, register):
    with tenant_context(malang):
        titles = {
            semester: {r.title for r in build_report(region_name="x", semester=semester).rows}
            for semester in (Semester(2025, 2), Semester(2028, 1), Semester(2031, 1))
        }
    assert titles[Semester(2025, 2)] == {"Nota Kesepakatan Kemendagri"}
    # Rejected in 2026: closed before 2028 began.
    assert titles[Semester(2028, 1)] == {
        "KSB Malang Raya",
        "KSB Batu",
        "KSB Singkawang",
        "PKS Kampus 0",
        "PKS Kampus 1",
        "KSB 2028",
    }
    assert titles[Semester(2031, 1)] == set()
    assert Semester.last_ended(datetime.date(2026, 3, 1)) == Semester(2025, 2)
    assert Semester.last_ended(datetime.date(2026, 11, 23)) == Semester(2026, 1)
    with pytest.raises(ValueError):
        Semester(2026, 3)


def test_the_report_page_shows_the_recapitulation(client_for, malang, admin, register):
    client = client_for(malang, admin)
    page = client.get(url("semester_report"), {"year": 2026, "semester": 1})
    assert page.status_code == 200
    assert page.context["report"].totals == (3, 2, 0, 1)
    html = page.content.decode()
    assert url("semester_report_download", 2026, 1, "pdf") in html
    assert "January-June 2026" in html
    default = client.get(url("semester_report"))
    assert default.context["report"].semester == Semester.last_ended(timezone.localdate())
    bad = client.get(url("semester_report"), {"year": "dua ribu", "semester": 3})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"year", "semester"}


def test_the_xlsx_report_has_the_recapitulation_and_the_rows(client_for, malang, admin, register):
    # In Indonesian, the report's language, though the person's interface speaks English.
    response = client_for(malang, admin).get(url("semester_report_download", 2026, 1, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-kerja-sama-kota-malang-2026-s1.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Rekapitulasi", "Kerja sama"]
    recap = [list(r) for r in workbook["Rekapitulasi"].iter_rows(values_only=True)]
    assert recap[0][0] == "PEMERINTAH KOTA MALANG"
    assert recap[1][0] == "Laporan Kerja Sama Daerah Kota Malang, semester Januari–Juni 2026"
    assert recap[4] == [
        "Jenis",
        "Dalam proses",
        "Ditandatangani, berlaku",
        "Berakhir",
        "Ditolak",
        "Jumlah",
    ]
    assert recap[6] == ["KSDD sukarela (dengan daerah lain)", 1, 2, 0, 0, 3]
    assert recap[-1] == ["Jumlah", 3, 2, 0, 1, 6]
    rows = [list(r) for r in workbook["Kerja sama"].iter_rows(values_only=True)]
    assert len(rows) == 7
    assert rows[1][:4] == [
        1,
        "KSB Batu",
        "KSDD sukarela (dengan daerah lain)",
        "Kota Malang; Kabupaten Malang",
    ]
    assert rows[1][6] == datetime.datetime(2026, 1, 1)
    event = AuditEvent.objects.get(action="agreement.semester_report_downloaded")
    assert (event.actor, event.tenant, event.data) == (
        admin,
        malang,
        {
            "period": "January-June 2026",
            "year": 2026,
            "semester": 1,
            "format": "xlsx",
            "rows": 6,
            "number": "",
        },
    )


def test_the_pdf_report_is_a_real_pdf_with_the_same_figures(
    client_for, malang, admin, office, register
):
    with tenant_context(malang):
        new_agreement(office, title='<img src="http://169.254.169.254/">Jahat', term_end=None)
    response = client_for(malang, admin).get(url("semester_report_download", 2026, 1, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Laporan Kerja Sama Daerah Kota Malang, semester Januari–Juni 2026" in text
    assert "KSB Singkawang" in text and "PKS Kampus 2" in text
    # Printed as text, never fetched.
    assert '<img src="http://169.254.169.254/">Jahat' in text.replace("\n", "")
    assert "KSB 2028" not in text


def test_the_pdf_fetches_nothing_but_its_embedded_emblem():
    fetcher = reporting.pdf_fetcher()
    for address in ("http://169.254.169.254/", "file:///etc/passwd", "https://example.org/a.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(address)
    assert fetcher.fetch("data:image/png;base64,iVBORw0KGgo=").read() == b"\x89PNG\r\n\x1a\n"


def test_who_may_produce_the_semester_report(client_for, malang, batu, member, staff_user):
    path = url("semester_report_download", 2026, 1, "xlsx")
    assert client_for(malang, member(malang, Role.TKKSD)).get(path).status_code == 200
    for role in (Role.OPD, Role.VIEWER):
        assert client_for(malang, member(malang, role, opd="Bappeda")).get(path).status_code == 403
    assert client_for(malang, member(batu, Role.ADMIN)).get(path).status_code == 404
    assert client_for(malang, staff_user).get(path).status_code == 404
    assert client_for(malang).get(path).status_code == 302
    admin = client_for(malang, member(malang, Role.ADMIN))
    assert admin.get(url("semester_report_download", 2026, 3, "xlsx")).status_code == 404
    assert admin.get(url("semester_report_download", 2026, 1, "docx")).status_code == 404
    assert AuditEvent.objects.filter(action="agreement.semester_report_downloaded").count() == 1


def test_the_dashboard_counts_as_the_register_does(client_for, malang, admin, office, register):
    today = datetime.date(2026, 11, 23)
    with tenant_context(malang):
        new_agreement(office, title="Segera berakhir", term_end=today + datetime.timedelta(days=30))
        board = dashboard(today=today, tenant=malang)
        assert board.expiring_soon == register_count(expiring_soon=True) == 1
        for bar in board.by_kind + board.by_stage + board.by_urusan + board.by_year:
            key, value = bar.query.split("=")
            assert bar.count == register_count(**{key: int(value) if key == "year" else value})
    assert board.total == 9
    assert [(b.label, b.count) for b in board.by_kind if b.count] == [
        ("KSDD, voluntary (with another region)", 5),
        ("KSDPK (with a third party)", 3),
        ("Sinergi (with a ministry or central agency)", 1),
    ]
    assert (board.active, board.dormant) == (0, 0)  # signed, but none is being carried out yet
    client = client_for(malang, admin)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("dashboard")).status_code == 200
        return len(queries)

    few = count_queries()
    with tenant_context(malang):
        for n in range(5):
            new_agreement(office, title=f"PKS {n}", urusan=["3.27"])
    assert count_queries() == few


def test_dormant_means_no_monitoring_report_for_the_last_completed_period(malang, office):
    """Active or dormant is asked of the agreements being carried out: a monitoring report for
    the last completed period (January-June 2026 on 23 November 2026) or a later one."""
    from agreements.monitoring import actions as monitoring
    from agreements.monitoring.periods import Period

    today = datetime.date(2026, 11, 23)
    with tenant_context(malang):
        reported, silent, signed_only = (
            to_ksb_signed(office, new_agreement(office, title=title))
            for title in ("Dilaporkan", "Tanpa laporan", "Baru ditandatangani")
        )
        for agreement in (reported, silent):
            step(office, agreement, "start_implementation")
            agreement.refresh_from_db()
        monitoring.file_monitoring_report(
            membership=office,
            agreement=reported,
            period=Period(2026, 1),
            progress="Berjalan sesuai rencana",
            problems="",
            recommendation="continue",
            today=today,
        )
        board = dashboard(today=today, tenant=malang)
    assert (board.active, board.dormant) == (1, 1)  # the merely signed one is neither
    assert board.dormancy_period == Period(2026, 1)
