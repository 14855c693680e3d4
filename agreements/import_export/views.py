"""The register's export (CSV, XLSX), the import of old agreements with its report, and the
import template, on the region's subdomain. Views shape input and output; exporting.py and
importing.py decide and record."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agreements.import_export import exporting, importing
from agreements.import_export.forms import IMPORT_MAX_BYTES_SETTING, ImportForm
from cooperation.policy import AgreementPerm
from core.uploads import limit_request_body
from tenants.decorators import workspace_view


def download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_view(AgreementPerm.EXPORT_AGREEMENTS)
@require_GET
def register_export(request, fmt: str):
    """The list as it is filtered (the same query string) as CSV or XLSX."""
    if fmt not in exporting.FORMATS:
        raise Http404
    content, _rows = exporting.export_register(
        membership=request.membership, filters=exporting.filters_from(request.GET), fmt=fmt
    )
    content_type = exporting.CSV_TYPE if fmt == "csv" else exporting.XLSX_TYPE
    return download(content, content_type, exporting.filename(request.tenant, fmt))


@limit_request_body(IMPORT_MAX_BYTES_SETTING)
@workspace_view(AgreementPerm.IMPORT_AGREEMENTS)
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


@workspace_view(AgreementPerm.IMPORT_AGREEMENTS)
@require_GET
def import_template(request, fmt: str):
    if fmt == "csv":
        return download(
            importing.template_csv(), exporting.CSV_TYPE, "templat-impor-kerja-sama.csv"
        )
    if fmt == "xlsx":
        return download(
            importing.template_xlsx(), exporting.XLSX_TYPE, "templat-impor-kerja-sama.xlsx"
        )
    raise Http404
