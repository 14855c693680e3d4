"""The camat and lurah network: camat and lurah of other regions, found by their area (its kind,
its name, its province) and by what their area publishes in the marketplace (kinds of listing,
KBLI sectors), so they talk directly through an inquiry about one of those listings
(marketplace/inquiries.py; there is no second messaging system).

What a peer shows is what they chose to put on their account and what their region gave them:
their name as they wrote it, their role and their area, and the public listings of their area.
Never an e-mail address, never an unpublished listing. A camat's area is their kecamatan and the
desa/kelurahan in it; a lurah's their desa/kelurahan.

Queries per page do not grow with the platform: one count, one page of peers (their area's
listings counted in two subqueries, each an index lookup: the listing's area, the desa's parent
kecamatan), one query for the page's listings. Ordering by what an area publishes counts it for
every peer that matches the filters before the page is cut: with every camat and lurah of the
country signed up that is one index lookup pair per peer, which the filters keep small.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from tenants.models import Membership, Role, Tenant

from .models import Listing

PAGE_SIZE = 25
AREA_KINDS = ("kecamatan", "kelurahan", "desa", "desa_adat")


@dataclass(frozen=True)
class PeerFilters:
    area_kind: str = ""
    name: str = ""
    province: str = ""
    kind: str = ""
    sector: str = ""


@dataclass
class Peer:
    name: str
    role: str
    area: str
    region: str
    province: str
    area_code: str
    listings: list[Listing] = field(default_factory=list)


def _area_listings(listings, *, outer: str = "area_id"):
    """Two ways a public listing is in the area named by the outer row's `outer`: its area is
    that area, or its area is a desa/kelurahan of that kecamatan (the desa's parent). Kept as
    two equality lookups, each answered by an index (the listing's area, the region's parent),
    rather than one prefix match that would read every listing for every peer."""
    return (
        listings.filter(area_id=OuterRef(outer)),
        listings.filter(area__parent_id=OuterRef(outer)),
    )


def _count(listings):
    counted = listings.order_by().values(dummy=Value(1)).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _listings(filters: PeerFilters):
    listings = Listing.objects.public()
    if filters.kind:
        listings = listings.filter(kind=filters.kind)
    if filters.sector:
        listings = listings.filter(sector=filters.sector)
    return listings


def peer_memberships(*, exclude_tenant_id: int | None, filters: PeerFilters):
    """Camat and lurah of every other region the public may see (one rule:
    Tenant.objects.publicly_visible), those whose area publishes what the filters ask for
    first, then by area name."""
    memberships = (
        Membership.objects.filter(
            role__in=(Role.CAMAT, Role.LURAH), area__isnull=False, user__is_active=True
        )
        .filter(tenant__in=Tenant.objects.publicly_visible())
        .select_related("user", "area", "tenant__region__parent")
    )
    if exclude_tenant_id is not None:
        memberships = memberships.exclude(tenant_id=exclude_tenant_id)
    if filters.area_kind:
        memberships = memberships.filter(area__kind=filters.area_kind)
    if filters.name:
        memberships = memberships.filter(area__name__icontains=filters.name)
    if filters.province:
        memberships = memberships.filter(area__code__startswith=f"{filters.province}.")
    own, below = _area_listings(_listings(filters))
    if filters.kind or filters.sector:
        memberships = memberships.filter(Exists(own) | Exists(below))
    return memberships.annotate(published=_count(own) + _count(below)).order_by(
        "-published", "area__name", "pk"
    )


def find_peers(*, exclude_tenant_id: int | None, filters: PeerFilters, page: int | str = 1):
    """A page of peers, each with their area's public listings (the filtered ones)."""
    paginator = Paginator(
        peer_memberships(exclude_tenant_id=exclude_tenant_id, filters=filters), PAGE_SIZE
    )
    page_obj = paginator.get_page(page)
    memberships = list(page_obj.object_list)
    areas = {m.area_id for m in memberships}
    listings = []
    if areas:
        listings = list(
            _listings(filters)
            .filter(Q(area_id__in=areas) | Q(area__parent_id__in=areas))
            .select_related("area")
            .order_by("title", "pk")
        )
    peers = []
    for m in memberships:
        region = m.tenant.region
        peers.append(
            Peer(
                name=m.user.full_name.strip(),
                role=m.get_role_display(),
                area=m.area.full_name,
                region=m.tenant.name,
                province=region.parent.full_name if region and region.parent else "",
                area_code=m.area_id,
                listings=[
                    item for item in listings if m.area_id in (item.area_id, item.area.parent_id)
                ],
            )
        )
    return page_obj, peers
