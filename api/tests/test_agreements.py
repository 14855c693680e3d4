"""Published agreements in the API: the public registry's list with its page's filters, one
record with its versions, a version's snapshot; drafts and unsigned agreements never appear."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cooperation.models import Cooperation
from public_registry import publishing
from public_registry.models import PublishedAgreement
from public_registry.tests.test_views import signed
from tenants.models import Role

from .conftest import api, assert_error, token_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(malang, batu):
    return {
        "waste": signed(malang, "KSB Pengelolaan Sampah Malang Raya", document=True),
        "tourism": signed(
            batu,
            "KSB Pariwisata Batu",
            partner="35.73",
            urusan=("3.26",),
            signed_on=datetime.date(2024, 3, 1),
            term_end=TODAY + datetime.timedelta(days=30),
        ),
        "unsigned": Cooperation.objects.create(
            kind="ksdd_sukarela", title="Rancangan rahasia", urusan=["1.03"], owner=malang
        ),
    }


def ids(body) -> list[int]:
    return [row["id"] for row in body["results"]]


def test_the_list_filters_as_the_registry_page_does(world):
    waste = PublishedAgreement.objects.get(cooperation=world["waste"])
    tourism = PublishedAgreement.objects.get(cooperation=world["tourism"])
    client = api()
    body = client.get("/api/v1/agreements/").json()
    assert ids(body) == [waste.pk, tourism.pk] and body["count"] == 2  # newest signed first
    assert "Rancangan rahasia" not in str(body)
    assert ids(client.get("/api/v1/agreements/", {"urusan": "3.26"}).json()) == [tourism.pk]
    assert ids(client.get("/api/v1/agreements/", {"status": "expiring"}).json()) == [tourism.pk]
    assert ids(client.get("/api/v1/agreements/", {"year": "2024"}).json()) == [tourism.pk]
    assert ids(client.get("/api/v1/agreements/", {"q": "sampah"}).json()) == [waste.pk]
    assert ids(client.get("/api/v1/agreements/", {"sort": "oldest"}).json()) == [
        tourism.pk,
        waste.pk,
    ]
    both = client.get("/api/v1/agreements/", {"region": ["35.79"]}).json()
    assert set(ids(both)) == {waste.pk, tourism.pk}  # Batu is a party to both
    row = body["results"][0]
    assert row["status"] == "in_force" and row["url"].endswith(f"/kerja-sama/{waste.pk}/")
    statuses = {o["code"]: o["count"] for o in body["facets"]["status"]}
    assert statuses == {"in_force": 1, "expiring": 1}


def test_the_list_refuses_what_it_cannot_do():
    assert_error(api().get("/api/v1/agreements/", {"sort": "random"}), 400, "invalid")
    assert_error(api().get("/api/v1/agreements/", {"page": "0"}), 400, "invalid")


def test_one_record_with_its_versions_and_documents(world):
    waste = PublishedAgreement.objects.get(cooperation=world["waste"])
    world["waste"].title = "KSB Pengelolaan Sampah Terpadu Malang Raya"
    world["waste"].save(update_fields=["title"])
    publishing.publish(world["waste"], reason="amended")
    body = api().get(f"/api/v1/agreements/{waste.pk}/").json()
    assert body["title"] == "KSB Pengelolaan Sampah Terpadu Malang Raya"
    assert body["version"] == 2 and [v["number"] for v in body["versions"]] == [2, 1]
    assert body["record"]["parties"][0]["region"] == "35.73"
    assert len(body["documents"][0]["sha256"]) == 64 and body["documents"][0]["url"]
    first = api().get(body["versions"][1]["url"].split("localhost:8000")[-1])
    assert first.status_code == 200
    assert first.json()["record"]["title"] == "KSB Pengelolaan Sampah Malang Raya"
    # Short-lived: a later withholding changes what of a version is served.
    assert first["Cache-Control"] == "public, max-age=300"


def test_what_is_not_published_does_not_exist(world, malang, member):
    assert_error(api().get("/api/v1/agreements/999999/"), 404, "not_found")
    record = PublishedAgreement.objects.get(cooperation=world["waste"])
    assert_error(api().get(f"/api/v1/agreements/{record.pk}/versions/9/"), 404, "not_found")
    # A token changes nothing: the API serves published snapshots only, to everyone alike.
    raw = token_of(member(malang, Role.ADMIN), malang)
    assert "Rancangan rahasia" not in api(token=raw).get("/api/v1/agreements/").content.decode()
