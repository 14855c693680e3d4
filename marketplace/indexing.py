"""The marketplace's documents for search: registered as a search source (apps.py), so the
`search` layer below never imports the marketplace."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from search.documents import IndexDocument, Source
from search.models import RegionLocation
from tenants.models import Tenant

from .models import Listing

DOC_TYPE = "listing"


def _indexed():
    """What the indexes hold: the published, valid listings of every region people work in
    (not being deleted). A suspended region's stay indexed, hidden at query time by the
    region-visibility rule (search.api.hidden_regions), so reactivating it needs no rebuild."""
    return Listing.objects.published().filter(tenant__in=Tenant.objects.live())


def _document(listing: Listing, locations: dict[str, RegionLocation]) -> IndexDocument:
    region = listing.tenant.region
    province = region.parent if region.parent_id else region
    location = locations.get(region.code)
    places = [region.full_name]
    if province.code != region.code:
        places.append(province.full_name)
    if listing.area_id:
        places.append(listing.area.full_name)
    return IndexDocument(
        doc_type=DOC_TYPE,
        object_id=listing.pk,
        title=listing.title,
        body=listing.description,
        places=" ".join(places),
        language=listing.language,
        kind=listing.kind,
        sector=listing.sector,
        urusan=listing.urusan,
        region_code=region.code,
        province_code=region.code.split(".")[0],
        region_kind=region.kind,
        area_code=listing.area_id or "",
        published_at=listing.published_at or listing.updated_at,
        valid_from=listing.valid_from,
        valid_until=listing.valid_until,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
    )


def build(ids: Iterable[int]) -> dict[int, IndexDocument]:
    """Documents for the listings among `ids` the indexes hold (`_indexed`)."""
    listings = list(
        _indexed().filter(pk__in=list(ids)).select_related("tenant__region__parent", "area")
    )
    codes = {listing.tenant.region_id for listing in listings}
    locations = {loc.region_id: loc for loc in RegionLocation.objects.filter(region_id__in=codes)}
    return {listing.pk: _document(listing, locations) for listing in listings}


def all_ids() -> Iterator[int]:
    return _indexed().order_by("pk").values_list("pk", flat=True).iterator(5000)


def count() -> int:
    return _indexed().count()


SOURCE = Source(doc_type=DOC_TYPE, build=build, all_ids=all_ids, count=count)
