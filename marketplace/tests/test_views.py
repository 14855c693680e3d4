"""The marketplace's pages: the public search and listing pages on the platform, a region's
listings, editing and moderation on its subdomain. Anonymous, wrong role, another region
(404, the same as a missing listing), staff and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Listing, ListingStatus
from tenants.models import Role

from .conftest import image_bytes

pytestmark = pytest.mark.django_db

PUBLIC = "portal.urls_public"
REGION = "portal.urls_tenant"


def public_url(name, *args):
    return reverse(f"marketplace:{name}", args=args, urlconf=PUBLIC)


def region_url(name, *args):
    return reverse(f"marketplace_region:{name}", args=args, urlconf=REGION)


# --- The platform's public pages -----------------------------------------------------------


def test_search_page_shows_highlighted_public_listings_with_facets(
    malang, batu, make_listing, client_for
):
    make_listing(malang, title="Tempe Sanan")
    make_listing(batu, title="Tempe Batu", status=ListingStatus.DRAFT)
    make_listing(
        batu,
        title="Wisata petik apel",
        kind="potential",
        potential_type="tourism",
        description="Agrowisata apel di Kota Batu.",
    )
    response = client_for(None).get(public_url("search"), {"q": "tempeh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Tempe</mark> Sanan" in html
    assert "Tempe Batu" not in html  # a draft is never found
    assert response.context["results"].total == 1
    kinds = {o.code: o.count for o in response.context["facets"]["kind"]}
    assert kinds == {"product": 1}


def test_search_filters_combine_from_the_query_string(malang, batu, make_listing, client_for):
    make_listing(malang, title="Tempe Sanan")
    make_listing(batu, title="Tempe Batu")
    response = client_for(None).get(
        public_url("search"), {"q": "tempe", "region": "35.79", "kind": ["product", "need"]}
    )
    assert [r.listing.title for r in response.context["rows"]] == ["Tempe Batu"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 20_000},
        {"q": "'; DROP TABLE marketplace_listing; --"},
        {"q": "tempe", "page": "99999"},
        {"q": "tempe", "page": "-1'"},
        {"q": "tempe", "sort": "distance", "near": "99.99"},
        {"sort": "<script>"},
        {"region": "x" * 500, "kind": "\x00"},
    ],
    ids=[
        "very-long",
        "sql",
        "page-too-far",
        "page-garbage",
        "near-unknown",
        "sort-garbage",
        "filter-garbage",
    ],
)
def test_bad_search_input_gets_a_page_not_an_error(malang, make_listing, client_for, params):
    make_listing(malang)
    response = client_for(None).get(public_url("search"), params)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "results" in response.context


def test_public_detail_shows_only_public_listings(malang, make_listing, client_for):
    published = make_listing(malang)
    client = client_for(None)
    assert client.get(public_url("detail", published.pk)).status_code == 200
    for status in (ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.ARCHIVED):
        hidden = make_listing(malang, status)
        assert client.get(public_url("detail", hidden.pk)).status_code == 404
    assert client.get(public_url("detail", 999_999)).status_code == 404
    Listing.objects.filter(pk=published.pk).update(valid_until="2020-01-01")
    assert client.get(public_url("detail", published.pk)).status_code == 404


def test_a_suspended_regions_listing_leaves_its_public_page_as_it_leaves_search(
    malang, make_listing, client_for, staff_user
):
    from tenants.region_lifecycle import reactivate_tenant, suspend_tenant

    listing = make_listing(malang)
    client = client_for(None)
    suspend_tenant(tenant=malang, acting_user=staff_user, reason="Pemeriksaan")
    assert client.get(public_url("detail", listing.pk)).status_code == 404
    reactivate_tenant(tenant=malang, acting_user=staff_user)
    assert client.get(public_url("detail", listing.pk)).status_code == 200


# --- A region's subdomain ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(malang, client_for):
    response = client_for(malang).get(region_url("list"))
    assert response.status_code == 302 and "/akun/sesi/" in response["Location"]


def test_another_regions_listing_is_not_found_even_for_its_administrator(
    malang, batu, member, make_listing, client_for, staff_user
):
    listing = make_listing(malang, ListingStatus.DRAFT)
    batu_admin = member(batu, Role.ADMIN)
    client = client_for(batu, batu_admin)
    for name in ("detail", "edit"):
        assert client.get(region_url(name, listing.pk)).status_code == 404
    for name in ("submit", "publish", "archive"):
        assert client.post(region_url(name, listing.pk)).status_code == 404
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT
    # Staff are not members: not found, like anything else in a region's workspace.
    assert client_for(malang, staff_user).get(region_url("list")).status_code == 404


def test_wrong_roles_are_refused(malang, member, make_listing, client_for):
    listing = make_listing(malang, ListingStatus.SUBMITTED)
    viewer = client_for(malang, member(malang, Role.VIEWER))
    assert viewer.get(region_url("create")).status_code == 403
    assert viewer.post(region_url("publish", listing.pk)).status_code == 403
    opd = client_for(malang, member(malang, Role.OPD, opd="Bappeda"))
    assert opd.get(region_url("moderation")).status_code == 403
    assert opd.post(region_url("publish", listing.pk)).status_code == 403
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_a_lurah_creates_for_their_kelurahan_and_bad_input_writes_nothing(
    malang, member, client_for
):
    client = client_for(malang, member(malang, Role.LURAH, area="35.73.01.1007"))
    assert client.get(region_url("create")).status_code == 200
    bad = client.post(region_url("create"), {"title": "", "area": "35.73.02.1001"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) >= {"title", "area", "kind", "valid_until"}
    assert not Listing.objects.exists()
    good = client.post(
        region_url("create"),
        {
            "kind": "product",
            "title": "Tempe Sanan",
            "description": "Tempe kedelai.",
            "sector": "C",
            "urusan": "3.31",
            "area": "35.73.01.1007",
            "quantity": "100",
            "unit": "kg",
            "contact_name": "Lurah",
            "contact_phone": "0341",
            "valid_until": "2099-01-01",
            "language": "id",
        },
    )
    assert good.status_code == 400  # too far ahead: the action's rule, shown by the field
    assert [e.code for e in good.context["form"].errors.as_data()["valid_until"]] == [
        "validity_too_long"
    ]
    ok = client.post(
        region_url("create"),
        {
            "kind": "product",
            "title": "Tempe Sanan",
            "description": "Tempe kedelai.",
            "sector": "C",
            "urusan": "3.31",
            "area": "35.73.01.1007",
            "quantity": "100",
            "unit": "kg",
            "contact_name": "Lurah",
            "contact_phone": "0341",
            "valid_until": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "language": "id",
        },
    )
    listing = Listing.objects.get()
    assert ok.status_code == 302 and ok["Location"] == region_url("detail", listing.pk)
    assert (listing.area_id, listing.status) == ("35.73.01.1007", ListingStatus.DRAFT)


def test_the_office_moderates_from_its_queue(malang, member, make_listing, client_for):
    listing = make_listing(malang, ListingStatus.SUBMITTED)
    client = client_for(malang, member(malang, Role.ADMIN))
    queue = client.get(region_url("moderation"))
    assert [x.pk for x in queue.context["listings"]] == [listing.pk]
    empty_reason = client.post(region_url("return", listing.pk), {"reason": " "})
    assert empty_reason.status_code == 400
    assert client.post(region_url("publish", listing.pk)).status_code == 302
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    again = client.post(region_url("publish", listing.pk))
    assert again.status_code == 409


def test_photo_upload_refuses_what_is_not_an_image_and_serves_what_is(
    malang, member, make_listing, client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing = make_listing(malang, ListingStatus.DRAFT)
    client = client_for(malang, member(malang, Role.ADMIN))
    refused = client.post(
        region_url("photo_add", listing.pk),
        {"image": SimpleUploadedFile("x.jpg", b"GIF89a nope", content_type="image/jpeg")},
    )
    assert refused.status_code == 400
    assert [e.code for e in refused.context["photo_form"].errors.as_data()["image"]] == [
        "photo_not_image"
    ]
    added = client.post(
        region_url("photo_add", listing.pk),
        {"image": SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png")},
    )
    assert added.status_code == 302
    photo = listing.photos.get()
    served = client.get(region_url("photo", listing.pk, photo.pk))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    # Not public yet: the platform does not serve it.
    assert client_for(None).get(public_url("photo", listing.pk, photo.pk)).status_code == 404


def test_an_oversized_upload_is_refused_from_its_declared_length(
    malang, member, make_listing, client_for, settings
):
    settings.JEJARING_LISTING_PHOTO_MAX_BYTES = 1000
    listing = make_listing(malang, ListingStatus.DRAFT)
    client = client_for(malang, member(malang, Role.ADMIN))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        region_url("photo_add", listing.pk),
        {"image": SimpleUploadedFile("x.jpg", b"0" * 200_000, content_type="image/jpeg")},
    )
    assert response.status_code == 413
    assert not listing.photos.exists()
