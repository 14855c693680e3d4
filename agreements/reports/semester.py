"""The semester report to the Governor and the Minister of Home Affairs (January-June,
July-December): a recapitulation by kind and status, then one row per agreement (parties,
object, term, progress). Generated from the register with no hand editing, as XLSX (openpyxl)
and PDF (WeasyPrint).

Which agreements a semester reports: every agreement of the register whose term overlaps the
semester (an agreement without a term yet, still in process, counts too), except one that was
closed (ended or rejected) before the semester began. The rows come from the register's own
selector (`selectors.register`), and the recapitulation is counted from those same rows, so the
two can never disagree. Stages and progress are as they stand when the report is generated
(the report says when).
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.import_export.exporting import workbook_bytes
from agreements.register import selectors
from agreements.register.status import IN_FORCE_STAGES
from agreements.reports.letter import LetterDetails, Letterhead, letterhead_of
from cooperation import urusan as urusan_codes
from cooperation.models import Kind, Stage
from cooperation.policy import AgreementPerm
from core.errors import Forbidden
from core.spreadsheets import append_row
from tenants import audit
from tenants.models import Membership
from tenants.policy import has_perm

FORMATS = ("xlsx", "pdf")
PDF_TYPE = "application/pdf"


class Status:
    """The statuses the report counts by, each a group of stages."""

    IN_PROCESS = "in_process"
    IN_FORCE = "in_force"
    ENDED = "ended"
    REJECTED = "rejected"


STATUSES: tuple[tuple[str, object], ...] = (
    (Status.IN_PROCESS, gettext_lazy("In process")),
    (Status.IN_FORCE, gettext_lazy("Signed, in force")),
    (Status.ENDED, gettext_lazy("Ended")),
    (Status.REJECTED, gettext_lazy("Rejected")),
)
STATUS_STAGES: dict[str, tuple[str, ...]] = {
    Status.IN_PROCESS: (
        Stage.PREPARATION,
        Stage.OFFER,
        Stage.KSB_DRAFTING,
        Stage.DPRD_APPROVAL,
        Stage.PKS_DRAFTING,
    ),
    Status.IN_FORCE: IN_FORCE_STAGES,
    Status.ENDED: (Stage.ENDED,),
    Status.REJECTED: (Stage.REJECTED,),
}
STATUS_OF_STAGE = {stage: status for status, stages in STATUS_STAGES.items() for stage in stages}
KIND_ORDER = {value: index for index, value in enumerate(Kind.values)}


@dataclass(frozen=True)
class Semester:
    year: int
    half: int  # 1: January-June, 2: July-December

    def __post_init__(self):
        if self.half not in (1, 2) or not 1945 <= self.year <= 2100:
            raise ValueError(f"No such semester: {self.year}/{self.half}")

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def label(self) -> str:
        if self.half == 1:
            return _("January-June %(year)s") % {"year": self.year}
        return _("July-December %(year)s") % {"year": self.year}

    @classmethod
    def last_ended(cls, today: datetime.date) -> Semester:
        """The most recent semester that is over: the one a region reports now."""
        return cls(today.year - 1, 2) if today.month <= 6 else cls(today.year, 1)


def in_semester(semester: Semester) -> Q:
    term_overlaps = (
        Q(cooperation__term_start__isnull=True) | Q(cooperation__term_start__lte=semester.end)
    ) & (Q(cooperation__term_end__isnull=True) | Q(cooperation__term_end__gte=semester.start))
    closed_before = Q(
        cooperation__stage__in=(Stage.ENDED, Stage.REJECTED),
        cooperation__ended_on__lt=semester.start,
    )
    return term_overlaps & ~closed_before


@dataclass(frozen=True)
class ReportRow:
    number: int
    title: str
    kind: str
    parties: str
    object: str
    urusan: str
    term_start: datetime.date | None
    term_end: datetime.date | None
    status: str
    progress: str
    # The codes behind the labels, for programs (the frozen figures of a submitted report,
    # reporting/): the kind, the status (Status) and the urusan codes.
    kind_code: str = ""
    status_code: str = ""
    urusan_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecapRow:
    kind: str
    counts: tuple[int, ...]  # in the order of STATUSES

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class SemesterReport:
    region: str
    semester: Semester
    generated_on: datetime.date
    recap: tuple[RecapRow, ...]
    totals: tuple[int, ...]
    rows: tuple[ReportRow, ...]
    counts: dict  # (kind, status) -> number, for programs and tests

    @property
    def total(self) -> int:
        return sum(self.totals)

    @property
    def status_labels(self) -> list[str]:
        return [str(label) for _value, label in STATUSES]


def _day(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _progress(c) -> str:
    parts = [c.get_stage_display()]
    if c.signed_on:
        parts.append(_("signed on %(date)s") % {"date": _day(c.signed_on)})
    if c.stage == Stage.ENDED and c.end_reason:
        parts.append(
            _("%(reason)s on %(date)s")
            % {"reason": c.get_end_reason_display(), "date": _day(c.ended_on)}
        )
    if c.stage == Stage.REJECTED and c.closing_note:
        parts.append(_("reason: %(reason)s") % {"reason": c.closing_note})
    return "; ".join(parts)


def build_report(
    *, region_name: str, semester: Semester, today: datetime.date | None = None
) -> SemesterReport:
    """The report of `semester` from this region's register (two queries, whatever its size)."""
    agreements = list(
        selectors.register(filters=selectors.RegisterFilters(sort="title")).filter(
            in_semester(semester)
        )
    )
    agreements.sort(key=lambda a: (KIND_ORDER.get(a.cooperation.kind, 99), a.cooperation.title))
    counts = Counter(
        (a.cooperation.kind, STATUS_OF_STAGE.get(a.cooperation.stage, Status.IN_PROCESS))
        for a in agreements
    )
    recap = tuple(
        RecapRow(kind=str(label), counts=tuple(counts[(value, s)] for s, _l in STATUSES))
        for value, label in Kind.choices
    )
    totals = tuple(sum(row.counts[i] for row in recap) for i in range(len(STATUSES)))
    status_label = dict(STATUSES)
    rows = tuple(
        ReportRow(
            number=number,
            title=c.title,
            kind=c.get_kind_display(),
            parties="; ".join(p.name for p in c.parties.all()),
            object=c.object,
            urusan="; ".join(urusan_codes.label(code) for code in c.urusan),
            term_start=c.term_start,
            term_end=c.term_end,
            status=str(status_label[STATUS_OF_STAGE.get(c.stage, Status.IN_PROCESS)]),
            progress=_progress(c),
            kind_code=c.kind,
            status_code=STATUS_OF_STAGE.get(c.stage, Status.IN_PROCESS),
            urusan_codes=tuple(c.urusan),
        )
        for number, c in enumerate((a.cooperation for a in agreements), start=1)
    )
    return SemesterReport(
        region=region_name,
        semester=semester,
        generated_on=today or timezone.localdate(),
        recap=recap,
        totals=totals,
        rows=rows,
        counts=dict(counts),
    )


def title_of(report: SemesterReport) -> str:
    return _("Report on regional cooperation, %(region)s, semester %(period)s") % {
        "region": report.region,
        "period": report.semester.label,
    }


def letter_lines(letter: LetterDetails | None, head: Letterhead | None) -> list[list[str]]:
    """The letter's details as label/value lines (the spreadsheet's heading)."""
    if letter is None or head is None:
        return []
    signatory = f"{letter.signatory_name}, {letter.signatory_position}"
    if letter.signatory_nip:
        signatory += f", NIP {letter.nip_printed}"
    return [
        [_("Number"), letter.number],
        [_("Place and date"), f"{letter.place}, {_day(letter.date)}"],
        [pgettext("letter addressee", "To"), head.addressee],
        [_("Signed by"), signatory],
    ]


def to_xlsx(
    report: SemesterReport,
    *,
    letter: LetterDetails | None = None,
    head: Letterhead | None = None,
) -> bytes:
    """Two sheets: the recapitulation (under the letter's details, when given), then the
    agreements. Every text cell is a string, never a formula, whatever it starts with."""
    workbook = Workbook()
    bold = Font(bold=True)

    put = append_row  # constant time per row (core/spreadsheets.py), never a formula

    recap = workbook.active
    recap.title = _("Recapitulation")[:31]
    if head is not None:
        put(recap, [head.heading], font=Font(bold=True, size=13))
    put(recap, [title_of(report)], font=Font(bold=True, size=13))
    for line in letter_lines(letter, head):
        put(recap, line)
    put(
        recap, [_("Generated from the register on %(date)s.") % {"date": _day(report.generated_on)}]
    )
    put(recap, [])
    put(recap, [_("Kind"), *report.status_labels, _("Total")], font=bold)
    for row in report.recap:
        put(recap, [row.kind, *row.counts, row.total])
    put(recap, [_("Total"), *report.totals, report.total], font=bold)
    recap.column_dimensions["A"].width = 45

    sheet = workbook.create_sheet(_("Agreements")[:31])
    put(
        sheet,
        [
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
    for r in report.rows:
        put(
            sheet,
            [
                r.number,
                r.title,
                r.kind,
                r.parties,
                r.object,
                r.urusan,
                r.term_start,
                r.term_end,
                r.status,
                r.progress,
            ],
        )
    for letter, width in zip("ABCDEFGHIJ", (5, 40, 28, 40, 40, 30, 12, 12, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


def pdf_fetcher():
    """The PDF is made from the register's own text and the emblem embedded as a data: URI
    only: it fetches nothing from an address (no images, style sheets or fonts from a URL), so
    no text in it can make the server open one."""
    from weasyprint.urls import URLFetcher  # here: WeasyPrint loads Pango, for the PDF only

    return URLFetcher(allowed_protocols={"data"})


def to_pdf(
    report: SemesterReport,
    *,
    letter: LetterDetails | None = None,
    head: Letterhead | None = None,
) -> bytes:
    """The report as a letter: the letterhead, the number, place and date, the addressee, the
    recapitulation and the rows, the signature block. Without `letter`, a draft whose blanks
    the office fills in by hand."""
    from weasyprint import HTML  # imported here: it loads Pango, needed for the PDF only

    html = render_to_string(
        "agreements/reports/semester_pdf.html",
        {"report": report, "title": title_of(report), "letter": letter, "head": head},
    )
    buffer = io.BytesIO()
    HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(buffer)
    return buffer.getvalue()


# The language of every report upward: the Governor and the Ministry read Indonesian, whatever
# language the person who produces it has chosen for their interface.
REPORT_LANGUAGE = "id"


def semester_report(
    *,
    membership: Membership,
    semester: Semester,
    fmt: str,
    letter: LetterDetails | None = None,
) -> tuple[bytes, SemesterReport]:
    """The semester report as a file (`fmt`: xlsx or pdf), in Indonesian, as the letter
    `letter` (or a draft to fill in by hand without it), recorded in the region's history (who
    produced which report upward, when, with how many agreements, under which number)."""
    if not has_perm(
        membership.user, membership.tenant, AgreementPerm.REPORT_AGREEMENTS, membership
    ):
        raise Forbidden(_("Only the cooperation office and the TKKSD produce the semester report."))
    if fmt not in FORMATS:
        raise ValueError(fmt)
    with translation.override(REPORT_LANGUAGE):
        report = build_report(region_name=membership.tenant.name, semester=semester)
        head = letterhead_of(membership.tenant)
        write = to_xlsx if fmt == "xlsx" else to_pdf
        content = write(report, letter=letter, head=head)
    audit.record(
        "agreement.semester_report_downloaded",
        actor=membership.user,
        tenant=membership.tenant,
        data={
            "period": semester.label,
            "year": semester.year,
            "semester": semester.half,
            "format": fmt,
            "rows": len(report.rows),
            "number": letter.number if letter else "",
        },
    )
    return content, report


def filename(tenant, semester: Semester, fmt: str) -> str:
    region = tenant.schema_name.replace("_", "-")
    return f"laporan-kerja-sama-{region}-{semester.year}-s{semester.half}.{fmt}"
