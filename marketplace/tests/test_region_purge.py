"""A region purged for good takes its listings with it, and the inquiries about them (the threads
were with the region; the final export keeps its side). Another region's own listings and the
inquiries it sent about them stay."""

import pytest
from django.utils import timezone

from conftest import UserFactory
from marketplace import inquiries
from marketplace.models import Inquiry, Listing
from tenants.models import Role, Tenant, TenantExport
from tenants.region_lifecycle import purge_tenant, schedule_deletion

pytestmark = pytest.mark.django_db


def test_purging_a_region_with_inquiries_about_its_listings(
    malang, batu, member, make_listing, staff_user, django_capture_on_commit_callbacks
):
    tempe = make_listing(malang)
    apples = make_listing(batu, title="Apel Batu")
    buyer = UserFactory(email="pembeli@contoh.test")
    about_tempe = inquiries.send_inquiry(
        user=buyer, listing=tempe, subject="Tempe", body="Berapa kapasitasnya?"
    )
    about_apples = inquiries.send_inquiry(
        user=buyer, listing=apples, subject="Apel", body="Berapa harganya?"
    )

    with django_capture_on_commit_callbacks(execute=True):
        schedule_deletion(tenant=malang, acting_user=staff_user, confirmation="kota_malang")
    assert TenantExport.objects.filter(tenant=malang, state="ready").exists()
    Tenant.objects.filter(pk=malang.pk).update(purge_after=timezone.now())
    malang.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        purge_tenant(tenant=malang)

    assert not Tenant.objects.filter(pk=malang.pk).exists()
    assert not Listing.objects.filter(pk=tempe.pk).exists()
    assert not Inquiry.objects.filter(pk=about_tempe.pk).exists()
    assert Inquiry.objects.filter(pk=about_apples.pk).exists()
    assert Listing.objects.filter(pk=apples.pk).exists()
    assert member(batu, Role.ADMIN)  # Batu's region is untouched
