"""A province's compilation: equal to the sum of what its regions submitted plus its own, with
the regions that are not included named, and its own files."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import actions, figures
from reporting.models import Level, State, Submission
from tenants.models import Region

from .conftest import H1, TODAY, fill_register, letter, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def east_java(malang, batu, jatim, office_of):
    """Kota Malang (accepted), Kota Batu (returned), Kabupaten Sidoarjo on paper, the province's
    own register; every other kabupaten/kota of East Java has not reported."""
    province = office_of(jatim)
    malang_office, batu_office = office_of(malang), office_of(batu)
    fill_register(malang, malang_office, signed=2, in_process=1, ksdpk=2)
    fill_register(batu, batu_office, signed=1, in_process=0)
    fill_register(jatim, province, signed=1, in_process=1, ksdpk=1)
    malang_report = actions.submit_report(
        membership=malang_office, semester=H1, letter=letter(), today=TODAY
    )
    actions.accept_submission(membership=province, submission=malang_report)
    batu_report = actions.submit_report(
        membership=batu_office, semester=H1, letter=letter(), today=TODAY
    )
    actions.return_submission(membership=province, submission=batu_report, reason="Kurang")
    sidoarjo = actions.enter_paper_report(
        membership=province,
        region=Region.objects.get(code="35.15"),
        semester=H1,
        letter=letter("050/1/438/2026"),
        figures={"ksdpk": {"in_force": 7, "ended": 2}, "sinergi": {"in_force": 1}},
        scanned_letter=scan(),
        today=TODAY,
    )
    return province, malang_report, batu_report, sidoarjo


def test_the_compilation_equals_its_regions_submissions_plus_its_own(east_java):
    province, malang_report, _batu, sidoarjo = east_java
    compiled = actions.compile_province(
        membership=province, semester=H1, letter=letter("050/9/013/2026"), today=TODAY
    )
    assert compiled.level == Level.PROVINCE and compiled.state == State.SUBMITTED
    own = compiled.figures["by_region"]["35"]
    assert own["source"] == "own" and own["total"] == 3
    # Computed independently: the included submissions' stored figures, plus the province's own.
    parts = [malang_report.figures, sidoarjo.figures, own]
    expected_total = sum(p["total"] for p in parts)
    assert compiled.figures["total"] == expected_total == 5 + 10 + 3
    for kind in figures.KINDS:
        for status in figures.STATUS_CODES:
            assert compiled.figures["by_kind_status"][kind][status] == sum(
                p["by_kind_status"][kind][status] for p in parts
            ), (kind, status)
    urusan: dict = {}
    for p in parts:
        for code, n in p["by_urusan"].items():
            urusan[code] = urusan.get(code, 0) + n
    assert compiled.figures["by_urusan"] == urusan
    assert set(compiled.figures["by_region"]) == {"35", "35.73", "35.15"}
    assert compiled.figures["by_region"]["35.15"]["source"] == "paper"
    assert set(compiled.includes.all()) == {malang_report, sidoarjo}


def test_regions_not_included_are_named_never_left_out(east_java):
    province, *_ = east_java
    compiled = actions.compile_province(
        membership=province, semester=H1, letter=letter(), today=TODAY
    )
    not_included = {item["code"]: item for item in compiled.figures["not_included"]}
    regencies = Region.objects.filter(code__startswith="35.", kind__in=["kabupaten", "kota"])
    assert len(not_included) + 2 == regencies.count() == 38
    assert not_included["35.79"]["state"] == "returned" and not_included["35.79"]["on_platform"]
    assert not_included["35.07"]["state"] == "missing"
    assert not not_included["35.07"]["on_platform"]
    assert sorted(compiled.missing) == sorted(not_included)
    xlsx = load_workbook(io.BytesIO(bytes(compiled.file("xlsx").content)))
    by_region = [[c.value for c in row] for row in xlsx.worksheets[1].iter_rows()]
    flat = [v for row in by_region for v in row]
    assert "Kabupaten Malang" in flat and "Kota Batu" in flat
    agreements = xlsx.worksheets[3]
    assert agreements.max_row == 1 + 3 + 5  # the province's own rows and Kota Malang's
    pdf = PdfReader(io.BytesIO(bytes(compiled.file("pdf").content)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Menteri Dalam Negeri" in text
    assert "Kabupaten Malang" in text and "Belum melapor" in text


def test_a_correction_recompiles_with_what_was_accepted_since(east_java, batu, office_of):
    province, _malang, batu_report, _s = east_java
    first = actions.compile_province(membership=province, semester=H1, letter=letter(), today=TODAY)
    corrected = actions.submit_report(
        membership=office_of(batu),
        semester=H1,
        letter=letter(),
        supersedes=batu_report,
        reason="Dilengkapi",
        today=TODAY,
    )
    actions.accept_submission(membership=province, submission=corrected)
    second = actions.compile_province(
        membership=province,
        semester=H1,
        letter=letter(),
        supersedes=first,
        reason="Kota Batu menyusul",
        today=TODAY,
    )
    first.refresh_from_db()
    assert first.state == State.SUPERSEDED
    assert second.figures["total"] == first.figures["total"] + corrected.figures["total"]
    assert "35.79" in second.figures["by_region"]
    assert Submission.objects.filter(level=Level.PROVINCE).current().get() == second


def test_only_a_provinces_office_compiles(malang, office_of):
    from core.errors import Forbidden

    with pytest.raises(Forbidden):
        actions.compile_province(
            membership=office_of(malang), semester=H1, letter=letter(), today=TODAY
        )


def test_the_overview_and_the_compilation_take_the_same_queries_for_more_regions(jatim, office_of):
    """Queries constant in the number of regions that reported (the province's overview, the
    compilation's sums over the frozen rows)."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting import selectors

    province = office_of(jatim)

    def paper(code):
        actions.enter_paper_report(
            membership=province,
            region=Region.objects.get(code=code),
            semester=H1,
            letter=letter(),
            figures={"ksdpk": {"in_force": 1}},
            scanned_letter=scan(),
            today=TODAY,
        )

    def count_queries():
        with CaptureQueriesContext(connection) as overview:
            selectors.province_overview(province, jatim.region, H1, TODAY)
        with CaptureQueriesContext(connection) as compiled:
            actions.build_compilation(
                province=jatim.region,
                semester=H1,
                own_figures=figures.empty(),
                own_rows=[],
                today=datetime.date(2026, 7, 10),
            )
        return len(overview), len(compiled)

    paper("35.15")
    count_queries()  # the first call loads the province's region and the deadline once
    few = count_queries()
    for code in ("35.01", "35.02", "35.03", "35.04", "35.05"):
        paper(code)
    assert count_queries() == few
