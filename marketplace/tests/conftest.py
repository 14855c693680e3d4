"""Fixtures of the marketplace's tests: a valid listing's fields and listings in each status."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from marketplace import actions
from marketplace.models import Listing, ListingKind, ListingStatus
from tenants.models import Membership, Region, Role


def listing_fields(**overrides) -> dict:
    fields = {
        "kind": ListingKind.PRODUCT,
        "potential_type": "",
        "title": "Tempe Sanan",
        "description": "Tempe kedelai dari sentra tempe Sanan, Purwantoro. Kapasitas besar.",
        "sector": "C",
        "urusan": "3.31",
        "area": Region.objects.get(code="35.73.01.1007"),
        "quantity": 2000,
        "unit": "kg per bulan",
        "price_min": 12000,
        "price_max": 15000,
        "contact_name": "Pak Lurah",
        "contact_phone": "0341 123456",
        "contact_email": "",
        "valid_from": None,
        "valid_until": timezone.localdate() + timedelta(days=90),
        "language": "id",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def fields():
    return listing_fields


class _Inner:
    """The marketplace's actions' inner functions (core.actions.top_level's `.inner`)."""

    def __init__(self, module):
        self.module = module

    def __getattr__(self, name):
        return getattr(self.module, name).inner


@pytest.fixture
def make_listing(member):
    """make_listing(tenant, status="published", **fields) -> Listing, through the actions
    (inner=True: their inner functions, for a test that makes one inside its own transaction;
    the actions themselves are top-level, core.actions)."""

    def make(
        tenant, status: str = ListingStatus.PUBLISHED, *, publisher=None, inner=False, **overrides
    ):
        act = _Inner(actions) if inner else actions
        if "area" not in overrides and tenant.region_id != "35.73":
            overrides["area"] = None
        admin = member(tenant, Role.ADMIN)
        admin_ms = Membership.objects.get(user=admin, tenant=tenant)
        publisher_ms = (
            Membership.objects.get(user=publisher, tenant=tenant) if publisher else admin_ms
        )
        fields = listing_fields(**overrides)
        listing = act.create_listing(membership=publisher_ms, fields=fields)
        if status == ListingStatus.DRAFT:
            return listing
        act.submit_listing(membership=publisher_ms, listing=listing)
        if status == ListingStatus.SUBMITTED:
            return Listing.objects.get(pk=listing.pk)
        if status == ListingStatus.RETURNED:
            act.return_listing(membership=admin_ms, listing=listing, reason="Kurang foto")
            return Listing.objects.get(pk=listing.pk)
        act.publish_listing(membership=admin_ms, listing=listing)
        if status == ListingStatus.ARCHIVED:
            act.archive_listing(membership=admin_ms, listing=listing)
        return Listing.objects.get(pk=listing.pk)

    return make


def image_bytes(fmt: str = "JPEG", size=(2400, 1800), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "KameraRahasia"  # Make
        data[0x0131] = "Perangkat lunak"  # Software
        kwargs["exif"] = data
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def photo_upload():
    def make(name="foto.jpg", **kwargs) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")

    return make


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """These tests read the interface's and the e-mails' English source texts; the product's
    default language is Indonesian (the catalogues' completeness is tested in portal/tests)."""
    settings.LANGUAGE_CODE = "en"
