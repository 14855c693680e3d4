"""Reporting's actions: submitting, correcting, returning, accepting, entering a paper report
and compiling a province's report. The pages (reporting/views.py), the API and the commands
call these and nothing else writes a Submission.

Interface (for the national side, the API and the demo)
-----------------------------------------------------------
    submit_report(membership=, semester=, letter=, supersedes=None, reason="", today=None)
        -> Submission. A kabupaten/kota's office freezes its semester report as it stands
        (level "region", to its province). Called by a province's office it compiles instead
        (compile_province: a province reports its own agreements in its compilation).
    return_submission(membership=, submission=, reason=)      -> Submission (state "returned")
    accept_submission(membership=, submission=)                -> Submission (state "accepted")
        The province's office, for its own kabupaten/kota's current, submitted reports.
    enter_paper_report(membership=, region=, semester=, letter=, figures=, scanned_letter=,
                       supersedes=None, reason="", today=None) -> Submission (source "paper",
        accepted at once): a kabupaten/kota of the province NOT on the platform. `figures` is
        {kind: {status: n}} (cooperation.Kind x agreements.reports.semester.Status).
    compile_province(membership=, semester=, letter=, supersedes=None, reason="", today=None)
        -> Submission (level "province", to the Ministry)

`semester` is agreements.reports.semester.Semester; `letter` agreements.reports.letter.
LetterDetails; `membership` a tenants.Membership (the person in the region they act for).
Each action is top-level (core.actions.top_level: its own durable transaction; `.inner` to
compose several in one), checks the policy (reporting/policy.py), refuses with a stable code
(reporting/errors.py: Forbidden 403, NotFound 404, Conflict 409, ValidationError 400), records
an audit event (reporting/audit_events.py) and sends its e-mail after the commit
(reporting/notifications.py). A correction passes the current submission as `supersedes` with a
`reason`; the one-current-row rule is the database's (reporting_one_current), so two people
submitting at once get one submission and one 409.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agreements.reports import semester as semester_report
from agreements.reports.letter import LetterDetails, letterhead_of
from agreements.reports.semester import PDF_TYPE, REPORT_LANGUAGE, Semester
from core.actions import top_level
from core.errors import Conflict, Forbidden, NotFound, field_error
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Region, RegionKind, Tenant
from tenants.validators import validate_pdf_letter

from . import compilation, deadlines, notifications
from . import figures as figures_mod
from .errors import ReportingError
from .models import FileKind, Level, Source, State, Submission, SubmissionFile
from .policy import (
    can_read_as_province,
    can_review,
    can_review_reports,
    can_submit,
    in_province,
    is_province,
    province_code,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REASON = 2000
# A kabupaten/kota that reports to its province: the autonomous ones (Jakarta's administrative
# cities and kabupaten have no government of their own and report nothing).
REPORTING_KINDS = (RegionKind.KABUPATEN, RegionKind.KOTA)


def _reason(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error("reason", message, ReportingError.REASON_REQUIRED)
    if len(value) > MAX_REASON:
        raise field_error(
            "reason", _("Write at most %(n)s characters.") % {"n": MAX_REASON}, "max_length"
        )
    return value


def _semester_over(semester: Semester, today: datetime.date) -> None:
    if semester.end >= today:
        raise Conflict(
            _("The semester %(period)s is not over yet: its report is submitted after it ends.")
            % {"period": semester.label},
            code=ReportingError.SEMESTER_NOT_OVER,
        )


def _current_for_update(region_id: str, level: str, semester: Semester) -> Submission | None:
    return (
        Submission.objects.select_for_update()
        .filter(region_id=region_id, level=level, year=semester.year, half=semester.half)
        .current()
        .first()
    )


def _replacing(
    current: Submission | None, supersedes: Submission | None, reason: str
) -> tuple[Submission | None, str]:
    """Check a new submission against the current one: a first submission when there is none,
    a correction (with its reason) of exactly the current one otherwise."""
    if supersedes is None:
        if current is not None:
            raise Conflict(
                _(
                    "This semester's report was already submitted. To change it, submit a "
                    "correction with the reason."
                ),
                code=ReportingError.ALREADY_SUBMITTED,
            )
        return None, ""
    if current is None:
        raise Conflict(
            _("There is no submitted report to correct."),
            code=ReportingError.NOTHING_TO_CORRECT,
        )
    if current.pk != supersedes.pk:
        raise Conflict(
            _("This is no longer the current report: open the current one and correct that."),
            code=ReportingError.NOT_CURRENT,
        )
    reason = _reason(reason, _("Say why the report is corrected."))
    current.state = State.SUPERSEDED
    current.save(update_fields=["state"])
    return current, reason


def _letter_fields(letter: LetterDetails) -> dict:
    return {
        "number": letter.number,
        "letter_place": letter.place,
        "letter_date": letter.date,
        "signatory_name": letter.signatory_name,
        "signatory_position": letter.signatory_position,
        "signatory_nip": letter.signatory_nip,
    }


def _create(**fields) -> Submission:
    """Insert the row; a concurrent submission of the same report loses with a 409."""
    try:
        with transaction.atomic():
            return Submission.objects.create(**fields)
    except IntegrityError as exc:
        raise Conflict(
            _("This semester's report was just submitted by someone else: reload the page."),
            code=ReportingError.ALREADY_SUBMITTED,
        ) from exc


def _store(submission: Submission, kind: str, name: str, content_type: str, content: bytes):
    SubmissionFile.objects.create(
        submission=submission,
        kind=kind,
        name=name,
        content_type=content_type,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _file_name(region: Region, semester: Semester, fmt: str, prefix: str = "laporan") -> str:
    slug = region.slug or region.code.replace(".", "-")
    return f"{prefix}-kerja-sama-{slug}-{semester.year}-s{semester.half}.{fmt}"


def _rows(report) -> list[dict]:
    def day(value):
        return value.isoformat() if value else None

    return [
        {
            "number": r.number,
            "title": r.title,
            "kind": r.kind,
            "kind_code": r.kind_code,
            "parties": r.parties,
            "object": r.object,
            "urusan": r.urusan,
            "urusan_codes": list(r.urusan_codes),
            "term_start": day(r.term_start),
            "term_end": day(r.term_end),
            "status": r.status,
            "status_code": r.status_code,
            "progress": r.progress,
        }
        for r in report.rows
    ]


def _freeze_own(tenant: Tenant, semester: Semester, letter: LetterDetails, today):
    """The region's report as it stands, built in its own schema (its register lives there),
    as the report, its rows, its figures and the two files."""
    with tenant_context(tenant), translation.override(REPORT_LANGUAGE):
        report = semester_report.build_report(
            region_name=tenant.name, semester=semester, today=today
        )
        head = letterhead_of(tenant)
        xlsx = semester_report.to_xlsx(report, letter=letter, head=head)
        pdf = semester_report.to_pdf(report, letter=letter, head=head)
    return report, head, xlsx, pdf


def _region_of(membership: Membership) -> Region:
    region = membership.tenant.region
    if region is None:  # the public schema or the template: not a region
        raise Forbidden(_("Only a region reports."), code=ReportingError.NOT_AN_OFFICE)
    return region


def _period(semester: Semester) -> str:
    with translation.override(REPORT_LANGUAGE):
        return str(semester.label)


# --- A region submits -----------------------------------------------------------------------


@top_level
def submit_report(
    *,
    membership: Membership,
    semester: Semester,
    letter: LetterDetails,
    supersedes: Submission | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Submission:
    """Freeze and submit the region's semester report (a kabupaten/kota to its province; a
    province's office compiles instead, compile_province)."""
    if is_province(membership):
        return compile_province.inner(
            membership=membership,
            semester=semester,
            letter=letter,
            supersedes=supersedes,
            reason=reason,
            today=today,
        )
    ensure_writable(membership.tenant)
    if not can_submit(membership):
        raise Forbidden(
            _("Only the region's cooperation office submits its semester report."),
            code=ReportingError.NOT_AN_OFFICE,
        )
    now = timezone.now()
    today = today or timezone.localdate()
    _semester_over(semester, today)
    region = _region_of(membership)
    current = _current_for_update(region.code, Level.REGION, semester)
    old, reason = _replacing(current, supersedes, reason)
    report, _head, xlsx, pdf = _freeze_own(membership.tenant, semester, letter, today)
    due = deadlines.deadline(semester.year, semester.half, Level.REGION)
    submission = _create(
        region=region,
        province_id=province_code(region.code),
        tenant=membership.tenant,
        level=Level.REGION,
        year=semester.year,
        half=semester.half,
        source=Source.PLATFORM,
        state=State.SUBMITTED,
        submitted_by=membership.user,
        submitted_by_email=membership.user.email,
        submitted_at=now,
        deadline=due,
        late=today > due,
        figures=figures_mod.of_report(report),
        agreements=_rows(report),
        supersedes=old,
        correction_reason=reason,
        **_letter_fields(letter),
    )
    _store(submission, FileKind.XLSX, _file_name(region, semester, "xlsx"), XLSX_TYPE, xlsx)
    _store(submission, FileKind.PDF, _file_name(region, semester, "pdf"), PDF_TYPE, pdf)
    audit.record(
        "report.submitted",
        actor=membership.user,
        tenant=membership.tenant,
        obj=submission,
        data={
            "region": region.code,
            "period": _period(semester),
            "year": semester.year,
            "semester": semester.half,
            "number": letter.number,
            "total": submission.total,
            "late": submission.late,
            "supersedes": old.pk if old else None,
            "reason": reason,
        },
    )
    notifications.submitted(submission, actor=membership.user)
    return submission


# --- The province reviews -------------------------------------------------------------------


def _reviewable(membership: Membership, submission: Submission) -> Submission:
    """The submission, locked, if the province's office may decide on it now."""
    ensure_writable(membership.tenant)
    if not can_read_as_province(membership, submission):
        raise NotFound(_("No such report."))
    if not can_review(membership, submission):
        raise Forbidden(
            _("Only the province's cooperation office accepts or returns reports."),
            code=ReportingError.NOT_A_PROVINCE_OFFICE,
        )
    locked = Submission.objects.select_for_update().select_related("region", "province")
    submission = locked.get(pk=submission.pk)
    if submission.state != State.SUBMITTED:
        raise Conflict(
            _("This report is %(state)s: only a submitted report is accepted or returned.")
            % {"state": submission.get_state_display().lower()},
            code=ReportingError.ALREADY_DECIDED,
        )
    return submission


def _decision_data(submission: Submission, **extra) -> dict:
    return {
        "region": submission.region_id,
        "period": _period(submission.semester),
        "year": submission.year,
        "semester": submission.half,
        "number": submission.number,
        "submission": submission.pk,
        **extra,
    }


def _record_decision(action: str, membership: Membership, submission: Submission, **extra):
    """In the province's history, and in the region's (when it is on the platform): each side
    sees who decided what about the report."""
    data = _decision_data(submission, **extra)
    tenants = [membership.tenant]
    if submission.tenant_id is not None and submission.tenant_id != membership.tenant.pk:
        region = Tenant.objects.filter(pk=submission.tenant_id).first()
        if region is not None:
            tenants.append(region)
    for tenant in tenants:
        audit.record(action, actor=membership.user, tenant=tenant, obj=submission, data=data)


@top_level
def return_submission(*, membership: Membership, submission: Submission, reason: str) -> Submission:
    """The province returns a kabupaten/kota's report for correction, saying why; the region's
    office is told and submits a correction."""
    submission = _reviewable(membership, submission)
    reason = _reason(reason, _("Say why the report is returned, so the region can correct it."))
    submission.state = State.RETURNED
    submission.returned_by = membership.user
    submission.returned_at = timezone.now()
    submission.return_reason = reason
    submission.save(update_fields=["state", "returned_by", "returned_at", "return_reason"])
    _record_decision("report.returned", membership, submission, reason=reason)
    notifications.decided(submission, actor=membership.user)
    return submission


@top_level
def accept_submission(*, membership: Membership, submission: Submission) -> Submission:
    """The province accepts a kabupaten/kota's report: it counts in the compilation."""
    submission = _reviewable(membership, submission)
    submission.state = State.ACCEPTED
    submission.accepted_by = membership.user
    submission.accepted_at = timezone.now()
    submission.save(update_fields=["state", "accepted_by", "accepted_at"])
    _record_decision("report.accepted", membership, submission)
    notifications.decided(submission, actor=membership.user)
    return submission


def _province_office(membership: Membership) -> None:
    ensure_writable(membership.tenant)
    if not can_review_reports(membership):
        raise Forbidden(
            _("Only a province's cooperation office does this."),
            code=ReportingError.NOT_A_PROVINCE_OFFICE,
        )


def clean_paper_figures(raw: dict) -> dict:
    """{kind: {status: n}} with every n a whole number from 0 (ValidationError otherwise)."""
    by_kind_status: dict[str, dict[str, int]] = {}
    for kind, statuses in (raw or {}).items():
        if kind not in figures_mod.KINDS or not isinstance(statuses, dict):
            raise field_error("figures", _("Unknown kind of cooperation."), "figures_invalid")
        for status, n in statuses.items():
            if status not in figures_mod.STATUS_CODES:
                raise field_error("figures", _("Unknown status."), ReportingError.FIGURES_INVALID)
            if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > 100_000:
                raise field_error(
                    "figures",
                    _("Each figure is a whole number from 0."),
                    ReportingError.FIGURES_INVALID,
                )
            by_kind_status.setdefault(kind, {})[status] = n
    return figures_mod.from_counts(by_kind_status)


@top_level
def enter_paper_report(
    *,
    membership: Membership,
    region: Region,
    semester: Semester,
    letter: LetterDetails,
    figures: dict,
    scanned_letter,
    supersedes: Submission | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Submission:
    """The province enters the paper report of one of its kabupaten/kota that is not on the
    platform: the figures by kind and status and the scanned letter (a PDF). It counts as
    accepted (the province entered it itself) and shows as "paper" wherever it is added up."""
    _province_office(membership)
    province = _region_of(membership)
    if not in_province(province, region) or region.kind not in REPORTING_KINDS:
        raise NotFound(_("No such kabupaten/kota in the province."))
    if Tenant.objects.live().filter(region=region).exists():
        raise Conflict(
            _("%(region)s is on the platform: it submits its report itself.")
            % {"region": region.full_name},
            code=ReportingError.ON_THE_PLATFORM,
        )
    today = today or timezone.localdate()
    _semester_over(semester, today)
    clean = clean_paper_figures(figures)
    if scanned_letter is None:
        raise field_error(
            "scanned_letter",
            _("Attach the scanned letter (PDF)."),
            ReportingError.SCAN_REQUIRED,
        )
    validate_pdf_letter(scanned_letter)
    scanned_letter.seek(0)
    scan = scanned_letter.read()
    current = _current_for_update(region.code, Level.REGION, semester)
    old, reason = _replacing(current, supersedes, reason)
    now = timezone.now()
    due = deadlines.deadline(semester.year, semester.half, Level.REGION)
    submission = _create(
        region=region,
        province=province,
        tenant=None,
        level=Level.REGION,
        year=semester.year,
        half=semester.half,
        source=Source.PAPER,
        state=State.ACCEPTED,
        submitted_by=membership.user,
        submitted_by_email=membership.user.email,
        submitted_at=now,
        deadline=due,
        late=letter.date > due,
        figures=clean,
        agreements=[],
        supersedes=old,
        correction_reason=reason,
        accepted_by=membership.user,
        accepted_at=now,
        **_letter_fields(letter),
    )
    _store(
        submission,
        FileKind.SCAN,
        _file_name(region, semester, "pdf", prefix="surat"),
        PDF_TYPE,
        scan,
    )
    audit.record(
        "report.paper_entered",
        actor=membership.user,
        tenant=membership.tenant,
        obj=submission,
        data={
            "region": region.code,
            "period": _period(semester),
            "year": semester.year,
            "semester": semester.half,
            "number": letter.number,
            "total": clean["total"],
            "supersedes": old.pk if old else None,
            "reason": reason,
        },
    )
    return submission


# --- The province compiles ------------------------------------------------------------------


def province_regions(province: Region):
    """Every kabupaten/kota of the province that reports (the registry's, on the platform or
    not), by code."""
    return Region.objects.filter(
        code__startswith=f"{province.code}.", kind__in=REPORTING_KINDS
    ).order_by("code")


def build_compilation(
    *,
    province: Region,
    semester: Semester,
    own_figures: dict,
    own_rows: list[dict],
    today: datetime.date,
) -> tuple[compilation.Compilation, list[Submission]]:
    """The compilation from the province's own frozen figures and its regions' CURRENT
    submissions (two queries): accepted ones are added up, the others named."""
    regions = list(province_regions(province))
    current = {
        s.region_id: s
        for s in Submission.objects.filter(
            level=Level.REGION, province=province, year=semester.year, half=semester.half
        )
        .current()
        .defer("agreements")
    }
    on_platform = set(
        Tenant.objects.live().filter(region__in=regions).values_list("region_id", flat=True)
    )
    by_region = {
        province.code: {
            "name": province.full_name,
            "source": "own",
            "submission": None,
            **figures_mod.core(own_figures),
        }
    }
    included: list[Submission] = []
    not_included: list[dict] = []
    for region in regions:
        s = current.get(region.code)
        if s is not None and s.state == State.ACCEPTED:
            included.append(s)
            by_region[region.code] = {
                "name": region.full_name,
                "source": s.source,
                "submission": s.pk,
                **figures_mod.core(s.figures),
            }
        else:
            not_included.append(
                {
                    "code": region.code,
                    "name": region.full_name,
                    "on_platform": region.code in on_platform,
                    "state": "missing" if s is None else s.state,
                }
            )
    total = figures_mod.add(by_region.values())
    total["by_region"] = by_region
    total["not_included"] = not_included
    names = {code: line["name"] for code, line in by_region.items()}
    rows = [{**r, "region": province.code, "region_name": province.full_name} for r in own_rows]
    if included:
        with_rows = Submission.objects.filter(pk__in=[s.pk for s in included]).values_list(
            "region_id", "agreements"
        )
        for code, agreements in sorted(with_rows):
            rows.extend({**r, "region": code, "region_name": names[code]} for r in agreements)
    status_codes = figures_mod.STATUS_CODES
    letters = {s.region_id: s.number for s in included}
    lines = tuple(
        compilation.RegionLine(
            code=code,
            name=line["name"],
            source=line["source"],
            total=line["total"],
            counts=tuple(line["by_status"][st] for st in status_codes),
            letter=letters.get(code, ""),
        )
        for code, line in by_region.items()
    )
    result = compilation.Compilation(
        province=province.full_name,
        semester=semester,
        generated_on=today,
        figures=total,
        regions=lines,
        not_included=tuple(not_included),
        rows=tuple(rows),
    )
    return result, included


@top_level
def compile_province(
    *,
    membership: Membership,
    semester: Semester,
    letter: LetterDetails,
    supersedes: Submission | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Submission:
    """The province's report to the Ministry in one step: its own agreements, frozen now, and
    its kabupaten/kota's accepted reports, as one XLSX and one PDF letter; the kabupaten/kota
    not included are named with the reason (missing, awaiting review, returned)."""
    _province_office(membership)
    now = timezone.now()
    today = today or timezone.localdate()
    _semester_over(semester, today)
    province = _region_of(membership)
    current = _current_for_update(province.code, Level.PROVINCE, semester)
    old, reason = _replacing(current, supersedes, reason)
    with tenant_context(membership.tenant), translation.override(REPORT_LANGUAGE):
        own = semester_report.build_report(
            region_name=membership.tenant.name, semester=semester, today=today
        )
        head = letterhead_of(membership.tenant)
    own_figures = figures_mod.of_report(own)
    with translation.override(REPORT_LANGUAGE):
        result, included = build_compilation(
            province=province,
            semester=semester,
            own_figures=own_figures,
            own_rows=_rows(own),
            today=today,
        )
        xlsx = compilation.to_xlsx(result, letter=letter, head=head)
        pdf = compilation.to_pdf(result, letter=letter, head=head)
    due = deadlines.deadline(semester.year, semester.half, Level.PROVINCE)
    submission = _create(
        region=province,
        province=province,
        tenant=membership.tenant,
        level=Level.PROVINCE,
        year=semester.year,
        half=semester.half,
        source=Source.PLATFORM,
        state=State.SUBMITTED,
        submitted_by=membership.user,
        submitted_by_email=membership.user.email,
        submitted_at=now,
        deadline=due,
        late=today > due,
        figures=result.figures,
        agreements=[{k: v for k, v in r.items() if k != "region_name"} for r in result.rows],
        missing=[item["code"] for item in result.not_included],
        supersedes=old,
        correction_reason=reason,
        **_letter_fields(letter),
    )
    submission.includes.set(included)
    name = _file_name(province, semester, "xlsx", prefix="rekapitulasi")
    _store(submission, FileKind.XLSX, name, XLSX_TYPE, xlsx)
    name = _file_name(province, semester, "pdf", prefix="rekapitulasi")
    _store(submission, FileKind.PDF, name, PDF_TYPE, pdf)
    audit.record(
        "report.compiled",
        actor=membership.user,
        tenant=membership.tenant,
        obj=submission,
        data={
            "region": province.code,
            "period": _period(semester),
            "year": semester.year,
            "semester": semester.half,
            "number": letter.number,
            "total": submission.total,
            "included": len(included),
            "missing": len(result.not_included),
            "supersedes": old.pk if old else None,
            "reason": reason,
        },
    )
    notifications.compiled(submission, actor=membership.user)
    return submission
