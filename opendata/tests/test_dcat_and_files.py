"""The DCAT-AP catalogue, parsed back with rdflib, and the files it describes: every required
property is there, and every distribution's checksum and size are those of the bytes served."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from opendata import building, dcat
from opendata.models import BuiltFile

from .conftest import body, publish, sha256

pytestmark = pytest.mark.django_db
SPDX = dcat.SPDX
HYDRA = dcat.HYDRA


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def get(client, url: str):
    return client.get(path_of(url) if "://" in url else url)


def graph_of(client, fmt: str = "jsonld", page: int = 1) -> Graph:
    response = client.get(f"/data/catalog.{fmt}?page={page}")
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content.decode(), format="json-ld" if fmt == "jsonld" else "turtle")
    return graph


@pytest.fixture
def client(client_for):
    return client_for(None)


@pytest.fixture
def built(malang, batu, make_listing):
    publish(3, year=2023)
    publish(2, year=2024, start=3)
    make_listing(malang, title="Keripik tempe Malang")
    building.refresh()


def test_catalogue_has_the_required_dcat_ap_properties(client, built):
    graph = graph_of(client)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, FOAF.homepage):
        assert graph.value(catalog, prop) is not None, prop
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    names = {str(graph.value(d, URIRef("http://www.w3.org/ns/adms#identifier"))) for d in datasets}
    # National datasets and one per region party to an agreement (35.07 too: not on Jejaring).
    assert names == {
        "kerja-sama",
        "pasar-kerja-sama",
        "wilayah",
        "kerja-sama-35-73",
        "kerja-sama-35-79",
        "kerja-sama-35-07",
    }
    for dataset in datasets:
        titles = {t.language for t in graph.objects(dataset, DCTERMS.title)}
        assert titles == {"id", "en"}
        for prop in (
            DCTERMS.description,
            DCTERMS.publisher,
            DCAT.contactPoint,
            DCTERMS.spatial,
            DCTERMS.accrualPeriodicity,
            DCAT.landingPage,
            DCTERMS.identifier,
            DCAT.keyword,
            DCAT.distribution,
        ):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        assert graph.value(publisher, FOAF.name) is not None
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            for prop in (
                DCAT.accessURL,
                DCAT.downloadURL,
                DCTERMS.license,
                DCTERMS.format,
                DCAT.byteSize,
                SPDX.checksum,
                DCTERMS.conformsTo,
                DCAT.mediaType,
            ):
                assert graph.value(distribution, prop) is not None, (distribution, prop)
    # A region's spatial coverage is its Kemendagri code; the registry's temporal coverage
    # spans the signing dates.
    region = URIRef("http://localhost:8000/data/dataset/kerja-sama-35-73/")
    place = graph.value(region, DCTERMS.spatial)
    assert str(graph.value(place, URIRef("http://www.w3.org/2004/02/skos/core#notation"))) == (
        "35.73"
    )
    registry = URIRef("http://localhost:8000/data/dataset/kerja-sama/")
    period = graph.value(registry, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2023-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2024-05-05"


def test_every_checksum_and_size_is_the_served_files(client, built):
    graph = graph_of(client, "ttl")
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    # Registry: all + 2 years; regions 3; listings; regions list: each CSV and JSON.
    assert len(distributions) == 2 * (3 + 3 + 1 + 1)
    sums = client.get("/data/unduh/SHA256SUMS").content.decode()
    for distribution in distributions:
        url = str(graph.value(distribution, DCAT.downloadURL))
        response = get(client, url)
        assert response.status_code == 200
        data = body(response)
        checksum = graph.value(distribution, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == sha256(data)
        assert int(graph.value(distribution, DCAT.byteSize)) == len(data)
        name = url.rsplit("/", 1)[1]
        assert f"{sha256(data)}  {name}\n" in sums
        assert get(client, url + ".sha256").content.decode() == f"{sha256(data)}  {name}\n"


def test_yearly_snapshots_hold_their_year_and_a_cursor_to_continue_the_feed(client, built):
    manifest = client.get("/data/kerja-sama/tahunan.json").json()
    assert [y["year"] for y in manifest["years"]] == [2023, 2024]
    ids = {}
    for entry in manifest["years"]:
        rows = json.loads(body(get(client, entry["json"]["url"])))
        assert {r["signed_on"][:4] for r in rows} == {str(entry["year"])}
        ids[entry["year"]] = {r["id"] for r in rows}
        assert entry["json"]["change_feed_cursor"]
    assert len(ids[2023]) == 3 and len(ids[2024]) == 2
    # A publication after the snapshot is in the feed after the smallest cursor.
    cursor = min(e["json"]["change_feed_cursor"] for e in manifest["years"])
    later = publish(1, year=2024, start=10)[0]
    feed = client.get(f"/kerja-sama/perubahan/?cursor={cursor}").json()
    assert later.pk in {item["id"] for item in feed["items"]}


def test_a_refresh_rebuilds_only_what_changed_and_keeps_unchanged_files(built):
    before = {f.name: (f.sha256, f.modified_at) for f in BuiltFile.objects.all()}
    assert building.refresh() == {"built": 0, "unchanged": 8, "removed": 0}
    publish(1, regions=("35.79",), year=2024, start=20)
    counts = building.refresh()
    after = {f.name: (f.sha256, f.modified_at) for f in BuiltFile.objects.all()}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {
        f"{stem}.{fmt}"
        for stem in ("kerja-sama", "kerja-sama-tahun-2024", "kerja-sama-35-79", "kerja-sama-35-07")
        for fmt in ("csv", "json")
    }
    assert counts["built"] == 4
    # Forced, with the same data: the same bytes, the same modification times.
    building.refresh(force=True)
    assert {f.name: (f.sha256, f.modified_at) for f in BuiltFile.objects.all()} == after


def test_the_catalogue_is_paged_for_harvesters(client, built, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 4)
    first = graph_of(client)
    page = URIRef("http://localhost:8000/data/catalog.jsonld?page=1")
    assert int(first.value(page, HYDRA.totalItems)) == 6
    assert str(first.value(page, HYDRA.nextPage)).endswith("page=2")
    second = graph_of(client, page=2)
    names = set(first.subjects(RDF.type, DCAT.Dataset)) | set(
        second.subjects(RDF.type, DCAT.Dataset)
    )
    assert len(names) == 6
