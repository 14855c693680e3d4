"""The register's outputs and bulk input on the region's subdomain: the export (CSV, XLSX), the
import of old agreements with its report, the import template, the semester report and the
dashboard. Views shape input and output; the actions in exporting, importing and reporting
decide and record."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.uploads import limit_request_body
from tenants.decorators import workspace_view
from tenants.policy import Perm

from . import dashboard as dashboard_data
from . import exporting, importing, reporting
from .report_letter import LetterDetails, clean_nip

# The import's upload limit: the register's document limit (a 20 MB CSV holds far more than
# importing.MAX_ROWS agreements).
IMPORT_MAX_BYTES_SETTING = "JEJARING_DOCUMENT_MAX_BYTES"


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_view(Perm.EXPORT_AGREEMENTS)
@require_GET
def register_export(request, fmt: str):
    """The list as it is filtered (the same query string) as CSV or XLSX."""
    if fmt not in exporting.FORMATS:
        raise Http404
    content, _rows = exporting.export_register(
        membership=request.membership, filters=exporting.filters_from(request.GET), fmt=fmt
    )
    content_type = exporting.CSV_TYPE if fmt == "csv" else exporting.XLSX_TYPE
    return _download(content, content_type, exporting.filename(request.tenant, fmt))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Only check the file; import nothing"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(getattr(settings, IMPORT_MAX_BYTES_SETTING))
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code=importing.ImportErrorCode.FILE_TOO_LARGE,
            )
        return upload


@limit_request_body(IMPORT_MAX_BYTES_SETTING)
@workspace_view(Perm.IMPORT_AGREEMENTS)
def register_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            upload.seek(0)
            result = importing.import_agreements(
                membership=request.membership,
                content=upload.read(),
                filename=upload.name,
                check_only=form.cleaned_data["check_only"],
            )
            if result.ok and not result.checked_only:
                messages.success(
                    request,
                    _("%(count)s agreements were imported into the register, in preparation.")
                    % {"count": result.imported},
                )
                return redirect("agreements:list")
            status = 200 if result.ok else 400
        else:
            status = 400
    return render(
        request,
        "agreements/reports/import.html",
        {
            "form": form,
            "result": result,
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
        },
        status=status,
    )


@workspace_view(Perm.IMPORT_AGREEMENTS)
@require_GET
def import_template(request, fmt: str):
    if fmt == "csv":
        return _download(
            importing.template_csv(), exporting.CSV_TYPE, "templat-impor-kerja-sama.csv"
        )
    if fmt == "xlsx":
        return _download(
            importing.template_xlsx(), exporting.XLSX_TYPE, "templat-impor-kerja-sama.xlsx"
        )
    raise Http404


class SemesterForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1945, max_value=2100)
    semester = forms.TypedChoiceField(
        label=gettext_lazy("Semester"),
        coerce=int,
        choices=[(1, gettext_lazy("January-June")), (2, gettext_lazy("July-December"))],
    )


class LetterForm(forms.Form):
    """The letter's details the office enters on the report page (report_letter.LetterDetails)."""

    number = forms.CharField(
        label=gettext_lazy("Letter number"),
        max_length=100,
        help_text=gettext_lazy("As the office's register of outgoing letters gives it."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signatory_name = forms.CharField(label=gettext_lazy("Signatory's name"), max_length=150)
    signatory_position = forms.CharField(
        label=gettext_lazy("Signatory's position"),
        max_length=200,
        help_text=gettext_lazy("The head of region (Wali Kota, Bupati, Gubernur) or the Sekda."),
    )
    signatory_nip = forms.CharField(
        label=gettext_lazy("Signatory's NIP"),
        max_length=30,
        required=False,
        help_text=gettext_lazy(
            "18 digits, for a civil servant such as the Sekda; an elected head of region has none."
        ),
    )

    def clean_signatory_nip(self) -> str:
        return clean_nip(self.cleaned_data["signatory_nip"])

    def details(self) -> LetterDetails:
        return LetterDetails(**self.cleaned_data)


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


@workspace_view(Perm.REPORT_AGREEMENTS)
@require_GET
def semester_report(request):
    """Choose the semester; see the recapitulation; enter the letter's details; download."""
    default = reporting.Semester.last_ended(timezone.localdate())
    form = SemesterForm(request.GET or {"year": default.year, "semester": default.half})
    return _semester_page(request, form)


@workspace_view(Perm.REPORT_AGREEMENTS)
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
    return _download(content, content_type, reporting.filename(request.tenant, semester, fmt))


@workspace_view(Perm.VIEW_AGREEMENTS)
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
