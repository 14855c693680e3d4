"""Published agreements and listings for the portal's tests, written as the public registry and
the marketplace leave them (public tables only)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cooperation.models import Cooperation, Kind, Stage
from marketplace.models import Listing, ListingKind, ListingStatus
from public_registry import cache as registry_cache
from public_registry.models import PublishedAgreement
from tenants.models import Region, Tenant


def published_agreement(
    title: str,
    regions: list[str],
    *,
    kind: str = Kind.KSDD_SUKARELA,
    urusan: list[str] | None = None,
    signed_on: date = date(2025, 3, 1),
    term_end: date | None = None,
    partner_names: list[str] | None = None,
    terminated: bool = False,
) -> PublishedAgreement:
    owner = Tenant.objects.filter(region_id=regions[0]).first()
    cooperation = Cooperation.objects.create(
        kind=kind, title=title, stage=Stage.KSB_SIGNED, signed_on=signed_on, owner=owner
    )
    now = timezone.now()
    names = {r.code: r.full_name for r in Region.objects.filter(code__in=regions)}
    registry_cache.bump()  # as a publication does (after its commit)
    record = PublishedAgreement(
        cooperation=cooperation,
        title=title,
        kind=kind,
        instrument="ksb",
        urusan=urusan or ["3.26"],
        stage=Stage.KSB_SIGNED,
        owner_region_id=regions[0],
        region_codes=regions,
        province_codes=sorted({code.split(".")[0] for code in regions}),
        partner_names=partner_names or [],
        parties_text=", ".join([*(names[c] for c in regions), *(partner_names or [])]),
        signed_on=signed_on,
        signed_year=signed_on.year,
        term_start=signed_on,
        term_end=term_end,
        terminated=terminated,
        published_at=now,
        modified_at=now,
    )
    record.fill_facet_keys()
    record.save()
    return record


def published_listing(tenant: Tenant, title: str, **fields) -> Listing:
    today = timezone.localdate()
    defaults = {
        "kind": ListingKind.PRODUCT,
        "description": "Deskripsi",
        "sector": "C",
        "urusan": "3.27",
        "contact_name": "Kontak",
        "valid_until": today + timedelta(days=90),
        "status": ListingStatus.PUBLISHED,
        "published_at": timezone.now(),
    }
    defaults.update(fields)
    return Listing.objects.create(tenant=tenant, title=title, **defaults)
