"""The public registry's pages through real HTTP: the list's filters and counts, the detail page,
documents, downloads, feeds, the change feed, the cache's invalidation and the office's
withholding page (with the other-region and wrong-role cases)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_pdf
from cooperation.models import Cooperation, EndReason, Party, SignedDocument, Stage
from public_registry import publishing
from public_registry.models import PublishedAgreement
from tenants.models import Region, Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def signed(
    tenant,
    title,
    *,
    partner="35.79",
    kind="ksdd_sukarela",
    urusan=("1.03",),
    term_end=None,
    signed_on=datetime.date(2025, 5, 2),
    organisation="",
    document=False,
    **fields,
):
    """A signed shared record of `tenant` (built directly: the lifecycle has its own tests),
    published."""
    coop = Cooperation.objects.create(
        kind=kind,
        title=title,
        urusan=list(urusan),
        stage=fields.pop("stage", Stage.KSB_SIGNED),
        signed_on=signed_on,
        ksb_signed_on=signed_on,
        term_start=signed_on,
        term_end=term_end or TODAY + datetime.timedelta(days=1000),
        owner=tenant,
        **{"object": f"Kerja sama {title.lower()}", **fields},
    )
    Party.objects.create(
        cooperation=coop,
        position=0,
        kind="region",
        region=tenant.region,
        name=tenant.region.full_name,
        signatory_name="Wali Kota",
    )
    if organisation:
        Party.objects.create(cooperation=coop, position=1, kind="organisation", name=organisation)
    else:
        region = Region.objects.get(code=partner)
        Party.objects.create(
            cooperation=coop, position=1, kind="region", region=region, name=region.full_name
        )
    if document:
        doc = SignedDocument(
            cooperation=coop,
            instrument="ksb",
            signed_on=signed_on,
            original_name="ksb.pdf",
            size=1,
            sha256="0" * 64,
            stored_schema=tenant.schema_name,
        )
        connection.set_tenant(tenant)
        doc.file.save("ksb.pdf", ContentFile(make_pdf()), save=False)
        connection.set_schema_to_public()
        doc.save()
    publishing.publish(coop, reason="sign_ksb")
    return coop


def record(coop) -> PublishedAgreement:
    return PublishedAgreement.objects.get(cooperation=coop)


@pytest.fixture
def world(malang, batu):
    return {
        "waste": signed(malang, "KSB Pengelolaan Sampah Malang Raya", document=True),
        "tourism": signed(
            batu,
            "KSB Pariwisata Batu",
            urusan=("3.26",),
            partner="35.73",
            signed_on=datetime.date(2024, 3, 1),
            term_end=TODAY + datetime.timedelta(days=30),
        ),
        "bank": signed(
            malang,
            "PKS Kredit UMKM",
            kind="ksdpk",
            organisation="Bank Jatim",
            urusan=("2.17",),
            term_end=TODAY - datetime.timedelta(days=3),
        ),
        "ended": signed(
            batu,
            "KSB Air Bersih",
            partner="35.07",
            stage=Stage.ENDED,
            end_reason=EndReason.TERMINATED,
            ended_on=TODAY,
            urusan=("1.03",),
        ),
    }


def titles(response) -> list[str]:
    return [row["title"] for row in response.context["rows"]]


def counts(response, facet) -> dict[str, int]:
    for item in response.context["facets"]:
        if item["name"] == facet:
            return {o["value"]: o["count"] for o in item["options"]}
    return {}


def test_the_list_filters_counts_and_shares_its_url(client_for, world):
    client = client_for(None)
    everything = client.get("/kerja-sama/")
    assert everything.status_code == 200
    assert everything.context["total"] == 4
    assert counts(everything, "status") == {
        "in_force": 1,
        "expiring": 1,
        "expired": 1,
        "terminated": 1,
    }
    assert counts(everything, "province") == {"35": 4}
    assert counts(everything, "region")["35.73"] == 3
    assert counts(everything, "partner") == {"Bank Jatim": 1}
    assert counts(everything, "year") == {"2025": 3, "2024": 1}

    cases = {
        "?status=expiring": ["KSB Pariwisata Batu"],
        "?status=expired&status=terminated": ["PKS Kredit UMKM", "KSB Air Bersih"],
        "?kind=ksdpk": ["PKS Kredit UMKM"],
        "?urusan=3.26": ["KSB Pariwisata Batu"],
        "?year=2024": ["KSB Pariwisata Batu"],
        "?region=35.07": ["KSB Air Bersih"],
        "?partner=Bank+Jatim": ["PKS Kredit UMKM"],
        "?q=sampah": ["KSB Pengelolaan Sampah Malang Raya"],
        "?q=batu&sort=title": [
            "KSB Air Bersih",
            "KSB Pariwisata Batu",
            "KSB Pengelolaan Sampah Malang Raya",
        ],
        "?q=bank+jatim": ["PKS Kredit UMKM"],
        "?province=61": [],
        "?kind=nonsense": None,  # an unknown value is dropped, not an error
    }
    for query, expected in cases.items():
        response = client.get("/kerja-sama/" + query)
        assert response.status_code == 200, query
        if expected is not None:
            assert sorted(titles(response)) == sorted(expected), query
    narrowed = client.get("/kerja-sama/?region=35.73&urusan=1.03")
    assert narrowed.context["total"] == 1
    # The facet links keep the other filters and toggle their own value.
    links = {o["value"]: o["url"] for f in narrowed.context["facets"] for o in f["options"]}
    assert "region=35.73" in links["1.03"] and "urusan=1.03" not in links["1.03"]


def test_the_list_pages_and_its_query_count_does_not_grow_with_the_data(client_for, malang):
    for n in range(3):
        signed(malang, f"KSB {n}", signed_on=datetime.date(2025, 1, 1 + n))
    client = client_for(None)
    client.get("/kerja-sama/")
    with CaptureQueriesContext(connection) as few:
        client.get("/kerja-sama/?status=in_force")
    for n in range(30):
        signed(malang, f"PKS {n}", signed_on=datetime.date(2025, 2, 1 + n % 27))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/kerja-sama/?status=in_force&kind=ksdd_sukarela&sort=oldest&page=2")
    assert len(many) == len(few)
    assert response.context["total"] == 33 and response.context["pages"] == 2
    assert len(response.context["rows"]) == 8
    assert response.context["rows"][0]["title"] == "PKS 19"


def test_the_detail_page_shows_parties_documents_fingerprints_and_history(client_for, world):
    waste = record(world["waste"])
    client = client_for(None)
    page = client.get(f"/kerja-sama/{waste.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    document = waste.documents.get()
    assert document.sha256 == hashlib.sha256(make_pdf()).hexdigest()
    assert document.sha256 in html and "sha256sum" in html
    assert "Kota Batu" in html and "Wali Kota" in html
    assert "public_registry/verify.js" in html
    # The downloaded copy is the one fingerprinted.
    download = client.get(f"/kerja-sama/{waste.pk}/dokumen/{document.pk}/")
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == document.sha256
    assert client.get(f"/kerja-sama/{waste.pk + 999}/").status_code == 404
    other = record(world["tourism"])
    assert client.get(f"/kerja-sama/{other.pk}/dokumen/{document.pk}/").status_code == 404
    version = client.get(f"/kerja-sama/{waste.pk}/versi/1/").json()
    assert version["record"]["documents"][0]["sha256"] == document.sha256


def test_related_agreements_link_both_ways(client_for, malang):
    ksb = signed(malang, "KSB Induk")
    pks = signed(malang, "PKS Anak", parent=ksb)
    client = client_for(None)
    up = client.get(f"/kerja-sama/{record(pks).pk}/")
    down = client.get(f"/kerja-sama/{record(ksb).pk}/")
    assert [o.title for _, o in up.context["related"]] == ["KSB Induk"]
    assert [o.title for _, o in down.context["related"]] == ["PKS Anak"]


def test_a_publication_invalidates_the_cached_pages(
    client_for, malang, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        coop = signed(malang, "KSB Pertama", object="Pengelolaan sampah terpadu")
    assert client.get("/kerja-sama/").context["total"] == 1
    detail = f"/kerja-sama/{record(coop).pk}/"
    assert "Pengelolaan sampah terpadu" in client.get(detail).content.decode()
    # A second read comes from the cache: no query on the registry's tables.
    with CaptureQueriesContext(connection) as queries:
        client.get("/kerja-sama/")
    assert not [q for q in queries if "public_registry_" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        signed(malang, "KSB Kedua")
        Cooperation.objects.filter(pk=coop.pk).update(object="Objek baru")
        publishing.publish(Cooperation.objects.get(pk=coop.pk), reason="amend")
    assert client.get("/kerja-sama/").context["total"] == 2
    assert "Objek baru" in client.get(detail).content.decode()


def test_bulk_downloads_in_csv_and_json_follow_the_filters(client_for, world):
    client = client_for(None)
    response = client.get("/kerja-sama/unduh/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 4
    waste = next(r for r in rows if r["title"].startswith("KSB Pengelolaan"))
    assert waste["documents_sha256"] == hashlib.sha256(make_pdf()).hexdigest()
    assert waste["status"] == "in_force"
    data = json.loads(b"".join(client.get("/kerja-sama/unduh/json/?kind=ksdpk").streaming_content))
    assert [r["title"] for r in data] == ["PKS Kredit UMKM"]
    assert data[0]["partners"] == ["Bank Jatim"]
    assert client.get("/kerja-sama/unduh/xls/").status_code == 404


def test_atom_feeds_platform_wide_per_region_and_per_urusan(client_for, world):
    client = client_for(None)
    everything = client.get("/kerja-sama/umpan/")
    assert everything.status_code == 200
    assert everything["Content-Type"].startswith("application/atom+xml")
    assert everything.content.count(b"<entry>") == 4
    tourism = client.get("/kerja-sama/umpan/urusan/3.26/").content.decode()
    assert "KSB Pariwisata Batu" in tourism and "Sampah" not in tourism
    region = client.get("/kerja-sama/umpan/daerah/35.07/").content.decode()
    assert region.count("<entry>") == 1 and "KSB Air Bersih" in region
    assert client.get("/kerja-sama/umpan/daerah/99.99/").status_code == 404
    assert client.get("/kerja-sama/umpan/urusan/9.99/").status_code == 404


def test_the_change_feed_pages_with_a_cursor_and_serves_a_changed_record_again(client_for, world):
    client = client_for(None)
    first = client.get("/kerja-sama/perubahan/?limit=3").json()
    assert len(first["items"]) == 3 and first["has_more"]
    rest = client.get(f"/kerja-sama/perubahan/?limit=3&cursor={first['next_cursor']}").json()
    assert len(rest["items"]) == 1 and not rest["has_more"]
    seen = [i["id"] for i in first["items"] + rest["items"]]
    assert len(set(seen)) == 4
    # Nothing new: the same cursor comes back.
    idle = client.get(f"/kerja-sama/perubahan/?cursor={rest['next_cursor']}").json()
    assert idle == {"items": [], "next_cursor": rest["next_cursor"], "has_more": False}
    # A change to the first record puts it after the cursor.
    coop = world["waste"]
    Cooperation.objects.filter(pk=coop.pk).update(stage=Stage.IMPLEMENTATION)
    publishing.publish(Cooperation.objects.get(pk=coop.pk), reason="start_implementation")
    changed = client.get(f"/kerja-sama/perubahan/?cursor={rest['next_cursor']}").json()
    assert [i["id"] for i in changed["items"]] == [record(coop).pk]
    assert changed["items"][0]["version"] == 2
    assert changed["items"][0]["record"]["stage"] == "implementation"
    bad = client.get("/kerja-sama/perubahan/?cursor=bm90LWEtY3Vyc29y")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_cursor"


def test_the_office_withholds_with_a_reason_and_the_public_page_says_why(
    client_for, member, malang, batu, world, django_capture_on_commit_callbacks
):
    coop = world["waste"]
    url = f"/kerja-sama/publik/{coop.pk}/"
    office = client_for(malang, member(malang, Role.ADMIN))
    assert office.get(url).status_code == 200
    refused = office.post(url, {"fields": ["signatories"], "reason": ""})
    assert refused.status_code == 400
    assert "legal reason" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = office.post(
            url, {"fields": ["signatories"], "documents": "on", "reason": "UU 14/2008 Pasal 17"}
        )
    assert done.status_code == 302
    public = client_for(None).get(f"/kerja-sama/{record(coop).pk}/").content.decode()
    assert "UU 14/2008 Pasal 17" in public and "Wali Kota" not in public
    document = record(coop).documents.get()
    assert (
        client_for(None).get(f"/kerja-sama/{record(coop).pk}/dokumen/{document.pk}/").status_code
        == 404
    )
    # Another role of the region: 403; another region's office: 404; a record Malang does not
    # own: 404 for Malang's office.
    assert client_for(malang, member(malang, Role.TKKSD)).get(url).status_code == 403
    assert client_for(batu, member(batu, Role.ADMIN)).get(url).status_code == 404
    batu_coop = world["tourism"]
    assert office.get(f"/kerja-sama/publik/{batu_coop.pk}/").status_code == 404


def test_paging_through_a_list_counts_once(client_for, malang):
    for n in range(30):
        signed(malang, f"KSB {n}", signed_on=datetime.date(2025, 1, 1 + n % 27))
    client = client_for(None)
    client.get("/kerja-sama/?status=in_force")
    with CaptureQueriesContext(connection) as second_page:
        response = client.get("/kerja-sama/?status=in_force&page=2")
    assert response.context["total"] == 30 and len(response.context["rows"]) == 5
    assert not [q for q in second_page if "unnest" in q["sql"]]
