"""No cell of a CSV or XLSX the platform writes is run as a formula (core/spreadsheets.py), and
every module that writes one uses that module."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.spreadsheets import csv_value, xlsx_cell

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://jahat.test","klik")',
        "+62 341 123",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_formula_like_text_gets_an_apostrophe_in_csv_and_stays_a_string_in_xlsx(text):
    assert csv_value(text) == "'" + text
    assert csv_value([text, "kedua"]) == "'" + text + ";kedua"
    sheet = Workbook(write_only=True).create_sheet()
    cell = xlsx_cell(sheet, text)
    assert (cell.value, cell.data_type) == (text, "s")


def test_other_values_are_written_as_they_are():
    assert csv_value("Tempe Sanan") == "Tempe Sanan"
    assert csv_value(None) == ""
    assert csv_value(-7.98) == -7.98  # a number is no formula, negative or not
    assert csv_value(Decimal("12000")) == Decimal("12000")
    assert csv_value(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert csv_value(["1.03", "3.26"]) == "1.03;3.26"
    assert csv_value("a=b") == "a=b"


# Files that write CSV or XLSX but are no download: a maintainer's data file of coordinates.
NOT_DOWNLOADS = {"search/geo.py"}
WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(")


def test_every_module_that_writes_a_spreadsheet_uses_the_one_rule():
    writers = []
    tops = [p for p in ROOT.iterdir() if p.is_dir() and p.name[0] not in "._"]
    for path in (p for top in tops if top.name != "node_modules" for p in top.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}":
            continue
        if relative in NOT_DOWNLOADS or relative == "core/spreadsheets.py":
            continue
        source = path.read_text(encoding="utf-8")
        if WRITERS.search(source):
            writers.append(relative)
            assert re.search(r"from (core\.spreadsheets|\.spreadsheets) import", source), relative
    assert {
        "core/downloads.py",
        "agreements/import_export/exporting.py",
        "agreements/reports/semester.py",
    } <= set(writers)


def test_append_row_writes_never_formula_cells_in_order():
    from openpyxl.styles import Font

    from core.spreadsheets import append_row

    sheet = Workbook().active
    append_row(sheet, ["Judul", "=1+1"], font=Font(bold=True))
    append_row(sheet, [3, datetime.date(2026, 1, 2)])
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Judul", "=1+1"],
        [3, datetime.date(2026, 1, 2)],
    ]
    assert sheet["B1"].data_type == "s" and sheet["A1"].font.bold
    assert sheet["B2"].number_format == "yyyy-mm-dd" and not sheet["A2"].font.bold
