"""A region that is not active leaves search at once: its listings are gone from the results and
from every facet count the moment it is suspended or its deletion is scheduled, and come back
when it is reactivated or restored, without a reindex. Elasticsearch gets the index work through
the outbox; a purged region leaves the PostgreSQL index in the purge's transaction."""

from __future__ import annotations

import pytest

from marketplace import selectors
from search.api import build_request, hidden_regions, search_listings
from search.models import IndexTask, SearchDocument
from search.query import Filters
from tenants import region_lifecycle, signals
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def found(text="", **filters):
    results = search_listings(build_request(text=text, filters=Filters(**filters)))
    facets = {name: {v.code: v.count for v in values} for name, values in results.facets.items()}
    return results, facets


@pytest.fixture
def two_regions(malang, batu, make_listing):
    malang_listing = make_listing(malang, title="Tempe Sanan")
    batu_listing = make_listing(batu, title="Tempe Batu")
    return malang_listing, batu_listing


def test_a_suspended_region_leaves_results_and_every_facet_at_once(
    malang, batu, staff_user, two_regions
):
    results, facets = found("tempe")
    assert results.total == 2 and facets["region"] == {"35.73": 1, "35.79": 1}
    region_lifecycle.suspend_tenant(tenant=batu, acting_user=staff_user, reason="Audit BPK")
    results, facets = found("tempe")
    assert [h.object_id for h in results.hits] == [two_regions[0].pk]
    assert results.total == 1
    assert facets["region"] == {"35.73": 1}
    assert facets["province"] == {"35": 1} and facets["kind"] == {"product": 1}
    # Even when asked for by name, and with no words at all.
    assert found(region=("35.79",))[0].total == 0
    assert found()[1]["region"] == {"35.73": 1}
    # The index still holds it (no reindex is needed to bring it back).
    assert SearchDocument.objects.filter(object_id=two_regions[1].pk).exists()
    region_lifecycle.reactivate_tenant(
        tenant=Tenant.objects.get(pk=batu.pk), acting_user=staff_user
    )
    assert found("tempe")[0].total == 2


def test_a_region_being_deleted_leaves_search_and_a_restored_one_returns(
    batu, staff_user, two_regions
):
    region_lifecycle.schedule_deletion(
        tenant=batu, acting_user=staff_user, confirmation=batu.schema_name
    )
    assert hidden_regions() == ("35.79",)
    assert found("tempe")[1]["region"] == {"35.73": 1}
    region_lifecycle.restore_tenant(tenant=Tenant.objects.get(pk=batu.pk), acting_user=staff_user)
    assert hidden_regions() == ()
    assert found("tempe")[1]["region"] == {"35.73": 1, "35.79": 1}


def test_the_search_page_counts_only_active_regions(batu, staff_user, two_regions, client_for):
    region_lifecycle.suspend_tenant(tenant=batu, acting_user=staff_user, reason="Audit BPK")
    response = client_for(None).get("/pasar/", {"q": "tempe"})
    assert response.context["results"].total == 1
    assert [r.listing.title for r in response.context["rows"]] == ["Tempe Sanan"]
    assert {o.code for o in response.context["facets"]["region"]} == {"35.73"}
    assert "Tempe Batu" not in response.content.decode()


def test_a_status_change_leaves_index_work_for_elasticsearch(batu, staff_user, two_regions):
    IndexTask.objects.all().delete()
    region_lifecycle.suspend_tenant(tenant=batu, acting_user=staff_user, reason="Audit BPK")
    assert list(IndexTask.objects.pending().values_list("doc_type", "object_id")) == [
        ("listing", two_regions[1].pk)
    ]
    IndexTask.objects.all().delete()
    # Saving the tenant for anything else leaves nothing.
    batu.refresh_from_db()
    batu.name = batu.name
    batu.save(update_fields=["name"])
    assert not IndexTask.objects.exists()


def test_a_purged_region_leaves_the_postgresql_index_and_queues_elasticsearch(batu, two_regions):
    IndexTask.objects.all().delete()
    region = Tenant.objects.get(pk=batu.pk).region
    # What tenants.region_lifecycle.purge_tenant sends inside its transaction.
    signals.region_deleting.send(sender=Tenant, tenant=batu, region=region)
    assert not SearchDocument.objects.filter(region_code="35.79").exists()
    assert SearchDocument.objects.filter(region_code="35.73").exists()
    assert list(IndexTask.objects.values_list("object_id", flat=True)) == [two_regions[1].pk]


def test_selectors_drop_a_hit_whose_listing_is_no_longer_public(malang, make_listing):
    listing = make_listing(malang, title="Tempe Sanan")
    listing.status = "archived"
    listing.save(update_fields=["status"])  # behind the index's back
    results, rows, _ = selectors.search(text="tempe", filters=Filters(), sort="", near="", page=1)
    assert results.total == 1 and rows == []
