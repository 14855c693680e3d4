"""Reads of the marketplace: a region's listings, the moderation queue, search results with
their listings and the facets' labels."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, F, Func, Prefetch, Value
from django.utils.translation import gettext as _

from cooperation import urusan
from search.api import build_request, hidden_regions, search_listings
from search.query import FACETS, Filters, Hit, SearchResults
from tenants.models import Region, RegionKind, Tenant

from . import kbli
from .models import Listing, ListingKind, ListingPhoto, ListingStatus


def region_listings(tenant: Tenant, *, status: str = ""):
    listings = Listing.objects.of_region(tenant).select_related("area", "created_by")
    if status in ListingStatus.values:
        listings = listings.filter(status=status)
    return listings.annotate(photo_count=Count("photos"))


def moderation_queue(tenant: Tenant):
    return (
        Listing.objects.of_region(tenant)
        .awaiting_moderation()
        .select_related("area", "created_by")
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class Result:
    hit: Hit
    listing: Listing


@dataclass(frozen=True)
class FacetOption:
    code: str
    label: str
    count: int
    selected: bool


def _first_photos():
    return Prefetch("photos", queryset=ListingPhoto.objects.order_by("uploaded_at", "id"))


def search(
    *, text: str, filters: Filters, sort: str, near: str, page
) -> tuple[SearchResults, list[Result], dict[str, list[FacetOption]]]:
    """Search public listings, whichever backend answers; the hits come back with their
    listings (re-read as public: a hit the index still holds for a listing unpublished a
    moment ago is dropped, never shown) and the facets with their labels."""
    results = search_listings(
        build_request(text=text, filters=filters, sort=sort, near=near, page=page)
    )
    ids = [hit.object_id for hit in results.hits]
    listings = {
        listing.pk: listing
        for listing in Listing.objects.public()
        .filter(pk__in=ids)
        .select_related("tenant__region", "area")
        .prefetch_related(_first_photos())
    }
    rows = [Result(h, listings[h.object_id]) for h in results.hits if h.object_id in listings]
    return results, rows, facet_options(results, filters)


def _labeller(region_codes):
    """label(facet, code): a facet value's label (one query for the regions' names)."""
    names = dict(Region.objects.filter(code__in=set(region_codes)).values_list("code", "name"))
    kinds = dict(ListingKind.choices)
    region_kinds = dict(RegionKind.choices)

    def label(name: str, code: str) -> str:
        if name == "province":
            return f"Provinsi {names.get(code, code)}"
        if name == "region":
            return names.get(code, code)
        if name == "region_kind":
            return str(region_kinds.get(code, code))
        if name == "kind":
            return str(kinds.get(code, code))
        if name == "sector":
            return kbli.label(code)
        return urusan.label(code)

    return label


def describe_filters(filters: dict[str, list[str]]) -> list[tuple[str, str]]:
    """A saved search's filters in words: [(facet title, "value, value")]."""
    label = _labeller(code for name in ("province", "region") for code in filters.get(name, []))
    titles = facet_titles()
    return [
        (titles[name], ", ".join(label(name, code) for code in filters[name]))
        for name in FACETS
        if filters.get(name)
    ]


def facet_options(results: SearchResults, filters: Filters) -> dict[str, list[FacetOption]]:
    label = _labeller(
        value.code for name in ("province", "region") for value in results.facets.get(name, [])
    )
    return {
        name: [
            FacetOption(v.code, label(name, v.code), v.count, v.code in getattr(filters, name))
            for v in results.facets.get(name, [])
        ]
        for name in FACETS
    }


def facet_titles() -> dict[str, str]:
    return {
        "province": _("Province"),
        "region": _("Region"),
        "region_kind": _("Kind of region"),
        "kind": _("Kind of listing"),
        "sector": _("Sector (KBLI 2020)"),
        "urusan": _("Urusan"),
    }


# A facet of the search, as a filter on the listings themselves (search/backends: COLUMNS).
_LISTING_FILTERS = {
    "province": "province_code",
    "region": "tenant__region_id",
    "region_kind": "tenant__region__kind",
    "kind": "kind",
    "sector": "sector",
    "urusan": "urusan",
}


def searchable_listings(filters: Filters, today=None):
    """Every listing the public search shows for `filters` (no words, no page): public
    (published, valid) and of an active region (search.api.hidden_regions), filtered as the
    search filters its documents. For the bulk downloads, which hold more than a search's
    pages."""
    listings = (
        Listing.objects.public(today)
        .exclude(tenant__region_id__in=hidden_regions())
        .annotate(
            # The search's province code: the region code's first part (marketplace/indexing.py).
            province_code=Func(
                F("tenant__region_id"),
                Value("."),
                Value(1),
                function="split_part",
                output_field=CharField(),
            )
        )
    )
    for name, values in filters.items():
        listings = listings.filter(**{f"{_LISTING_FILTERS[name]}__in": values})
    return listings


def filters_from(querydict) -> Filters:
    """Filters from a query string (?kind=product&kind=need&province=35); unknown values are
    kept as codes that simply match nothing, lengths bounded."""

    def values(name: str) -> tuple[str, ...]:
        return tuple(v[:13] for v in querydict.getlist(name)[:20] if v)

    return Filters(**{name: values(name) for name in FACETS})


def regions_for_distance():
    """Provinces, kabupaten and kota with a known location, to measure distance from."""
    return (
        Region.objects.autonomous()
        .filter(location__isnull=False)
        .order_by("name")
        .values_list("code", "name", "kind")
    )
