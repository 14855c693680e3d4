"""Harvesting the CKAN subset as a CKAN client does, the data dictionary against the real
files, what must never appear (withheld parts, hidden regions) per channel, and the catalogue's
queries constant in the number of regions and agreements."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from opendata import building, dictionary
from opendata.models import BuiltFile
from tenants.models import TenantStatus

from .conftest import body, publish, sha256

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for):
    return client_for(None)


@pytest.fixture
def built(malang, batu, make_listing):
    publish(4, year=2024)
    make_listing(malang, title="Keripik tempe Malang")
    make_listing(batu, title="Apel Batu segar")
    building.refresh()


def action(client, name, **params):
    response = client.get(f"/api/3/action/{name}", params)
    data = response.json()
    return response.status_code, data


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_ckan_client_harvests_every_package_with_its_resources(client, built):
    status, listed = action(client, "package_list")
    assert status == 200 and listed["success"] is True and "help" in listed
    names = listed["result"]
    assert "kerja-sama" in names and "kerja-sama-35-73" in names and "wilayah" in names
    for name in names:
        status, shown = action(client, "package_show", id=name)
        package = shown["result"]
        for key in (
            "id",
            "name",
            "title",
            "notes",
            "license_id",
            "organization",
            "resources",
            "extras",
            "metadata_modified",
            "metadata_created",
            "tags",
            "owner_org",
        ):
            assert key in package, key
        assert package["name"] == name and package["organization"]["name"] == "jejaring"
        assert package["resources"]
        for resource in package["resources"]:
            data = body(client.get(path_of(resource["url"])))
            assert resource["hash"] == sha256(data)
            assert resource["size"] == len(data)
            assert resource["format"] in ("CSV", "JSON")
        # By id too.
        assert action(client, "package_show", id=package["id"])[1]["result"]["name"] == name


def test_package_search_pages_as_the_ckan_harvester_asks(client, built):
    names = set(action(client, "package_list")[1]["result"])
    seen, start = [], 0
    while True:
        _status, page = action(client, "package_search", rows=2, start=start, sort="id asc")
        results = page["result"]["results"]
        assert page["result"]["count"] == len(names)
        if not results:
            break
        seen += [p["name"] for p in results]
        start += 2
    assert sorted(seen) == sorted(names) and len(seen) == len(names)
    assert [
        p["id"]
        for p in action(client, "package_search", rows=100, sort="id asc")[1]["result"]["results"]
    ] == sorted(p for p in [action(client, "package_show", id=n)[1]["result"]["id"] for n in names])
    since = action(client, "package_search", fq="metadata_modified:[2000-01-01T00:00:00Z TO *]")
    assert since[1]["result"]["count"] == len(names)
    future = action(client, "package_search", fq="metadata_modified:[2999-01-01T00:00:00Z TO *]")
    assert future[1]["result"]["count"] == 0
    assert action(client, "package_search", fq="organization:jejaring")[1]["result"][
        "count"
    ] == len(names)
    assert action(client, "package_search", fq="-organization:jejaring")[1]["result"]["count"] == 0
    assert action(client, "package_search", q="35.73")[1]["result"]["count"] >= 1
    status, bad = action(client, "package_search", fq="colour:blue")
    assert status == 409 and bad["success"] is False
    # ckanapi POSTs JSON.
    response = client.post(
        "/api/action/package_search", json.dumps({"rows": 1}), content_type="application/json"
    )
    assert response.json()["result"]["count"] == len(names)
    assert len(response.json()["result"]["results"]) == 1
    assert action(client, "package_show", id="tidak-ada")[0] == 404
    assert action(client, "package_show")[0] == 409
    assert action(client, "no_such_action")[0] == 400
    assert action(client, "status_show")[1]["result"]["ckan_version"]
    assert action(client, "organization_show", id="jejaring")[1]["result"]["package_count"] == len(
        names
    )


def test_the_dictionary_covers_every_column_of_every_download(client, built):
    files = list(BuiltFile.objects.all())
    assert {f.dataset for f in files} >= {"kerja-sama", "pasar-kerja-sama", "wilayah"}
    dictionaries = dictionary.all_dictionaries()
    for file in files:
        data = body(client.get(f"/data/unduh/{file.name}"))
        name = "kerja-sama" if file.dataset.startswith("kerja-sama") else file.dataset
        known = dictionaries[name]
        if file.fmt == "csv":
            header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        else:
            rows = json.loads(data)
            header = list(rows[0]) if rows else known.column_names
        assert header == known.column_names, file.name
    # The live downloads of the same data have the same columns.
    for url, name in (
        ("/kerja-sama/unduh/csv/", "kerja-sama"),
        ("/pasar/unduh/csv/", "pasar-kerja-sama"),
    ):
        header = next(csv.reader(io.StringIO(body(client.get(url)).decode("utf-8-sig"))))
        assert header == dictionaries[name].column_names
    # Every value of a column with a fixed set is one of its allowed values.
    rows = json.loads(body(client.get("/data/unduh/pasar-kerja-sama.json")))
    allowed = {
        c.name: {v.value for v in c.allowed()}
        for c in dictionaries["pasar-kerja-sama"].columns
        if c.values
    }
    for row in rows:
        for column, values in allowed.items():
            assert row[column] in values | {""}, (column, row[column])
    # The page and the JSON name every column in both languages.
    page = client.get("/data/kamus/kerja-sama/").content.decode()
    schema = client.get("/data/kamus/kerja-sama.json").json()
    for column in dictionaries["kerja-sama"].columns:
        assert f"<code>{column.name}</code>" in page
        assert escape(column.description_en) in page and escape(column.title_id) in page
    assert [f["name"] for f in schema["fields"]] == dictionaries["kerja-sama"].column_names
    assert all(f["title"] and f["title_en"] for f in schema["fields"])


def channels(client) -> str:
    """Everything the open data serves, as one text."""
    texts = [
        client.get(u).content.decode()
        for u in (
            "/data/",
            "/data/catalog.jsonld",
            "/data/catalog.ttl",
            "/data/kerja-sama/tahunan.json",
            "/api/3/action/package_search?rows=1000",
            "/data/unduh/SHA256SUMS",
        )
    ]
    for name in json.loads(texts[4])["result"]["results"]:
        texts.append(client.get(f"/data/dataset/{name['name']}/").content.decode())
    for file in BuiltFile.objects.all():
        response = client.get(f"/data/unduh/{file.name}")
        if response.status_code == 200:
            texts.append(body(response).decode())
    return "\n".join(texts)


def test_a_hidden_region_leaves_every_channel_at_once_and_its_listings_the_files(
    client, built, batu
):
    assert "Apel Batu segar" in channels(client)
    assert "kerja-sama-35-79" in channels(client)
    batu.status = TenantStatus.SUSPENDED
    batu.save()
    # At once: no file showing it is served, its dataset is gone from every listing.
    assert client.get("/data/unduh/pasar-kerja-sama.csv").status_code == 404
    assert client.get("/data/unduh/kerja-sama-35-79.csv").status_code == 404
    assert client.get("/data/dataset/kerja-sama-35-79/").status_code == 404
    text = channels(client)
    assert "Apel Batu segar" not in text and "kerja-sama-35-79" not in text
    assert "kerja-sama-35-79" not in action(client, "package_list")[1]["result"]
    # The next refresh rebuilds the listings without it, and the region list without its
    # profile; the registry (a public record, the one exception) keeps its agreements.
    building.refresh()
    listings = body(client.get("/data/unduh/pasar-kerja-sama.csv")).decode()
    assert "Keripik tempe Malang" in listings and "Apel Batu segar" not in listings
    regions = json.loads(body(client.get("/data/unduh/wilayah.json")))
    batu_row = next(r for r in regions if r["code"] == "35.79")
    assert batu_row["on_jejaring"] is False and batu_row["profile_url"] == ""
    registry = json.loads(body(client.get("/data/unduh/kerja-sama.json")))
    assert any("35.79" in r["regions"] for r in registry)


def test_withheld_parts_appear_in_no_channel(
    client, malang, member, django_capture_on_commit_callbacks
):
    from django_tenants.utils import tenant_context

    from public_registry.tests import test_withholding_everywhere as w
    from tenants.models import Role

    office = w.membership_of(member(malang, Role.ADMIN), malang)
    with tenant_context(malang), django_capture_on_commit_callbacks(execute=True):
        agreement = w.agreement_of(office, malang)
        w.withhold(office, agreement, fields=[*w.withheld.FIELD_KEYS, *w.withheld.PARTY_KEYS])
        w.to_ksb_signed(office, agreement)
    building.refresh()
    text = channels(client)
    assert w.TERMS["title"] in text  # the record itself is there
    for secret in [*w.TERMS.values(), *[v for p in w.PARTIES for v in p.values()]]:
        if secret == w.TERMS["title"]:
            continue
        assert secret not in text, secret


def test_catalogue_queries_do_not_grow_with_regions_or_agreements(client, malang, batu):
    def count() -> dict[str, int]:
        building.refresh()
        out = {}
        for url in (
            "/data/",
            "/data/catalog.jsonld",
            "/api/3/action/package_list",
            "/api/3/action/package_search?rows=1000",
            "/api/3/action/package_show?id=kerja-sama",
            "/data/unduh/kerja-sama.csv",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out[url] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            from opendata import sources

            sources.all_parts()
        out["fingerprints"] = len(queries)
        return out

    publish(2, regions=("35.73",))
    small = count()
    publish(30, regions=("35.73", "35.79", "35.07", "11.01", "61.71", "35.15"), start=10)
    assert count() == small


def test_a_regions_subdomain_has_no_open_data_routes(client_for, malang):
    region = client_for(malang)
    assert region.get("/data/").status_code == 404
    assert region.get("/api/3/action/package_list").status_code == 404
