"""Bulk downloads of the marketplace (the platform, /pasar/unduh/<fmt>/): every listing the
public search shows, with the fields the listing's public page shows, as CSV or JSON."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import downloads

from . import actions, selectors
from .models import ListingPhoto

# The columns, in a stable order (new ones go at the end): what the publisher fills in, every
# field of which the listing's public page shows (marketplace/_listing_facts.html, the contact
# included), then where it is and when it was published. test_downloads.py pins the list, so a
# field added to actions.FIELDS is looked at before it is published here.
EXPORT_FIELDS = (
    "id",
    "url",
    *actions.FIELDS,
    "area_name",
    "province",
    "region",
    "region_name",
    "published_at",
    "photos",
)


def _field(listing, name: str):
    """A publisher's field as the file holds it: codes, numbers, ISO dates."""
    if name == "area":
        return listing.area_id or ""
    value = getattr(listing, name)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _export_rows(request, filters):
    listings = (
        selectors.searchable_listings(filters, today=timezone.localdate())
        .select_related("tenant__region", "area")
        .prefetch_related(
            Prefetch("photos", queryset=ListingPhoto.objects.order_by("uploaded_at", "id"))
        )
        .order_by("id")
    )
    base = request.build_absolute_uri("/")[:-1]
    for listing in listings.iterator(chunk_size=2000):
        region = listing.tenant.region
        yield {
            "id": listing.pk,
            "url": base + reverse("marketplace:detail", args=[listing.pk]),
            **{name: _field(listing, name) for name in actions.FIELDS},
            "area_name": listing.area.full_name if listing.area_id else "",
            "province": listing.province_code,
            "region": region.code,
            "region_name": region.full_name,
            "published_at": listing.published_at.isoformat() if listing.published_at else None,
            "photos": [
                base + reverse("marketplace:photo", args=[listing.pk, photo.pk])
                for photo in listing.photos.all()
            ],
        }


@require_GET
def bulk_download(request, fmt: str):
    """?province=&region=&region_kind=&kind=&sector=&urusan= as on the search page (its words,
    sort and page do not apply: every matching listing is in the file)."""
    if fmt not in downloads.FORMATS:
        raise Http404
    rows = _export_rows(request, selectors.filters_from(request.GET))
    return downloads.streaming_download(rows, fmt=fmt, fields=EXPORT_FIELDS, name="pasar")
