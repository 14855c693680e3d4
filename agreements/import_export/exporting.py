"""The register as a spreadsheet (CSV or XLSX): exactly the rows the person's list shows for the
same filters (their dossiers, their area: agreements.policy.readable_agreements), in the same
order, with the shared columns only (nothing of the region's internal chain) and the stages as
the region labels them. Built from `selectors.register`, so the export costs the list's queries
however many rows there are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.register import selectors, stages
from agreements.register.forms import RegisterFilterForm
from cooperation import urusan as urusan_codes
from cooperation.policy import AgreementPerm
from core.errors import Forbidden
from core.spreadsheets import csv_value, xlsx_cell
from tenants import audit
from tenants.models import Membership
from tenants.policy import has_perm

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filters_from(query) -> selectors.RegisterFilters:
    """The register's filters from a query string, read by the list's own form: a filter the
    form refuses is ignored, exactly as the list ignores it."""
    return RegisterFilterForm(query or None).filters()


def columns() -> list[str]:
    return [
        _("No."),
        _("Title"),
        _("Kind"),
        _("Parties"),
        _("Parties' document numbers"),
        _("Urusan"),
        _("Object"),
        _("Stage"),
        _("Term start"),
        _("Term end"),
        _("Date of signing"),
        _("Place of signing"),
    ]


def rows(agreements: Iterable) -> Iterator[list]:
    """One list of values per agreement (dates as dates; the writers format them), the stage
    as the region labels it."""
    labels = stages.labels()
    for number, agreement in enumerate(agreements, start=1):
        c = agreement.cooperation
        parties = list(c.parties.all())
        yield [
            number,
            c.title,
            c.get_kind_display(),
            "; ".join(p.name for p in parties),
            "; ".join(f"{p.name}: {p.document_number}" for p in parties if p.document_number),
            "; ".join(urusan_codes.label(code) for code in c.urusan),
            c.object,
            labels.get(c.stage, c.stage),
            c.term_start,
            c.term_end,
            c.signed_on,
            c.signing_place,
        ]


def write_csv(header: list[str], data: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the region names' letters right; no
    cell is ever run as a formula (core.spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in data:
        writer.writerow([csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def add_sheet(workbook: Workbook, title: str, header: list[str], data: Iterable[list]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = xlsx_cell(sheet, name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in data:
        sheet.append([xlsx_cell(sheet, v) for v in row])


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(header: list[str], data: Iterable[list], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    add_sheet(workbook, title, header, data)
    return workbook_bytes(workbook)


def export_register(
    *, membership: Membership, filters: selectors.RegisterFilters, fmt: str
) -> tuple[bytes, int]:
    """The filtered register as a file (`fmt`: csv or xlsx) and its number of rows. Recorded in
    the region's history: a copy of the register left the platform."""
    if not has_perm(
        membership.user, membership.tenant, AgreementPerm.EXPORT_AGREEMENTS, membership
    ):
        raise Forbidden(_("Your role does not export the register."))
    if fmt not in FORMATS:
        raise ValueError(fmt)
    agreements: QuerySet = selectors.register(filters=filters, membership=membership)
    data = list(rows(agreements))
    if fmt == "csv":
        content = write_csv(columns(), data)
    else:
        content = write_xlsx(columns(), data, title=_("Agreements"))
    audit.record(
        "agreement.register_exported",
        actor=membership.user,
        tenant=membership.tenant,
        data={
            "format": fmt,
            "rows": len(data),
            "filters": {k: v for k, v in asdict(filters).items() if v not in ("", None, False)},
        },
    )
    return content, len(data)


def filename(tenant, fmt: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"kerja-sama-{tenant.schema_name.replace('_', '-')}-{stamp}.{fmt}"
