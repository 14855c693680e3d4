import pytest

pytestmark = pytest.mark.django_db


def test_region_detail_with_ancestry(client_for):
    response = client_for(None).get("/api/wilayah/35.73.01.1007/")
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Kelurahan Purwantoro"
    assert [a["code"] for a in body["ancestors"]] == ["35", "35.73", "35.73.01"]


def test_region_list_filters_by_parent_and_kind(client_for):
    client = client_for(None)
    body = client.get("/api/wilayah/", {"induk": "35.73"}).json()
    assert [r["name"] for r in body["results"]] == [
        "Blimbing",
        "Klojen",
        "Kedungkandang",
        "Sukun",
        "Lowokwaru",
    ]
    assert client.get("/api/wilayah/", {"jenis": "provinsi"}).json()["count"] == 38
    assert client.get("/api/wilayah/", {"q": "tarakan"}).json()["results"][0]["code"] == "65.71"


def test_region_api_bad_input(client_for):
    client = client_for(None)
    bad = client.get("/api/wilayah/35.7x/")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_region_code"
    missing = client.get("/api/wilayah/99.99/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_region"
    assert client.get("/api/wilayah/", {"induk": "x"}).status_code == 400
    unknown_kind = client.get("/api/wilayah/", {"jenis": "negara"})
    assert unknown_kind.status_code == 400
    assert unknown_kind.json()["error"]["code"] == "unknown_kind"
