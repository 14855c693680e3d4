"""The marketplace's bulk downloads (/pasar/unduh/<fmt>/ on the platform): every listing the
public search shows and nothing else, with the public fields in a stable order, the search's
filters, streamed in queries that do not grow with the rows (but for one per 2,000 rows: the
photos of each chunk read); absent from a region's subdomain."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.download_views import EXPORT_FIELDS
from marketplace.models import Listing, ListingStatus
from tenants import region_lifecycle
from tenants.models import Role

pytestmark = pytest.mark.django_db


def url(fmt: str) -> str:
    return reverse("marketplace:download", args=[fmt], urlconf="portal.urls_public")


def body(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def as_json(client, fmt="json", **params) -> list[dict]:
    return json.loads(body(client.get(url(fmt), params)))


def titles(client, **params) -> set[str]:
    return {row["title"] for row in as_json(client, **params)}


def test_the_csv_holds_a_public_listing_with_the_public_fields_in_order(
    malang, make_listing, client_for
):
    listing = make_listing(malang, title="Tempe Sanan", contact_email="umkm@malangkota.go.id")
    response = client_for(None).get(url("csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="pasar-{day}.csv"'
    rows = list(csv.reader(io.StringIO(body(response).removeprefix("\ufeff"))))
    # The columns, pinned: a field added to the listing is published only after a look here.
    assert ",".join(rows[0]) == (
        "id,url,kind,potential_type,title,description,sector,urusan,area,quantity,unit,"
        "price_min,price_max,contact_name,contact_phone,contact_email,valid_from,valid_until,"
        "language,area_name,province,region,region_name,published_at,photos"
    )
    assert rows[0] == list(EXPORT_FIELDS)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == str(listing.pk)
    assert row["url"] == f"http://localhost/pasar/{listing.pk}/"
    assert row["region"] == "35.73" and row["province"] == "35"
    assert row["region_name"] == "Kota Malang"
    assert row["area"] == "35.73.01.1007"
    assert row["price_min"] == "12000" and row["quantity"] == "2000"
    # The listing's public page shows its contact, so the file does too; nothing internal.
    assert row["contact_email"] == "umkm@malangkota.go.id"
    assert "created_by" not in row and "status" not in row and "return_reason" not in row


def test_the_json_holds_the_same_rows_and_photo_links(malang, make_listing, client_for):
    listing = make_listing(malang)
    response = client_for(None).get(url("json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    [row] = json.loads(body(response))
    assert list(row) == list(EXPORT_FIELDS)
    assert row["id"] == listing.pk
    assert row["photos"] == []
    assert row["valid_until"] == listing.valid_until.isoformat()


def test_only_what_the_search_shows_is_downloaded(
    malang, batu, staff_user, make_listing, client_for
):
    make_listing(malang, title="Tempe Sanan")
    for status in (
        ListingStatus.DRAFT,
        ListingStatus.SUBMITTED,
        ListingStatus.RETURNED,
        ListingStatus.ARCHIVED,
    ):
        make_listing(malang, status, title=f"Tempe {status}")
    expired = make_listing(malang, title="Tempe kedaluwarsa")
    Listing.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    future = make_listing(malang, title="Tempe belum berlaku")
    Listing.objects.filter(pk=future.pk).update(valid_from=timezone.localdate() + timedelta(days=3))
    make_listing(batu, title="Apel Kota Batu")
    region_lifecycle.suspend_tenant(tenant=batu, acting_user=staff_user, reason="Audit BPK")
    client = client_for(None)
    assert titles(client) == {"Tempe Sanan"}
    assert "Tempe draft" not in body(client.get(url("csv")))


def test_the_search_filters_apply(malang, batu, make_listing, client_for):
    make_listing(malang, title="Tempe Sanan")
    make_listing(
        batu,
        title="Wisata apel",
        kind="potential",
        potential_type="tourism",
        sector="I",
        urusan="3.26",
    )
    client = client_for(None)
    assert titles(client) == {"Tempe Sanan", "Wisata apel"}
    assert titles(client, region="35.79") == {"Wisata apel"}
    assert titles(client, province="35") == {"Tempe Sanan", "Wisata apel"}
    assert titles(client, province="51") == set()
    assert titles(client, kind=["product", "need"]) == {"Tempe Sanan"}
    assert titles(client, sector="I") == {"Wisata apel"}
    assert titles(client, region_kind="kota", urusan="3.31") == {"Tempe Sanan"}
    assert titles(client, region_kind="kabupaten") == set()
    # The words, sort and page of a search do not narrow the file; garbage matches nothing.
    assert titles(client, q="apel", page="3") == {"Tempe Sanan", "Wisata apel"}
    assert titles(client, region="x" * 500, kind="<script>") == set()
    assert client.get(url("csv"), {"kind": "\x00"}).status_code == 400  # refused, not an error


def test_a_bad_format_is_not_found(client_for):
    assert client_for(None).get("/pasar/unduh/xls/").status_code == 404


def test_the_route_is_the_platform_s_alone_and_the_same_for_everyone(
    malang, batu, member, make_listing, client_for
):
    make_listing(malang, title="Tempe Sanan")
    anonymous = as_json(client_for(None))
    # A member of another region, in any role, downloads the same file.
    assert as_json(client_for(None, member(batu, Role.VIEWER))) == anonymous
    assert as_json(client_for(None, member(malang, Role.OPD))) == anonymous
    # On a region's subdomain there is no such page.
    assert (
        client_for(malang, member(malang, Role.VIEWER)).get("/pasar/unduh/csv/").status_code == 404
    )


def test_the_queries_do_not_grow_with_the_rows(malang, batu, make_listing, client_for):
    client = client_for(None)

    def queries(fmt: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            body(client.get(url(fmt)))
        return len(captured)

    make_listing(malang)
    few = queries("csv"), queries("json")
    for n in range(4):
        make_listing(malang if n % 2 else batu, title=f"Tempe {n}")
    assert (queries("csv"), queries("json")) == few
    assert len(as_json(client)) == 5
