"""Who an inquiry is written for by default: a member of a region (its administrator too) for
that region; someone of no region, or writing about their own region's listing, on their own
behalf (a third party)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import UserFactory
from marketplace.models import Inquiry
from tenants.models import Role

pytestmark = pytest.mark.django_db

PUBLIC = "portal.urls_public"


def inquire_url(pk: int) -> str:
    return reverse("marketplace:inquire", args=[pk], urlconf=PUBLIC)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_a_member_writes_for_their_region_by_default(
    batu, malang, member, make_listing, client_for, role
):
    listing = make_listing(malang, title="Tempe Sanan")
    user = member(batu, role)
    client = client_for(None, user)
    page = client.get(inquire_url(listing.pk))
    assert page.status_code == 200
    assert page.context["form"]["sender_tenant"].value() == batu.pk
    assert f'<option value="{batu.pk}" selected>' in page.content.decode()
    # Sending the form as it came: the inquiry is the region's.
    sent = client.post(
        inquire_url(listing.pk),
        {
            "sender_tenant": page.context["form"]["sender_tenant"].value(),
            "subject": "Pasokan",
            "body": "Berapa kapasitas per bulan?",
        },
    )
    assert sent.status_code == 302
    assert Inquiry.objects.get().sender_tenant == batu


def test_a_third_party_and_a_member_of_the_listings_region_write_on_their_own_behalf(
    malang, member, make_listing, client_for
):
    listing = make_listing(malang, title="Tempe Sanan")
    for user in (UserFactory(), member(malang, Role.ADMIN)):
        page = client_for(None, user).get(inquire_url(listing.pk))
        assert page.status_code == 200
        assert page.context["form"]["sender_tenant"].value() in (None, "")
        assert '<option value="" selected>' in page.content.decode()
