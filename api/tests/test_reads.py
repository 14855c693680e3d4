"""The read API: regions, published listings (the marketplace's search and filters), one
listing; the error shape; the rate limits."""

from __future__ import annotations

import pytest

from api.throttling import AnonThrottle, TokenThrottle
from marketplace.models import ListingStatus
from tenants.models import Role

from .conftest import BATU, MALANG, api, assert_error, token_of

pytestmark = pytest.mark.django_db


def test_regions_list_provinces_children_kinds_and_names():
    client = api()
    body = client.get("/api/v1/regions/").json()
    assert body["count"] == 38 and body["results"][0]["code"] == "11"
    children = client.get("/api/v1/regions/", {"parent": "35", "kind": "kota"}).json()
    assert "35.73" in [r["code"] for r in children["results"]]
    assert {r["kind"] for r in children["results"]} == {"kota"}
    named = client.get("/api/v1/regions/", {"q": "blimbing", "parent": "35.73"}).json()
    assert [r["full_name"] for r in named["results"]] == ["Kecamatan Blimbing"]


def test_one_region_with_its_ancestry():
    body = api().get("/api/v1/regions/35.73.01.1007/").json()
    assert body["full_name"] == "Kelurahan Purwantoro"
    assert [a["code"] for a in body["ancestors"]] == ["35", "35.73", "35.73.01"]
    assert body["children"] == 0


@pytest.mark.parametrize(
    "path, params, status, code",
    [
        ("/api/v1/regions/35.7/", {}, 400, "invalid_region_code"),
        ("/api/v1/regions/99.99/", {}, 404, "unknown_region"),
        ("/api/v1/regions/", {"kind": "negara"}, 400, "unknown_kind"),
        ("/api/v1/regions/", {"parent": "x"}, 400, "invalid_region_code"),
        ("/api/v1/listings/", {"sort": "price"}, 400, "invalid"),
        ("/api/v1/listings/", {"page": "51"}, 400, "invalid"),
        ("/api/v1/listings/999999/", {}, 404, "not_found"),
        ("/api/v1/nothing-here/", {}, 404, None),
    ],
)
def test_refusals_have_one_shape_with_stable_codes(path, params, status, code):
    response = api().get(path, params)
    if code is None:  # a path the API does not have: Django's 404, not the API's
        assert response.status_code == 404
        return
    error = assert_error(response, status, code)
    if status == 400 and "regions" in path and "kind" not in params:
        assert error["fields"] and next(iter(error["fields"].values()))[0]["code"] == code


def test_wrong_method_and_body_are_refused_in_the_shape(malang, member):
    raw = token_of(member(malang, Role.ADMIN), malang)
    assert_error(api().delete("/api/v1/regions/"), 405, "method_not_allowed")
    client = api(token=raw)
    assert_error(
        client.post("/api/v1/listings/", "kind=product", content_type="text/plain"),
        415,
        "unsupported_media_type",
    )
    assert_error(
        client.post("/api/v1/listings/", "{not json", content_type="application/json"),
        400,
        "parse_error",
    )


def test_listings_search_with_the_pages_filters(malang, batu, make_listing):
    tempe = make_listing(malang, title="Tempe Sanan")
    make_listing(malang, title="Keripik tempe", kind="product", status=ListingStatus.DRAFT)
    apel = make_listing(
        batu,
        title="Apel Batu",
        description="Apel manalagi petik sendiri.",
        sector="A",
        urusan="3.27",
    )
    client = api()
    body = client.get("/api/v1/listings/", {"q": "tempeh"}).json()
    assert [r["listing"]["id"] for r in body["results"]] == [tempe.pk]  # synonyms, no drafts
    assert body["count"] == 1 and body["page"] == 1 and body["next"] is None
    listing = body["results"][0]["listing"]
    assert listing["region"] == {"code": "35.73", "name": "Kota Malang"}
    assert listing["area"] == {"code": "35.73.01.1007", "name": "Kelurahan Purwantoro"}
    assert listing["status"] == "published" and listing["url"].endswith(f"/pasar/{tempe.pk}/")
    by_region = client.get("/api/v1/listings/", {"region": ["35.79"]}).json()
    assert [r["listing"]["id"] for r in by_region["results"]] == [apel.pk]
    both = client.get("/api/v1/listings/", {"region": ["35.79", "35.73"]}).json()
    assert both["count"] == 2
    facet = {o["code"]: o for o in both["facets"]["region"]}
    assert facet["35.79"]["count"] == 1 and facet["35.79"]["selected"]
    assert client.get("/api/v1/listings/", {"sector": "A", "region": "35.73"}).json()["count"] == 0


def test_a_draft_exists_only_for_its_own_regions_tokens(malang, batu, member, make_listing):
    draft = make_listing(malang, status=ListingStatus.DRAFT)
    path = f"/api/v1/listings/{draft.pk}/"
    assert_error(api().get(path), 404, "not_found")
    other = token_of(member(batu, Role.ADMIN), batu)
    assert_error(api(token=other).get(path), 404, "not_found")
    own = token_of(member(malang, Role.VIEWER), malang)
    body = api(token=own).get(path).json()
    assert body["status"] == "draft" and body["url"] is None


def test_an_anonymous_client_is_rate_limited_across_every_host(monkeypatch):
    """The counter is one for the platform and every region's subdomain (the cache keys carry
    no schema), and the refusal is in the one error shape, with Retry-After."""
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    assert api().get("/api/v1/regions/").status_code == 200
    assert api(MALANG).get("/api/v1/schema/").status_code == 200
    assert api(BATU).get("/api/v1/schema/").status_code == 200
    response = api().get("/api/v1/regions/")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_a_token_has_its_own_allowance(monkeypatch, malang, member):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "2/min"})
    first = token_of(member(malang, Role.VIEWER), malang)
    second = token_of(member(malang, Role.VIEWER), malang)
    assert api().get("/api/v1/regions/").status_code == 200
    assert api().get("/api/v1/regions/").status_code == 429
    for _ in range(2):
        assert api(token=first).get("/api/v1/regions/").status_code == 200
    assert_error(api(token=first).get("/api/v1/regions/"), 429, "throttled")
    assert api(token=second).get("/api/v1/regions/").status_code == 200


def test_the_schema_and_its_docs_are_served_by_the_site(client):
    schema = api().get("/api/v1/schema/")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/listings/" in paths and "/api/v1/regions/{code}/" in paths
    assert "/api/v1/agreements/{id}/monitoring-reports/" not in paths
    region = api(MALANG).get("/api/v1/schema/").json()["paths"]
    # A region's subdomain adds its own writes: monitoring reports and the semester report.
    assert sorted(region) == [
        "/api/v1/agreements/{id}/monitoring-reports/",
        "/api/v1/semester-reports/",
    ]
    assert "/api/v1/semester-reports/" not in paths
    assert set(region["/api/v1/agreements/{id}/monitoring-reports/"]) == {"get", "post"}
    docs = api().get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/drf_spectacular_sidecar/" in html
    assert "<script>" not in html and "<style>" not in html  # nothing inline (the CSP)
    script = api().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"/api/v1/schema/" in script.content


def test_queries_per_call_do_not_grow_with_the_data(malang, batu, member, make_listing):
    """552 regions: a page of results costs the same number of queries for 1 or 6 listings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raw = token_of(member(malang, Role.VIEWER), malang)
    api(token=raw).get("/api/v1/regions/")  # its first use is written once (last_used_at)

    def count(path, token=None) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api(token=token).get(path).status_code == 200
        return len(queries)

    make_listing(malang, title="Tempe satu")
    few = (count("/api/v1/listings/?q=tempe"), count("/api/v1/regions/?parent=35.73"))
    few_token = count("/api/v1/listings/?q=tempe", raw)
    for n in range(5):
        make_listing(batu if n % 2 else malang, title=f"Tempe {n}")
    many = (count("/api/v1/listings/?q=tempe"), count("/api/v1/regions/?parent=35.73"))
    assert many == few, (few, many)
    assert count("/api/v1/listings/?q=tempe", raw) == few_token
    print("queries: listings search", few[0], "regions", few[1], "with a token", few_token)
