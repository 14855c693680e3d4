"""A province's compiled report to the Ministry, as one XLSX and one PDF letter: its own
agreements and the accepted reports of its kabupaten/kota (platform and paper), totals by kind
and status, by urusan and by region, and the regions that are NOT included named with the
reason (never silently left out). Built from frozen submissions' figures and rows only: nothing
here reads a region's workspace (the province's own rows are frozen by the action first).
Always in Indonesian (the caller renders it under translation.override("id")).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.import_export.exporting import workbook_bytes
from agreements.reports.letter import LetterDetails, Letterhead
from agreements.reports.semester import STATUSES, Semester, letter_lines, pdf_fetcher
from cooperation import urusan as urusan_codes
from cooperation.models import Kind
from core.spreadsheets import append_row

from .figures import KINDS, STATUS_CODES


@dataclass(frozen=True)
class RegionLine:
    code: str
    name: str
    source: str  # "own", "platform", "paper"
    total: int
    counts: tuple[int, ...]  # by status, in STATUSES order
    letter: str  # the region's letter number ("" for the province's own)


@dataclass(frozen=True)
class Compilation:
    province: str  # "Provinsi Jawa Timur"
    semester: Semester
    generated_on: datetime.date
    figures: dict  # reporting/models.py's shape, with by_region and not_included
    regions: tuple[RegionLine, ...]
    not_included: tuple[dict, ...]
    rows: tuple[dict, ...]  # every agreement row with its "region_name"

    @property
    def status_labels(self) -> list[str]:
        return [str(label) for _value, label in STATUSES]

    @property
    def kind_lines(self) -> list[tuple[str, list[int], int]]:
        labels = dict(Kind.choices)
        return [
            (
                str(labels[kind]),
                [self.figures["by_kind_status"][kind][s] for s in STATUS_CODES],
                self.figures["by_kind"][kind],
            )
            for kind in KINDS
        ]

    @property
    def status_totals(self) -> list[int]:
        return [self.figures["by_status"][s] for s in STATUS_CODES]

    @property
    def urusan_lines(self) -> list[tuple[str, int]]:
        return [
            (urusan_codes.label(code), n) for code, n in sorted(self.figures["by_urusan"].items())
        ]

    @property
    def total(self) -> int:
        return self.figures["total"]


SOURCE_LABELS = {
    "own": lambda: _("The province's own agreements"),
    "platform": lambda: _("Submitted on the platform"),
    "paper": lambda: _("From a paper report"),
}
NOT_INCLUDED_LABELS = {
    "missing": lambda: _("Has not reported"),
    "submitted": lambda: _("Submitted, not yet accepted"),
    "returned": lambda: _("Returned for correction, not yet resubmitted"),
}


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, lambda: source)())


def not_included_label(state: str) -> str:
    return str(NOT_INCLUDED_LABELS.get(state, lambda: state)())


def title_of(c: Compilation) -> str:
    return _("Recapitulation of regional cooperation, %(province)s, semester %(period)s") % {
        "province": c.province,
        "period": c.semester.label,
    }


def _day(value) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return date_format(value, "DATE_FORMAT")


def to_xlsx(c: Compilation, *, letter: LetterDetails, head: Letterhead) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)

    put = append_row  # constant time per row (core/spreadsheets.py), never a formula

    recap = workbook.active
    recap.title = _("Recapitulation")[:31]
    put(recap, [head.heading], font=Font(bold=True, size=13))
    put(recap, [title_of(c)], font=Font(bold=True, size=13))
    for line in letter_lines(letter, head):
        put(recap, line)
    put(recap, [_("Compiled on %(date)s.") % {"date": _day(c.generated_on)}])
    put(recap, [])
    put(recap, [_("Kind"), *c.status_labels, _("Total")], font=bold)
    for label, counts, total in c.kind_lines:
        put(recap, [label, *counts, total])
    put(recap, [_("Total"), *c.status_totals, c.total], font=bold)
    recap.column_dimensions["A"].width = 45

    sheet = workbook.create_sheet(_("By region")[:31])
    put(
        sheet,
        [_("Code"), _("Region"), _("Source"), _("Letter number"), *c.status_labels, _("Total")],
        font=bold,
    )
    for r in c.regions:
        put(sheet, [r.code, r.name, source_label(r.source), r.letter, *r.counts, r.total])
    put(sheet, [])
    put(sheet, [_("Not included in this report")], font=bold)
    put(sheet, [_("Code"), _("Region"), _("Why")], font=bold)
    for item in c.not_included:
        put(sheet, [item["code"], item["name"], not_included_label(item["state"])])
    if not c.not_included:
        put(sheet, [_("Every kabupaten/kota of the province is included.")])
    sheet.column_dimensions["B"].width = 30

    urusan = workbook.create_sheet(_("By urusan")[:31])
    put(urusan, [_("Urusan"), _("Agreements")], font=bold)
    for label, n in c.urusan_lines:
        put(urusan, [label, n])
    put(
        urusan,
        [_("Paper reports give figures by kind and status only: they are not counted here.")],
    )
    urusan.column_dimensions["A"].width = 50

    rows = workbook.create_sheet(_("Agreements")[:31])
    put(
        rows,
        [
            _("Region"),
            _("No."),
            _("Title"),
            _("Kind"),
            _("Parties"),
            _("Object"),
            _("Urusan"),
            _("Term start"),
            _("Term end"),
            _("Status"),
            _("Progress"),
        ],
        font=bold,
    )
    for r in c.rows:
        put(
            rows,
            [
                r["region_name"],
                r["number"],
                r["title"],
                r["kind"],
                r["parties"],
                r["object"],
                r["urusan"],
                r["term_start"] or "",
                r["term_end"] or "",
                r["status"],
                r["progress"],
            ],
        )
    return workbook_bytes(workbook)


def to_pdf(c: Compilation, *, letter: LetterDetails, head: Letterhead) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, needed for the PDF only

    html = render_to_string(
        "reporting/compilation_pdf.html",
        {
            "c": c,
            "title": title_of(c),
            "letter": letter,
            "head": head,
            "regions": [{**r.__dict__, "source_label": source_label(r.source)} for r in c.regions],
            "not_included": [
                {**item, "why": not_included_label(item["state"])} for item in c.not_included
            ],
            "to_label": pgettext("letter addressee", "To"),
        },
    )
    buffer = io.BytesIO()
    HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(buffer)
    return buffer.getvalue()
