"""The national compilation of one semester: what the Ministry of Home Affairs reads
(reporting/views_national.py), downloads (XLSX, PDF) and publishes as open data (figures only).

Read from the frozen submissions only, never from a workspace: each province's current
compilation (a `Submission` of level "province", reporting/models.py) carries its figures and,
per kabupaten/kota, what that region submitted (`figures["by_region"]`) or why it is not included
(`figures["not_included"]`). The national figures are `reporting.figures.add` over the provinces'
figures, the same function a province uses to add up its regions, so the two levels cannot drift
(reporting/tests/test_national_compilation.py checks the sums).

Which provinces count: the one current (not superseded) compilation of each province for the
semester, when it was submitted or accepted. A compilation returned for correction counts for
nothing until its correction arrives, and a province with none is named "not reported": never
silently left out, and neither are its kabupaten/kota (each listed with its state).

Cost: four queries whatever the number of regions (the provinces' compilations without their
agreement rows, the provinces, the kabupaten/kota, the tenants' region codes), then sums in
Python over at most 38 figures: bench/reporting.py measures it at 552 regions.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.import_export.exporting import workbook_bytes
from agreements.reports.semester import REPORT_LANGUAGE, STATUSES, Semester, pdf_fetcher
from cms.public_data import tile_url
from cooperation import urusan as urusan_codes
from cooperation.models import Kind
from core.spreadsheets import append_row, csv_value
from search.models import RegionLocation
from tenants.models import Region, RegionKind, Tenant

from . import figures as figure_sums
from .models import Level, State, Submission

FORMATS = ("xlsx", "pdf")
COUNTED_STATES = (State.SUBMITTED, State.ACCEPTED)
# Autonomous kabupaten and kota report to their province (Jakarta's administrative ones do not:
# they have no government of their own).
REPORTING_REGENCY_KINDS = (RegionKind.KABUPATEN, RegionKind.KOTA)


class RegionState:
    """What the national view says of one kabupaten/kota."""

    PLATFORM = "platform"  # in its province's compilation, submitted on the platform
    PAPER = "paper"  # in its province's compilation, entered by the province from paper
    NOT_INCLUDED = "not_included"  # named by its province as not included (missing, returned)
    PROVINCE_NOT_REPORTED = "province_not_reported"  # its province has sent nothing that counts


REGION_STATE_LABELS = {
    RegionState.PLATFORM: gettext_lazy("Reported on the platform"),
    RegionState.PAPER: gettext_lazy("Reported on paper"),
    RegionState.NOT_INCLUDED: gettext_lazy("Not included by its province"),
    RegionState.PROVINCE_NOT_REPORTED: gettext_lazy("Province has not reported"),
}


class ProvinceState:
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    MISSING = "missing"


PROVINCE_STATE_LABELS = {
    ProvinceState.SUBMITTED: gettext_lazy("Submitted"),
    ProvinceState.ACCEPTED: gettext_lazy("Accepted"),
    ProvinceState.RETURNED: gettext_lazy("Returned for correction"),
    ProvinceState.MISSING: gettext_lazy("Not reported"),
}


@dataclass(frozen=True)
class RegionLine:
    code: str
    name: str
    province: str  # the province's code
    state: str  # RegionState
    on_platform: bool
    total: int | None  # the agreements it reported (None: not in a compilation)

    @property
    def state_label(self) -> str:
        return str(REGION_STATE_LABELS[self.state])


@dataclass(frozen=True)
class ProvinceLine:
    code: str
    name: str
    state: str  # ProvinceState
    submission: Submission | None
    figures: dict  # the province's summable figures (empty figures when it does not count)
    regions: tuple[RegionLine, ...]

    @property
    def counts(self) -> bool:
        return self.state in (ProvinceState.SUBMITTED, ProvinceState.ACCEPTED)

    @property
    def state_label(self) -> str:
        return str(PROVINCE_STATE_LABELS[self.state])

    @property
    def total(self) -> int:
        return int(self.figures["total"])

    def regions_in(self, state: str) -> int:
        return sum(1 for r in self.regions if r.state == state)

    @property
    def names_by_state(self) -> dict[str, str]:
        """The kabupaten/kota in each RegionState, as one text each (for the PDF's table, one
        row per province: text is laid out far faster than 508 table rows)."""
        return {
            state: ", ".join(r.name for r in self.regions if r.state == state)
            for state in REGION_STATE_LABELS
        }

    @property
    def reported_regions(self) -> int:
        return self.regions_in(RegionState.PLATFORM) + self.regions_in(RegionState.PAPER)


@dataclass(frozen=True)
class NationalCompilation:
    semester: Semester
    generated_at: datetime.datetime
    provinces: tuple[ProvinceLine, ...]
    figures: dict  # the national sums (reporting.figures' shape)
    regions_on_platform: int = 0
    status_labels: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return int(self.figures["total"])

    @property
    def regions(self) -> list[RegionLine]:
        return [r for p in self.provinces for r in p.regions]

    def provinces_in(self, state: str) -> int:
        return sum(1 for p in self.provinces if p.state == state)

    def regions_in(self, state: str) -> int:
        return sum(1 for r in self.regions if r.state == state)

    @property
    def province_counts(self) -> dict[str, int]:
        """How many provinces are in each ProvinceState (for the page's figures)."""
        return {state: self.provinces_in(state) for state in PROVINCE_STATE_LABELS}

    @property
    def region_counts(self) -> dict[str, int]:
        return {state: self.regions_in(state) for state in REGION_STATE_LABELS}

    @property
    def kind_rows(self) -> list[tuple[str, list[int], int]]:
        """(kind's label, counts per status in STATUSES' order, total) for every kind."""
        rows = []
        for value, label in Kind.choices:
            statuses = self.figures["by_kind_status"].get(value, {})
            counts = [int(statuses.get(code, 0)) for code, _l in STATUSES]
            rows.append((str(label), counts, sum(counts)))
        return rows

    @property
    def status_totals(self) -> list[int]:
        return [int(self.figures["by_status"].get(code, 0)) for code, _l in STATUSES]

    @property
    def urusan_rows(self) -> list[tuple[str, str, int]]:
        """(code, label, count) of every urusan with agreements, in the nomenclature's order."""
        by_urusan = self.figures["by_urusan"]
        return [
            (code, urusan_codes.label(code), int(by_urusan[code]))
            for code in sorted(by_urusan, key=_urusan_key)
        ]


def _urusan_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def _province_state(submission: Submission | None) -> str:
    if submission is None:
        return ProvinceState.MISSING
    states: dict[str, str] = {
        State.SUBMITTED: ProvinceState.SUBMITTED,
        State.ACCEPTED: ProvinceState.ACCEPTED,
        State.RETURNED: ProvinceState.RETURNED,
    }
    return states.get(submission.state, ProvinceState.MISSING)


def _region_lines(
    province: Region,
    submission: Submission | None,
    counts: bool,
    regencies: list[Region],
    on_platform: set[str],
) -> tuple[RegionLine, ...]:
    by_region = (submission.figures.get("by_region") or {}) if counts and submission else {}
    lines = []
    for region in regencies:
        entry = by_region.get(region.code)
        if entry is not None:
            state = RegionState.PAPER if entry.get("source") == "paper" else RegionState.PLATFORM
            total: int | None = int(entry.get("total", 0))
        elif counts:
            state, total = RegionState.NOT_INCLUDED, None
        else:
            state, total = RegionState.PROVINCE_NOT_REPORTED, None
        lines.append(
            RegionLine(
                code=region.code,
                name=region.name,
                province=province.code,
                state=state,
                on_platform=region.code in on_platform,
                total=total,
            )
        )
    return tuple(lines)


def compile_national(semester: Semester, *, now: datetime.datetime | None = None):
    """The national compilation of `semester` (four queries, whatever the number of regions)."""
    submissions = {
        s.region_id: s
        for s in Submission.objects.current()
        .of_semester(semester.year, semester.half)
        .filter(level=Level.PROVINCE)
        .defer("agreements")
    }
    provinces = list(Region.objects.provinces().order_by("code"))
    regencies: dict[str, list[Region]] = {p.code: [] for p in provinces}
    for region in (
        Region.objects.filter(kind__in=REPORTING_REGENCY_KINDS)
        .only("code", "name")
        .order_by("code")
    ):
        regencies.setdefault(region.code.split(".")[0], []).append(region)
    on_platform = set(Tenant.objects.live().values_list("region_id", flat=True))
    lines = []
    for province in provinces:
        submission = submissions.get(province.code)
        state = _province_state(submission)
        counts = state in (ProvinceState.SUBMITTED, ProvinceState.ACCEPTED)
        lines.append(
            ProvinceLine(
                code=province.code,
                name=province.name,
                state=state,
                submission=submission,
                figures=figure_sums.core(submission.figures)
                if counts and submission
                else figure_sums.empty(),
                regions=_region_lines(
                    province, submission, counts, regencies[province.code], on_platform
                ),
            )
        )
    return NationalCompilation(
        semester=semester,
        generated_at=now or timezone.now(),
        provinces=tuple(lines),
        figures=figure_sums.add(line.figures for line in lines if line.counts),
        regions_on_platform=len(on_platform),
        status_labels=tuple(str(label) for _c, label in STATUSES),
    )


def semesters_with_reports() -> list[Semester]:
    """The semesters for which at least one province has submitted, newest first."""
    pairs = (
        Submission.objects.current()
        .filter(level=Level.PROVINCE, state__in=COUNTED_STATES)
        .values_list("year", "half")
        .distinct()
        .order_by("-year", "-half")
    )
    return [Semester(year, half) for year, half in pairs]


# --- Files -----------------------------------------------------------------------------------


def title_of(compilation: NationalCompilation) -> str:
    return _("National report on regional cooperation, semester %(period)s") % {
        "period": compilation.semester.label
    }


def _day(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "j F Y H:i")


def to_xlsx(compilation: NationalCompilation) -> bytes:
    """Four sheets: the recapitulation by kind and status, the provinces, the urusan, and every
    kabupaten/kota with its state. Every text cell is a string, never a formula."""
    workbook = Workbook()
    bold = Font(bold=True)

    recap = workbook.active
    recap.title = _("Recapitulation")[:31]
    append_row(recap, [title_of(compilation)], font=Font(bold=True, size=13))
    append_row(
        recap,
        [
            _("Compiled from the provinces' submitted reports on %(date)s.")
            % {"date": _day(compilation.generated_at)}
        ],
    )
    append_row(
        recap,
        [
            _("%(counted)s of %(all)s provinces counted.")
            % {
                "counted": sum(1 for p in compilation.provinces if p.counts),
                "all": len(compilation.provinces),
            }
        ],
    )
    append_row(recap, [])
    append_row(recap, [_("Kind"), *compilation.status_labels, _("Total")], font=bold)
    for label, counts, total in compilation.kind_rows:
        append_row(recap, [label, *counts, total])
    append_row(recap, [_("Total"), *compilation.status_totals, compilation.total], font=bold)
    recap.column_dimensions["A"].width = 45

    provinces = workbook.create_sheet(_("Provinces")[:31])
    append_row(
        provinces,
        [
            _("Code"),
            _("Province"),
            _("State"),
            _("Submitted on"),
            _("Late"),
            _("Regions reported"),
            _("Regions"),
            *[str(label) for label in Kind.labels],
            _("Total"),
        ],
        font=bold,
    )
    for p in compilation.provinces:
        s = p.submission if p.state != ProvinceState.MISSING else None
        append_row(
            provinces,
            [
                p.code,
                p.name,
                p.state_label,
                timezone.localtime(s.submitted_at).date() if s else "",
                (_("yes") if s.late else _("no")) if s else "",
                p.reported_regions,
                len(p.regions),
                *[int(p.figures["by_kind"].get(kind, 0)) for kind in Kind.values],
                p.total,
            ],
        )
    provinces.column_dimensions["B"].width = 30

    urusan = workbook.create_sheet(_("Urusan")[:31])
    append_row(urusan, [_("Code"), _("Urusan"), _("Agreements")], font=bold)
    for code, label, count in compilation.urusan_rows:
        append_row(urusan, [code, label, count])
    urusan.column_dimensions["B"].width = 60

    regions = workbook.create_sheet(_("Regions")[:31])
    append_row(
        regions,
        [_("Code"), _("Region"), _("Province"), _("State"), _("On the platform"), _("Total")],
        font=bold,
    )
    names = {p.code: p.name for p in compilation.provinces}
    for r in compilation.regions:
        append_row(
            regions,
            [
                r.code,
                r.name,
                names.get(r.province, r.province),
                r.state_label,
                _("yes") if r.on_platform else _("no"),
                "" if r.total is None else r.total,
            ],
        )
    regions.column_dimensions["B"].width = 30
    regions.column_dimensions["C"].width = 30
    return workbook_bytes(workbook)


def to_pdf(compilation: NationalCompilation) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, needed for the PDF only

    html = render_to_string(
        "reporting/national/compilation_pdf.html",
        {"compilation": compilation, "title": title_of(compilation)},
    )
    buffer = io.BytesIO()
    HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(buffer)
    return buffer.getvalue()


def national_file(semester: Semester, fmt: str) -> tuple[bytes, NationalCompilation]:
    """The national compilation as a file, in Indonesian (the Ministry's reports are)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    with translation.override(REPORT_LANGUAGE):
        compilation = compile_national(semester)
        content = (to_xlsx if fmt == "xlsx" else to_pdf)(compilation)
    return content, compilation


def filename(semester: Semester, fmt: str) -> str:
    return f"laporan-kerja-sama-nasional-{semester.year}-s{semester.half}.{fmt}"


# --- Open data: figures only -----------------------------------------------------------------
# What the public portal publishes of a semester: counts, states and dates. Never a letter's
# number, a signatory (name, position, NIP), a reason for returning or correcting a report, an
# agreement's row or a file: those stay with the province and the Ministry.


def open_data(compilation: NationalCompilation) -> dict:
    def counts(figures: dict) -> dict:
        return {key: figures[key] for key in ("total", "by_kind", "by_status", "by_urusan")} | {
            "by_kind_status": figures["by_kind_status"]
        }

    return {
        "semester": {
            "year": compilation.semester.year,
            "half": compilation.semester.half,
            "start": compilation.semester.start.isoformat(),
            "end": compilation.semester.end.isoformat(),
        },
        "compiled_at": compilation.generated_at.isoformat(),
        "national": counts(compilation.figures),
        "provinces": [
            {
                "code": p.code,
                "name": p.name,
                "state": p.state,
                "submitted_on": (
                    timezone.localtime(p.submission.submitted_at).date().isoformat()
                    if p.submission is not None and p.state != ProvinceState.MISSING
                    else None
                ),
                "late": bool(p.submission.late) if p.submission is not None else None,
                "regions": len(p.regions),
                "regions_reported": p.reported_regions,
                "figures": counts(p.figures),
            }
            for p in compilation.provinces
        ],
        "regions": [
            {
                "code": r.code,
                "name": r.name,
                "province": r.province,
                "state": r.state,
                "on_platform": r.on_platform,
                "total": r.total,
            }
            for r in compilation.regions
        ],
    }


CSV_COLUMNS = (
    "province_code",
    "province",
    "province_state",
    "region_code",
    "region",
    "region_state",
    "on_platform",
    "total",
)


def open_data_csv(compilation: NationalCompilation) -> str:
    """One row per province (its own line, region columns empty: the province's total) and
    one per kabupaten/kota."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def put(values):
        writer.writerow([csv_value(v) for v in values])

    put(CSV_COLUMNS)
    for p in compilation.provinces:
        put([p.code, p.name, p.state, "", "", "", "", p.total if p.counts else ""])
        for r in p.regions:
            put(
                [
                    p.code,
                    p.name,
                    p.state,
                    r.code,
                    r.name,
                    r.state,
                    "true" if r.on_platform else "false",
                    "" if r.total is None else r.total,
                ]
            )
    return buffer.getvalue()


# --- The map ---------------------------------------------------------------------------------
# Each kabupaten/kota's seat (search.RegionLocation; regions without a sure location have none
# and stay in the tables only), coloured by its state; drawn by reporting/static/reporting/
# national_map.js over the tiles the portal's maps use.

MAP_COLOURS = {
    RegionState.PLATFORM: "#1b7f3b",
    RegionState.PAPER: "#1d5b79",
    RegionState.NOT_INCLUDED: "#b35900",
    RegionState.PROVINCE_NOT_REPORTED: "#767676",
}


def map_data(compilation: NationalCompilation) -> dict:
    """The map's JSON (one query): the points, their colours and labels, the legend."""
    places = {
        code: (lat, lon)
        for code, lat, lon in RegionLocation.objects.filter(
            region__kind__in=REPORTING_REGENCY_KINDS
        ).values_list("region_id", "latitude", "longitude")
    }
    points = [
        {"name": r.name, "state": r.state, "lat": places[r.code][0], "lon": places[r.code][1]}
        for r in compilation.regions
        if r.code in places
    ]
    counts = compilation.region_counts
    return {
        "tiles": tile_url(),
        "attribution": _(
            "Map data © OpenStreetMap contributors; region seats: GeoNames (CC BY 4.0), geografis"
        ),
        "colours": MAP_COLOURS,
        "labels": {state: str(label) for state, label in REGION_STATE_LABELS.items()},
        "legend": [
            {"state": state, "label": str(label), "count": counts[state]}
            for state, label in REGION_STATE_LABELS.items()
        ],
        "points": points,
    }
