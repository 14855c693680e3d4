"""The national compilation (reporting/national.py): it equals the sum of what the provinces
submitted, each province's equals its regions' plus its own, it reads frozen submissions only
(never a workspace), a correction replaces (never doubles) a province, and its queries do not
grow with the number of provinces and regions."""

from __future__ import annotations

from collections import Counter

import pytest
from django_tenants.utils import tenant_context

from reporting import actions, national
from reporting.figures import KINDS, STATUS_CODES
from reporting.models import Level, State, Submission
from reporting.national import ProvinceState, RegionState
from tenants.models import Region, RegionKind

from .conftest import H1, TODAY, fill_register, letter

pytestmark = pytest.mark.django_db


def by_hand(submissions) -> dict:
    """The sums computed here, independently of reporting.figures: per (kind, status), per
    urusan, and the total."""
    cells: Counter = Counter()
    urusan: Counter = Counter()
    for s in submissions:
        for kind, statuses in s.figures["by_kind_status"].items():
            for status, n in statuses.items():
                cells[(kind, status)] += n
        urusan.update(s.figures["by_urusan"])
    return {"cells": cells, "urusan": +urusan, "total": sum(cells.values())}


def national_by_hand(compilation) -> dict:
    cells = Counter(
        {
            (kind, status): compilation.figures["by_kind_status"][kind][status]
            for kind in KINDS
            for status in STATUS_CODES
        }
    )
    return {
        "cells": +cells,
        "urusan": +Counter(compilation.figures["by_urusan"]),
        "total": compilation.total,
    }


@pytest.fixture
def reported(malang, batu, jatim, kalbar, office_of):
    """Kota Malang and Kota Batu submit to East Java, which accepts both and compiles with its
    own agreements; Kalimantan Barat compiles its own (Kota Singkawang is not on the platform)."""
    offices = {}
    for tenant, signed, in_process, ksdpk in (
        (malang, 2, 1, 1),
        (batu, 1, 2, 0),
        (jatim, 1, 0, 2),
        (kalbar, 0, 1, 1),
    ):
        offices[tenant.region_id] = office_of(tenant)
        fill_register(
            tenant, offices[tenant.region_id], signed=signed, in_process=in_process, ksdpk=ksdpk
        )
    regions = {}
    for code in ("35.73", "35.79"):
        regions[code] = actions.submit_report(
            membership=offices[code], semester=H1, letter=letter(), today=TODAY
        )
        actions.accept_submission(membership=offices["35"], submission=regions[code])
    provinces = {
        code: actions.compile_province(
            membership=offices[code], semester=H1, letter=letter(f"050/1/{code}/2026"), today=TODAY
        )
        for code in ("35", "61")
    }
    return {"offices": offices, "regions": regions, "provinces": provinces}


def test_the_national_compilation_is_the_sum_of_the_provinces(reported):
    compilation = national.compile_national(H1)
    provinces = list(
        Submission.objects.filter(level=Level.PROVINCE, year=2026, half=1).exclude(
            state=State.SUPERSEDED
        )
    )
    assert len(provinces) == 2
    assert national_by_hand(compilation) == by_hand(provinces)
    assert compilation.total == sum(p.figures["total"] for p in provinces) > 0
    # Each province's line is its own submission's figures.
    lines = {p.code: p for p in compilation.provinces}
    for submission in provinces:
        assert lines[submission.region_id].total == submission.figures["total"]
        assert lines[submission.region_id].submission == submission


def test_a_province_is_the_sum_of_its_regions_and_its_own(reported):
    jatim = reported["provinces"]["35"]
    malang, batu = reported["regions"]["35.73"], reported["regions"]["35.79"]
    own = jatim.figures["by_region"]["35"]
    assert own["source"] == "own"
    total_by_hand = malang.figures["total"] + batu.figures["total"] + own["total"]
    assert jatim.figures["total"] == total_by_hand
    cells = by_hand([malang, batu])["cells"]
    for kind, statuses in own["by_kind_status"].items():
        for status, n in statuses.items():
            cells[(kind, status)] += n
    assert by_hand([jatim])["cells"] == cells
    # And the nation's figures reach down to the regions' own submissions.
    kalbar = reported["provinces"]["61"]
    assert national.compile_national(H1).total == (
        total_by_hand + kalbar.figures["by_region"]["61"]["total"]
    )


def test_every_province_and_kabupaten_kota_is_named_never_left_out(reported):
    compilation = national.compile_national(H1)
    assert len(compilation.provinces) == Region.objects.provinces().count() == 38
    reporting_regions = Region.objects.filter(kind__in=[RegionKind.KABUPATEN, RegionKind.KOTA])
    assert len(compilation.regions) == reporting_regions.count()
    lines = {p.code: p for p in compilation.provinces}
    jatim = lines["35"]
    assert jatim.state == ProvinceState.SUBMITTED
    assert len(jatim.regions) == 38
    states = {r.code: r.state for r in jatim.regions}
    assert states["35.73"] == states["35.79"] == RegionState.PLATFORM
    assert states["35.07"] == RegionState.NOT_INCLUDED
    assert Counter(states.values()) == {RegionState.PLATFORM: 2, RegionState.NOT_INCLUDED: 36}
    on_platform = {r.code for r in jatim.regions if r.on_platform}
    assert on_platform == {"35.73", "35.79"}
    assert lines["61"].state == ProvinceState.SUBMITTED
    assert {r.state for r in lines["61"].regions} == {RegionState.NOT_INCLUDED}
    # A province that sent nothing: named, and so is each of its regions.
    assert lines["11"].state == ProvinceState.MISSING
    assert {r.state for r in lines["11"].regions} == {RegionState.PROVINCE_NOT_REPORTED}
    assert compilation.province_counts[ProvinceState.MISSING] == 36


def test_a_correction_replaces_the_province_never_doubles_it(reported, jatim):
    before = national.compile_national(H1).total
    offices = reported["offices"]
    with tenant_context(jatim):
        fill_register(jatim, offices["35"], signed=0, in_process=2)
    corrected = actions.compile_province(
        membership=offices["35"],
        semester=H1,
        letter=letter("050/2/35/2026"),
        supersedes=reported["provinces"]["35"],
        reason="Dua rancangan KSB tertinggal.",
        today=TODAY,
    )
    compilation = national.compile_national(H1)
    assert compilation.total == before + 2
    assert {p.code: p.submission for p in compilation.provinces}["35"] == corrected


def test_a_returned_compilation_counts_for_nothing(reported):
    jatim = reported["provinces"]["35"]
    Submission.objects.filter(pk=jatim.pk).update(state=State.RETURNED, return_reason="Kurang.")
    compilation = national.compile_national(H1)
    line = {p.code: p for p in compilation.provinces}["35"]
    assert line.state == ProvinceState.RETURNED and not line.counts
    assert compilation.total == reported["provinces"]["61"].figures["total"]


def test_it_reads_what_was_submitted_not_the_workspaces(reported, malang, jatim):
    before = national.compile_national(H1)
    offices = reported["offices"]
    for tenant, code in ((malang, "35.73"), (jatim, "35")):
        with tenant_context(tenant):
            fill_register(tenant, offices[code], signed=3, in_process=3)
    after = national.compile_national(H1)
    assert after.figures == before.figures


def test_its_queries_do_not_grow_with_the_provinces(reported, django_assert_num_queries):
    with django_assert_num_queries(4):
        national.compile_national(H1)
    # Without any submission, the same four.
    Submission.objects.filter(level=Level.PROVINCE).update(state=State.SUPERSEDED)
    with django_assert_num_queries(4):
        empty = national.compile_national(H1)
    assert empty.total == 0


def test_files_and_open_data(reported):
    import io
    import json

    from openpyxl import load_workbook
    from pypdf import PdfReader

    content, compilation = national.national_file(H1, "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Rekapitulasi", "Provinsi", "Urusan", "Daerah"]
    cells = [c.value for row in book["Provinsi"].iter_rows() for c in row]
    assert "Jawa Timur" in cells and compilation.total in [
        c.value for c in list(book["Rekapitulasi"].iter_rows())[-1]
    ]
    assert len(list(book["Daerah"].iter_rows())) == 1 + len(compilation.regions)
    pdf, _c = national.national_file(H1, "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Laporan nasional" in text or "LAPORAN NASIONAL" in text.upper()
    # Which kabupaten/kota reported, by name (one row per province).
    assert "Kota Malang" in text and "Kabupaten Malang" in text
    data = national.open_data(compilation)
    text = json.dumps(data, ensure_ascii=False) + national.open_data_csv(compilation)
    # Figures only: no letter, no signatory, no NIP, no reason.
    for secret in ("050/123/35.73.112/2026", "050/1/35/2026", "Erik Setyo", "197001011990031001"):
        assert secret not in text
    assert data["national"]["total"] == compilation.total
    assert len(data["regions"]) == len(compilation.regions)
