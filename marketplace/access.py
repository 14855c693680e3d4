"""Getting one listing for a person: what they may not see does not exist for them."""

from __future__ import annotations

from django.http import Http404

from tenants.models import Membership
from tenants.policy import role_allows

from .models import Listing, ListingPhoto
from .policy import MarketplacePerm


def get_region_listing(membership: Membership | None, pk: int) -> Listing:
    """A listing of the member's own region, in any status. Another region's listing, or one
    that does not exist, is Http404 alike."""
    if membership is None or not role_allows(membership.role, MarketplacePerm.VIEW_LISTINGS):
        raise Http404
    listing = (
        Listing.objects.select_related("tenant__region", "area", "created_by")
        .filter(pk=pk, tenant_id=membership.tenant_id)
        .first()
    )
    if listing is None:
        raise Http404
    return listing


def get_public_listing(pk: int) -> Listing:
    """A public listing (Listing.objects.public: published, valid, of a region the public may
    see); anything else is Http404, whoever asks (its own region sees it on its subdomain). A
    suspended region's listings leave this page as they leave search and every other public
    page, and take no inquiry."""
    listing = (
        Listing.objects.public()
        .select_related("tenant__region__parent", "area")
        .filter(pk=pk)
        .first()
    )
    if listing is None:
        raise Http404
    return listing


def get_photo(listing: Listing, photo_pk: int) -> ListingPhoto:
    photo = ListingPhoto.objects.filter(pk=photo_pk, listing=listing).first()
    if photo is None:
        raise Http404
    return photo
