"""Reporting's pages on a region's subdomain. The region's office submits and corrects its
reports and follows their states; a province's office (on the province's subdomain) reviews its
kabupaten/kota's reports, enters paper ones and compiles. Views shape input and output; the
actions decide (reporting/actions.py), the policy says who reads what (reporting/policy.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.reports.semester import STATUSES, Semester
from cooperation.models import Kind
from core.errors import DomainError, status_for
from core.files import download_name
from core.form_actions import run, submit
from tenants.decorators import workspace_view
from tenants.models import Region, Tenant

from . import actions, selectors
from .forms import CorrectionForm, LetterForm, PaperReportForm, ReturnForm, SemesterForm
from .models import FileKind, Level, State, Submission
from .policy import ReportingPerm, can_review, can_submit, in_province, is_province


def _semester(year: int, half: int) -> Semester:
    try:
        return Semester(year, half)
    except ValueError as exc:
        raise Http404 from exc


def _file_response(submission, kind: str) -> HttpResponse:
    if kind not in FileKind.values:
        raise Http404
    stored = submission.file(kind)
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download_name(stored.name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def figure_rows(figures: dict) -> list[tuple[str, list[int], int]]:
    """The figures by kind and status as labelled rows (the pages' tables)."""
    labels = dict(Kind.choices)
    by_kind_status = figures.get("by_kind_status", {})
    return [
        (
            str(labels.get(kind, kind)),
            [int(by_kind_status.get(kind, {}).get(code, 0)) for code, _l in STATUSES],
            int(figures.get("by_kind", {}).get(kind, 0)),
        )
        for kind in Kind.values
    ]


# A report's page lists at most this many of its rows (a province's compilation can hold tens
# of thousands; its XLSX has them all).
PAGE_ROWS = 200


def _page(found, **extra) -> dict:
    return {
        "s": found,
        "rows": found.agreements[:PAGE_ROWS],
        "more_rows": max(0, len(found.agreements) - PAGE_ROWS),
        "files": selectors.files_of(found),
        "figure_rows": figure_rows(found.figures),
        "status_labels": [str(label) for _c, label in STATUSES],
        **extra,
    }


def _level(request) -> str:
    return Level.PROVINCE if is_province(request.membership) else Level.REGION


# --- The region's own reports ---------------------------------------------------------------


@workspace_view(ReportingPerm.VIEW_SUBMISSIONS)
@require_GET
def submissions(request):
    """Each semester's report and where it stands: draft, submitted (when, by whom), returned
    (by whom, why), accepted; the corrections before it."""
    today = timezone.localdate()
    return render(
        request,
        "reporting/submissions.html",
        {
            "lines": selectors.region_reports(request.tenant.region, _level(request), today),
            "may_submit": can_submit(request.membership),
            "is_province": is_province(request.membership),
        },
    )


@workspace_view(ReportingPerm.VIEW_SUBMISSIONS)
@require_GET
def submission(request, pk: int):
    found = selectors.own_submission(request.membership, pk)
    if found is None:
        raise Http404
    may_correct = can_submit(request.membership) and found.is_current
    return render(
        request,
        "reporting/submission.html",
        {
            "s": found,
            "files": selectors.files_of(found),
            "form": CorrectionForm(initial={"date": timezone.localdate()}) if may_correct else None,
            "as_province": False,
        },
    )


@workspace_view(ReportingPerm.VIEW_SUBMISSIONS)
@require_GET
def submission_file(request, pk: int, kind: str):
    found = selectors.own_submission(request.membership, pk)
    if found is None:
        raise Http404
    return _file_response(found, kind)


@workspace_view(ReportingPerm.SUBMIT_REPORTS)
@require_POST
def submit_report(request, year: int, half: int):
    """From the semester report page: the letter's details, then the report is frozen and
    submitted (a province's: compiled with its regions' reports)."""
    semester = _semester(year, half)
    form = LetterForm(request.POST)
    done = run(
        form,
        lambda data: actions.submit_report(
            membership=request.membership, semester=semester, letter=form.details()
        ),
    )
    if done.done:
        messages.success(request, _("The report was submitted."))
        return redirect("reporting:submission", done.result.pk)
    # The report page again, with what was wrong on the letter's form.
    from agreements.reports.views import _semester_page

    chosen = SemesterForm({"year": year, "semester": half})
    return _semester_page(request, chosen, letter_form=form, status=done.status)


@workspace_view(ReportingPerm.SUBMIT_REPORTS)
@require_POST
def correct(request, pk: int):
    """A correction: the report as it stands now, superseding the current one, with why."""
    found = selectors.own_submission(request.membership, pk)
    if found is None:
        raise Http404
    form = CorrectionForm(request.POST)
    done = run(
        form,
        lambda data: actions.submit_report(
            membership=request.membership,
            semester=found.semester,
            letter=form.details(),
            supersedes=found,
            reason=data["reason"],
        ),
    )
    if done.done:
        messages.success(request, _("The correction was submitted."))
        return redirect("reporting:submission", done.result.pk)
    return render(
        request,
        "reporting/submission.html",
        _page(found, form=form, as_province=False),
        status=done.status,
    )


# --- The province ---------------------------------------------------------------------------


def _province_view(request) -> Region:
    """The province's pages exist on a province's subdomain only."""
    if not is_province(request.membership):
        raise Http404
    return request.tenant.region


@workspace_view(ReportingPerm.VIEW_SUBMISSIONS)
@require_GET
def province(request):
    """Per semester, every kabupaten/kota of the province (the registry's), on the platform or
    not, and where its report stands."""
    region = _province_view(request)
    default = Semester.last_ended(timezone.localdate())
    form = SemesterForm(request.GET or {"year": default.year, "semester": default.half})
    return _overview(request, region, form)


def _own_current(region: Region, semester: Semester):
    return (
        Submission.objects.filter(
            region=region, level=Level.PROVINCE, year=semester.year, half=semester.half
        )
        .current()
        .first()
    )


def _overview(request, region: Region, form, *, compile_form=None, status=200):
    today = timezone.localdate()
    lines = semester = own = None
    if form.is_valid():
        semester = Semester(form.cleaned_data["year"], form.cleaned_data["semester"])
        lines = selectors.province_overview(request.membership, region, semester, today)
        own = _own_current(region, semester)
    else:
        status = 400
    if compile_form is None:
        initial = {"date": today, "place": _place(region)}
        compile_form = CorrectionForm(initial=initial) if own else LetterForm(initial=initial)
    return render(
        request,
        "reporting/province.html",
        {
            "form": form,
            "semester": semester,
            "lines": lines,
            "own": own,
            "counts": _counts(lines or []),
            "compile_form": compile_form,
            "over": semester is not None and semester.end < today,
        },
        status=status,
    )


def _place(region: Region) -> str:
    return region.name.removeprefix("Kota ").removeprefix("Kabupaten ")


def _counts(lines) -> dict:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.standing] = counts.get(line.standing, 0) + 1
    return counts


def _province_submission(request, pk: int):
    _province_view(request)
    found = selectors.province_submission(request.membership, pk)
    if found is None:
        raise Http404
    return found


def _province_page(request, found, *, return_form=None, status=200):
    return render(
        request,
        "reporting/submission.html",
        {
            "s": found,
            "files": selectors.files_of(found),
            "as_province": True,
            "may_review": can_review(request.membership, found) and found.state == State.SUBMITTED,
            "return_form": return_form or ReturnForm(),
        },
        status=status,
    )


@workspace_view(ReportingPerm.VIEW_SUBMISSIONS)
@require_GET
def province_submission(request, pk: int):
    return _province_page(request, _province_submission(request, pk))


@workspace_view(ReportingPerm.VIEW_SUBMISSIONS)
@require_GET
def province_file(request, pk: int, kind: str):
    return _file_response(_province_submission(request, pk), kind)


@workspace_view(ReportingPerm.REVIEW_REPORTS)
@require_POST
def province_accept(request, pk: int):
    found = _province_submission(request, pk)
    try:
        actions.accept_submission(membership=request.membership, submission=found)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _province_page(request, found, status=status_for(exc))
    messages.success(request, _("The report was accepted; the region's office is told."))
    return redirect(_overview_url(found.year, found.half))


@workspace_view(ReportingPerm.REVIEW_REPORTS)
@require_POST
def province_return(request, pk: int):
    found = _province_submission(request, pk)
    form = ReturnForm(request.POST)
    done = run(
        form,
        lambda data: actions.return_submission(
            membership=request.membership, submission=found, reason=data["reason"]
        ),
    )
    if done.done:
        messages.success(request, _("The report was returned; the region's office is told why."))
        return redirect(_overview_url(found.year, found.half))
    return _province_page(request, found, return_form=form, status=done.status)


def _overview_url(year: int, half: int) -> str:
    return f"{reverse('reporting:province')}?year={year}&semester={half}"


@workspace_view(ReportingPerm.REVIEW_REPORTS)
@require_http_methods(["GET", "POST"])
def province_paper(request, code: str, year: int, half: int):
    """Enter a kabupaten/kota's paper report (one not on the platform); a correction of the
    one entered before, with the reason."""
    province_region = _province_view(request)
    semester = _semester(year, half)
    region = Region.objects.filter(code=code).first()
    if region is None or not in_province(province_region, region):
        raise Http404
    if Tenant.objects.live().filter(region=region).exists():
        messages.error(
            request,
            _("%(region)s is on the platform: it submits its report itself.")
            % {"region": region.full_name},
        )
        return render(
            request, "reporting/paper.html", {"region": region, "semester": semester}, status=409
        )
    current = (
        Submission.objects.filter(region=region, level=Level.REGION, year=year, half=half)
        .current()
        .first()
    )
    form = PaperReportForm(
        request.POST or None,
        request.FILES or None,
        correcting=current is not None,
        initial={"date": timezone.localdate(), "place": _place(region)},
    )
    done = submit(
        request,
        form,
        lambda data: actions.enter_paper_report(
            membership=request.membership,
            region=region,
            semester=semester,
            letter=form.details(),
            figures=form.figures(),
            scanned_letter=data["scanned_letter"],
            supersedes=current,
            reason=data.get("reason", ""),
        ),
    )
    if done.done:
        messages.success(request, _("The paper report was entered."))
        return redirect(_overview_url(year, half))
    return render(
        request,
        "reporting/paper.html",
        {
            "form": form,
            "region": region,
            "semester": semester,
            "current": current,
            "statuses": [str(label) for _c, label in STATUSES],
        },
        status=done.status,
    )


@workspace_view(ReportingPerm.REVIEW_REPORTS)
@require_POST
def province_compile(request, year: int, half: int):
    """Compile the province's report (its own agreements and its regions' accepted reports)
    and submit it to the Ministry; a correction when one was submitted (with the reason)."""
    province_region = _province_view(request)
    semester = _semester(year, half)
    current = _own_current(province_region, semester)
    form = CorrectionForm(request.POST) if current is not None else LetterForm(request.POST)
    done = run(
        form,
        lambda data: actions.compile_province(
            membership=request.membership,
            semester=semester,
            letter=form.details(),
            supersedes=current,
            reason=data.get("reason", ""),
        ),
    )
    if done.done:
        messages.success(request, _("The province's report was compiled and submitted."))
        return redirect("reporting:submission", done.result.pk)
    chosen = SemesterForm({"year": year, "semester": half})
    return _overview(request, province_region, chosen, compile_form=form, status=done.status)
