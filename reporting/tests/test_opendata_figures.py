"""The national reporting figures as a dataset of the open-data catalogue (reporting/opendata.py):
listed in DCAT-AP and by the CKAN API with its files' checksums, its files the public page's
open data (rebuilt from the file and compared), nothing internal in them, its dictionary
covering every column of the real files, known to a process that never built it, and rebuilt
only when the figures change.

The world: Kota Malang's report accepted and Kota Batu's returned (with a reason) by East Java,
which compiles; Kalimantan Barat compiles and its compilation is then returned (with a reason);
the other provinces have not reported."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import defaultdict

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from core.spreadsheets import csv_value
from opendata import building, dcat
from opendata.tests.conftest import body, sha256
from reporting import actions, figures
from reporting import opendata as reporting_opendata
from reporting.models import Level, State, Submission

from .conftest import H1, TODAY, fill_register, letter

pytestmark = pytest.mark.django_db

NAME = reporting_opendata.DATASET
SECRET_REASON = "Lampiran PKS nomor 7 belum dipindai"
PROVINCE_REASON = "Tanda tangan Sekda belum dibubuhkan"
ADMS_IDENTIFIER = URIRef("http://www.w3.org/ns/adms#identifier")


@pytest.fixture(autouse=True)
def _opendata_root(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"


@pytest.fixture
def client(client_for):
    return client_for(None)


@pytest.fixture
def reported(malang, batu, jatim, kalbar, office_of):
    offices = {t.region_id: office_of(t) for t in (malang, batu, jatim, kalbar)}
    fill_register(malang, offices["35.73"], signed=2, in_process=1)
    fill_register(batu, offices["35.79"], signed=1, in_process=2)
    fill_register(jatim, offices["35"], signed=1, in_process=0, ksdpk=1)
    fill_register(kalbar, offices["61"], signed=0, in_process=1, ksdpk=1)
    malang_report = actions.submit_report(
        membership=offices["35.73"], semester=H1, letter=letter(), today=TODAY
    )
    batu_report = actions.submit_report(
        membership=offices["35.79"], semester=H1, letter=letter("050/9/35.79/2026"), today=TODAY
    )
    actions.accept_submission(membership=offices["35"], submission=malang_report)
    actions.return_submission(
        membership=offices["35"], submission=batu_report, reason=SECRET_REASON
    )
    compiled = actions.compile_province(
        membership=offices["35"], semester=H1, letter=letter("050/1/35/2026"), today=TODAY
    )
    returned = actions.compile_province(
        membership=offices["61"], semester=H1, letter=letter("050/2/61/2026"), today=TODAY
    )
    # The Ministry returns Kalimantan Barat's compilation (a review: the frozen columns stay).
    Submission.objects.filter(pk=returned.pk).update(
        state=State.RETURNED, return_reason=PROVINCE_REASON, returned_at=timezone.now()
    )
    building.refresh()
    return {"compiled": compiled, "returned": returned, "batu": batu_report}


def file_rows(client, fmt: str) -> list[dict]:
    response = client.get(f"/data/unduh/{NAME}.{fmt}")
    assert response.status_code == 200
    data = body(response)
    if fmt == "json":
        return json.loads(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def page_data_from(rows: list[dict]) -> dict[tuple[int, int], dict]:
    """The public page's JSON (national.open_data's answer, without its compilation time) of
    each semester, rebuilt from the file's rows: written here from the dictionary's meaning,
    not from reporting/opendata.py."""
    semesters: dict[tuple[int, int], dict] = {}

    def counts_of(lines: list[dict]) -> dict:
        out = figures.empty()
        out["by_urusan"] = {}
        for line in lines:
            kind, status, n = line["kind"], line["status"], line["agreements"]
            match line["breakdown"]:
                case "total":
                    out["total"] = n
                case "kind":
                    out["by_kind"][kind] = n
                case "status":
                    out["by_status"][status] = n
                case "kind_status":
                    out["by_kind_status"][kind][status] = n
                case "urusan":
                    out["by_urusan"][line["urusan"]] = n
        return {k: out[k] for k in ("total", "by_kind", "by_status", "by_urusan", "by_kind_status")}

    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        key = (row["year"], row["half"])
        semesters.setdefault(
            key,
            {
                "semester": {
                    "year": row["year"],
                    "half": row["half"],
                    "start": row["semester_start"],
                    "end": row["semester_end"],
                },
                "provinces": [],
                "regions": [],
            },
        )
        grouped[(*key, row["level"], row["province_code"])].append(row)
        if row["level"] == "region":
            semesters[key]["regions"].append(
                {
                    "code": row["region_code"],
                    "name": row["region"],
                    "province": row["province_code"],
                    "state": row["region_state"],
                    "on_platform": row["on_platform"],
                    "total": row["agreements"],
                }
            )
    for (year, half, level, code), lines in grouped.items():
        data = semesters[(year, half)]
        if level == "national":
            data["national"] = counts_of(lines)
        elif level == "province":
            first = lines[0]
            counted = first["province_state"] in ("submitted", "accepted")
            if not counted:
                assert [(x["breakdown"], x["agreements"]) for x in lines] == [("total", None)]
            data["provinces"].append(
                {
                    "code": code,
                    "name": first["province"],
                    "state": first["province_state"],
                    "submitted_on": first["submitted_on"],
                    "late": first["late"],
                    "regions": first["regions"],
                    "regions_reported": first["regions_reported"],
                    "figures": counts_of(lines) if counted else counts_of([]),
                }
            )
    return semesters


def test_the_files_are_the_public_pages_open_data(client, reported):
    rows = file_rows(client, "json")
    rebuilt = page_data_from(rows)
    assert list(rebuilt) == [(2026, 1)]
    page = client.get("/laporan-kerja-sama/2026/1/unduh/json/").json()
    page.pop("compiled_at")
    assert rebuilt[(2026, 1)] == page
    # The figures are the real ones: East Java's compilation counts, Kalimantan Barat's
    # (returned) does not, Kota Batu (returned by its province) is not included.
    east_java = next(p for p in page["provinces"] if p["code"] == "35")
    assert east_java["figures"]["total"] == reported["compiled"].figures["total"] > 0
    assert page["national"]["total"] == reported["compiled"].figures["total"]
    by_region = {(r["level"], r["region_code"] or r["province_code"]): r for r in rows}
    assert by_region[("region", "35.79")]["region_state"] == "not_included"
    assert by_region[("region", "35.79")]["agreements"] is None
    assert (
        by_region[("region", "35.73")]["agreements"]
        == (reported["compiled"].figures["by_region"]["35.73"]["total"])
    )
    assert by_region[("province", "61")]["province_state"] == "returned"
    # The CSV holds the same rows, cell for cell.
    table = file_rows(client, "csv")
    assert len(table) == len(rows)
    for cells, row in zip(table, rows, strict=True):
        assert cells == {k: str(csv_value(v)) for k, v in row.items()}
    # And every line of the page's own CSV (the provinces' and kabupaten/kota's totals).
    public = csv.DictReader(
        io.StringIO(client.get("/laporan-kerja-sama/2026/1/unduh/csv/").content.decode())
    )
    for line in public:
        key = (
            ("region", line["region_code"])
            if line["region_code"]
            else ("province", line["province_code"])
        )
        mine = next(r for r in table if (r["level"], r["region_code"] or r["province_code"]) == key)
        if key[0] == "province" and mine["province_state"] in ("submitted", "accepted"):
            mine = next(
                r
                for r in table
                if r["level"] == "province"
                and r["province_code"] == key[1]
                and r["breakdown"] == "total"
            )
        assert mine["agreements"] == line["total"], key


def test_nothing_internal_is_in_the_files(client, reported):
    text = (
        body(client.get(f"/data/unduh/{NAME}.json")).decode()
        + body(client.get(f"/data/unduh/{NAME}.csv")).decode()
    )
    submissions = list(Submission.objects.all())
    internal = {SECRET_REASON, PROVINCE_REASON, "Erik Setyo", "Sekretaris Daerah"}
    for submission in submissions:
        internal |= {submission.number, submission.signatory_nip, submission.submitted_by_email}
        internal |= {row["title"] for row in submission.agreements}
    for value in internal - {""}:
        assert value not in text, value
    # The returned reports' figures are not there: Kalimantan Barat (returned by the Ministry)
    # has its total row only, empty; its kabupaten/kota are "province not reported".
    rows = file_rows(client, "json")
    kalbar = [r for r in rows if r["province_code"] == "61"]
    assert [(r["breakdown"], r["agreements"]) for r in kalbar if r["level"] == "province"] == [
        ("total", None)
    ]
    assert {r["region_state"] for r in kalbar if r["level"] == "region"} == {
        "province_not_reported"
    }
    assert all(r["agreements"] is None for r in kalbar)
    assert all(r["agreements"] is None for r in rows if r["region_code"] == "35.79")


def test_the_catalogue_lists_the_dataset_with_its_files_and_checksums(client, reported):
    graph = Graph()
    graph.parse(data=client.get("/data/catalog.jsonld").content.decode(), format="json-ld")
    found = [
        d
        for d in graph.subjects(RDF.type, DCAT.Dataset)
        if str(graph.value(d, ADMS_IDENTIFIER)) == NAME
    ]
    assert len(found) == 1
    dataset = found[0]
    assert {t.language for t in graph.objects(dataset, DCTERMS.title)} == {"id", "en"}
    assert str(graph.value(dataset, DCTERMS.accrualPeriodicity)).endswith("/ANNUAL_2")
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2026-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2026-06-30"
    notations = {
        str(graph.value(place, SKOS.notation)) for place in graph.objects(dataset, DCTERMS.spatial)
    }
    assert {"35", "61"} <= notations and len(notations) == 1 + 38  # Indonesia and provinces
    assert str(graph.value(dataset, DCAT.landingPage)).endswith(f"/data/dataset/{NAME}/")
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 2
    for distribution in distributions:
        url = str(graph.value(distribution, DCAT.downloadURL))
        data = body(client.get("/" + url.split("://", 1)[1].split("/", 1)[1]))
        checksum = graph.value(distribution, dcat.SPDX.checksum)
        assert str(graph.value(checksum, dcat.SPDX.checksumValue)) == sha256(data)
        assert int(graph.value(distribution, DCAT.byteSize)) == len(data)
        assert "creativecommons.org/licenses/by/4.0" in str(
            graph.value(distribution, DCTERMS.license)
        )
        assert str(graph.value(distribution, DCTERMS.conformsTo)).endswith(
            f"/data/kamus/{NAME}.json"
        )
    # CKAN: listed, shown with its resources (hash and size of the served bytes).
    assert NAME in client.get("/api/3/action/package_list").json()["result"]
    package = client.get("/api/3/action/package_show", {"id": NAME}).json()["result"]
    assert package["license_id"] == "cc-by"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["temporal_start"] == "2026-01-01" and extras["temporal_end"] == "2026-06-30"
    assert {r["format"] for r in package["resources"]} == {"CSV", "JSON"}
    for resource in package["resources"]:
        data = body(client.get("/" + resource["url"].split("://", 1)[1].split("/", 1)[1]))
        assert resource["hash"] == sha256(data) and resource["size"] == len(data)
    # The open-data page and the dataset's page (schema.org markup) name it and its files.
    assert f"/data/dataset/{NAME}/" in client.get("/data/").content.decode()
    page = client.get(f"/data/dataset/{NAME}/").content.decode()
    assert f"/data/unduh/{NAME}.csv" in page and "/laporan-kerja-sama/" in page
    found = client.get("/api/3/action/package_search", {"q": "laporan semester"}).json()
    assert NAME in [p["name"] for p in found["result"]["results"]]


def test_the_dictionary_covers_every_column_of_the_real_files(client, reported):
    known = reporting_opendata.DICTIONARY
    data = body(client.get(f"/data/unduh/{NAME}.csv")).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(data))) == known.column_names
    rows = file_rows(client, "json")
    assert all(list(row) == known.column_names for row in rows)
    for column in known.columns:
        assert column.title_id and column.title_en and column.description_id
        assert column.description_en
        values = {v.value for v in column.allowed()}
        seen = {str(row[column.name]) for row in rows if row[column.name] is not None}
        if column.required:
            assert all(row[column.name] is not None for row in rows), column.name
        if values:
            assert seen <= values, (column.name, seen - values)
            assert all(v.id and v.en for v in column.allowed())
    # Every level, breakdown and state of this world is there (the dictionary is not checked
    # against an empty column).
    assert {r["level"] for r in rows} == {"national", "province", "region"}
    assert {r["breakdown"] for r in rows} == {"total", "kind", "status", "kind_status", "urusan"}
    page = client.get(f"/data/kamus/{NAME}/").content.decode()
    schema = client.get(f"/data/kamus/{NAME}.json").json()
    for column in known.columns:
        assert f"<code>{column.name}</code>" in page
        assert escape(column.description_en) in page and escape(column.title_id) in page
    assert [f["name"] for f in schema["fields"]] == known.column_names


def test_a_process_that_never_built_knows_the_dataset():
    """The catalogue's pages run in web processes that never build the files: the dictionary
    and the description must be registered at start-up (opendata/apps.py), not by the build."""
    code = (
        "import django; django.setup()\n"
        "from opendata import catalogue, dictionary\n"
        f"print({NAME!r} in dictionary.all_dictionaries(), {NAME!r} in catalogue._described)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed program)
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "True True", result.stderr[-2000:]


def test_the_file_is_rebuilt_when_the_figures_change_and_only_then(client, reported):
    with CaptureQueriesContext(connection) as queries:
        counted, before = reporting_opendata.fingerprint()
    assert counted == 1 and len(queries) == 3
    assert building.refresh()["built"] == 0
    # The Ministry accepts East Java's compilation: a review, the file follows.
    Submission.objects.filter(pk=reported["compiled"].pk).update(
        state=State.ACCEPTED, accepted_at=timezone.now()
    )
    assert reporting_opendata.fingerprint()[1] != before
    assert building.refresh()["built"] == 1
    rows = file_rows(client, "json")
    assert {r["province_state"] for r in rows if r["province_code"] == "35"} == {"accepted"}
    # No province report counts any more: no part, the dataset leaves the catalogue.
    Submission.objects.filter(level=Level.PROVINCE).update(
        state=State.RETURNED, return_reason=PROVINCE_REASON, returned_at=timezone.now()
    )
    assert reporting_opendata.parts() == []
    building.refresh()
    assert NAME not in client.get("/api/3/action/package_list").json()["result"]
