"""The marketplace demo (issue 7): loaded after the regions and accounts, through the real
actions; a search for "tempeh" finds Kota Malang's Sanan tempe; Kota Tarakan's partner finder puts
Kota Malang first, for a reason of complementarity; loading again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation

from demo import loader
from demo import marketplace as demo
from marketplace import matchmaking
from marketplace.matchmaking import Code
from marketplace.models import Listing, ListingStatus
from search.models import SearchDocument
from tenants.demo import load_demo
from tenants.models import AuditEvent, Tenant

pytestmark = pytest.mark.django_db


def load(capture) -> None:
    with capture(execute=True):
        load_demo(stdout=io.StringIO())
        demo.load(stdout=io.StringIO())


def test_the_marketplace_demo_is_a_step_after_regions_and_agreements():
    steps = loader.steps()
    assert steps.index(demo.load) > steps.index(loader.agreements.load)


def test_the_marketplace_demo_is_found_matched_and_loads_twice_alike(
    django_capture_on_commit_callbacks, client_for, settings
):
    settings.LANGUAGE_CODE = "en"
    load(django_capture_on_commit_callbacks)

    listings = Listing.objects.filter(title__in=[item.title for item in demo.LISTINGS])
    assert listings.count() == len(demo.LISTINGS)
    assert set(listings.values_list("status", flat=True)) == {ListingStatus.PUBLISHED}
    assert SearchDocument.objects.filter(object_id__in=listings.values("pk")).count() == len(
        demo.LISTINGS
    )

    # Sanan tempe: for Kelurahan Purwantoro, by its lurah, published by the city's office.
    tempe = Listing.objects.get(title="Tempe Sanan dari Kelurahan Purwantoro")
    assert (tempe.tenant.region_id, tempe.area_id) == ("35.73", "35.73.01.1007")
    assert tempe.created_by.email == demo.LURAH_PURWANTORO
    published = AuditEvent.objects.get(action="listing.published", object_id=str(tempe.pk))
    assert published.actor.email == demo.OFFICE[demo.MALANG]

    # "tempeh" (a synonym) finds Malang's tempe, on the platform's search page.
    response = client_for(None).get(
        reverse("marketplace:search", urlconf="portal.urls_public"), {"q": "tempeh"}
    )
    found = [row.listing for row in response.context["rows"]]
    assert tempe in found
    assert {listing.tenant.region_id for listing in found} >= {"35.73", "65.71"}  # and the need
    facets = response.context["facets"]
    assert {o.code for o in facets["region"]} >= {"35.73", "65.71"}

    # Kota Tarakan's partner finder: Kota Malang first, for its tempe meeting Tarakan's need.
    tarakan = Tenant.objects.get(region_id=demo.TARAKAN)
    with translation.override("en"):
        suggestions = matchmaking.suggest_partners(tarakan)
    first = suggestions[0]
    assert first.tenant.region_id == demo.MALANG
    assert all(first.score > other.score for other in suggestions[1:])
    ours = [r for r in first.reasons if r.code == Code.OUR_NEED]
    assert ours and ours[0].listings[1].pk == tempe.pk
    assert "tempe" in ours[0].text
    assert any(r.code == Code.THEIR_NEED for r in first.reasons)  # Tarakan's crab for Malang

    # A second load keeps what is there and adds nothing.
    counts = (Listing.objects.count(), AuditEvent.objects.count())
    load(django_capture_on_commit_callbacks)
    assert (Listing.objects.count(), AuditEvent.objects.count()) == counts
