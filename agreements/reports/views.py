"""The semester report and the register's dashboard on the region's subdomain. Views shape
input and output; agreements/reports/semester.py and dashboard.py decide and record."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agreements.import_export import exporting
from agreements.import_export.views import download
from agreements.reports import dashboard as dashboard_data
from agreements.reports import semester as reporting
from agreements.reports.forms import LetterForm, SemesterForm
from cooperation.policy import AgreementPerm
from tenants.decorators import workspace_view


def _semester_page(request, form, *, letter_form=None, status=200):
    report = None
    if form.is_valid():
        semester = reporting.Semester(form.cleaned_data["year"], form.cleaned_data["semester"])
        report = reporting.build_report(region_name=request.tenant.name, semester=semester)
    else:
        status = 400
    return render(
        request,
        "agreements/reports/semester.html",
        {
            "form": form,
            "report": report,
            "letter_form": letter_form
            or LetterForm(initial={"date": timezone.localdate(), "place": _place(request)}),
        },
        status=status,
    )


def _place(request) -> str:
    """The letter's usual place: the region's name without its kind (Malang, Jawa Timur)."""
    region = request.tenant.region
    return region.name.removeprefix("Kota ").removeprefix("Kabupaten ")


@workspace_view(AgreementPerm.REPORT_AGREEMENTS)
@require_GET
def semester_report(request):
    """Choose the semester; see the recapitulation; enter the letter's details; download."""
    default = reporting.Semester.last_ended(timezone.localdate())
    form = SemesterForm(request.GET or {"year": default.year, "semester": default.half})
    return _semester_page(request, form)


@workspace_view(AgreementPerm.REPORT_AGREEMENTS)
@require_http_methods(["GET", "POST"])
def semester_report_download(request, year: int, half: int, fmt: str):
    """GET: the report as a draft letter to fill in by hand; POST: with the letter's details
    (number, place and date, signatory), or the report page again saying what is wrong."""
    if fmt not in reporting.FORMATS:
        raise Http404
    try:
        semester = reporting.Semester(year, half)
    except ValueError as exc:
        raise Http404 from exc
    letter = None
    if request.method == "POST":
        letter_form = LetterForm(request.POST)
        if not letter_form.is_valid():
            chosen = SemesterForm({"year": year, "semester": half})
            return _semester_page(request, chosen, letter_form=letter_form, status=400)
        letter = letter_form.details()
    content, _report = reporting.semester_report(
        membership=request.membership, semester=semester, fmt=fmt, letter=letter
    )
    content_type = reporting.PDF_TYPE if fmt == "pdf" else exporting.XLSX_TYPE
    return download(content, content_type, reporting.filename(request.tenant, semester, fmt))


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def register_dashboard(request):
    return render(
        request,
        "agreements/reports/dashboard.html",
        {
            "board": dashboard_data.dashboard(
                today=timezone.localdate(), membership=request.membership
            )
        },
    )
