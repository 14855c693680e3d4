"""Cells of the CSV and XLSX files the platform writes, so that no text in them is ever run as a
formula by the spreadsheet that opens the file (CSV injection: a listing titled
`=HYPERLINK("http://…")` would otherwise become a link, or worse, in whoever opens a download).

Every CSV and XLSX the platform writes goes through here: the public downloads
(core/downloads.py), the register's export and the import templates
(agreements/import_export/exporting.py, agreements/import_export/importing.py) and the semester
report (agreements/reports/semester.py).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and carriage
# return, trims them and then may).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def no_control_characters(value: str) -> None:
    """A validator for the texts that end up in an XLSX, which cannot hold control characters
    (tab and line breaks aside): refused with a clear message when typed, never a failure while
    the file is written (a BEL in a letter's place was a 500, found by the API's fuzzing)."""
    if ILLEGAL_CHARACTERS_RE.search(value or ""):
        raise ValidationError(
            gettext_lazy("Remove the control characters from this text."),
            code="invalid_character",
        )


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_value(value) -> str | int | float | Decimal:
    """One CSV cell: None empty, dates in ISO form, lists joined with ";", numbers as numbers,
    and a text that a spreadsheet would run as a formula behind an apostrophe (spreadsheets show
    such a text as written, without the apostrophe)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        text = ";".join(str(item) for item in value)
    else:
        text = str(value)
    return f"'{text}" if is_formula_like(text) else text


def never_formula(cell):
    """Make an XLSX cell hold its text as text (a formula-like text stays a string cell, shown
    as written), and a date as a date. Returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    elif isinstance(cell.value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def append_row(sheet, values, *, font=None) -> None:
    """Append one row of never-formula cells (each with `font`, when given) to a normal
    worksheet, in constant time per row. Styling the row after appending it, through
    `sheet[sheet.max_row]`, recomputes the sheet's extent on every call: quadratic, 14 minutes
    for a province's compilation of 19,000 rows (bench/reporting.py)."""
    cells = []
    for value in values:
        cell = never_formula(Cell(sheet, value=value))
        if font is not None:
            cell.font = font
        cells.append(cell)
    sheet.append(cells)


def xlsx_cell(sheet, value) -> WriteOnlyCell:
    """A cell of a write-only sheet that is never a formula, whatever its text starts with."""
    return never_formula(WriteOnlyCell(sheet, value=value))
