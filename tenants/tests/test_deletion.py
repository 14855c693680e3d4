"""Deleting a region: a final export, then a grace period (JEJARING_DELETION_GRACE_DAYS) in which
the region is closed to its members and staff can restore it; `purge_deleted_regions` drops it
afterwards."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_exists

from tenants.models import (
    AuditEvent,
    Domain,
    ExportState,
    Membership,
    Role,
    Tenant,
    TenantExport,
    TenantStatus,
)
from tenants.policy import Perm, has_perm
from tenants.region_lifecycle import purge_deleted_regions, schedule_deletion, tenant_media_dir

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"platform:{name}", args=args, urlconf="portal.urls_public")


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def delete(client, tenant, capture, confirmation=None):
    with capture(execute=True):
        return client.post(
            url("tenant_delete", tenant.pk), {"confirmation": confirmation or tenant.schema_name}
        )


def test_delete_needs_the_exact_schema_name(client_for, malang, staff_user, english):
    response = client_for(None, staff_user).post(
        url("tenant_delete", malang.pk), {"confirmation": "kota-malang"}
    )
    assert response.status_code == 400
    assert "Type kota_malang exactly" in response.content.decode()
    assert response.context["delete_form"].errors.as_data()["confirmation"][0].code == (
        "confirmation_mismatch"
    )
    malang.refresh_from_db()
    assert malang.status == TenantStatus.ACTIVE and not TenantExport.objects.exists()


def test_deleting_closes_the_region_and_takes_a_final_export(
    client_for,
    member,
    malang,
    batu,
    staff_user,
    settings,
    english,
    django_capture_on_commit_callbacks,
):
    admin = member(malang, Role.ADMIN)
    both = member(malang, Role.VIEWER)
    Membership.objects.create(user=both, tenant=batu, role=Role.TKKSD)
    staff = client_for(None, staff_user)
    response = delete(staff, malang, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == url("tenant_detail", malang.pk)

    malang.refresh_from_db()
    assert malang.status == TenantStatus.PENDING_DELETION
    assert malang.deletion_scheduled_by == staff_user
    assert malang.purge_after - malang.deletion_scheduled_at == timedelta(days=30)
    assert schema_exists("kota_malang")  # nothing is dropped yet
    final = TenantExport.objects.get(tenant=malang)
    assert final.is_final and final.state == ExportState.READY
    # Kept until a TTL after the purge.
    assert final.expires_at == malang.purge_after + timedelta(days=7)
    event = AuditEvent.objects.get(action="tenant.deletion_scheduled")
    assert event.actor == staff_user and event.data["final_export"] == final.pk

    # The subdomain says so, for members and everyone else, on every page and method.
    for client in (client_for(malang, admin), client_for(malang)):
        for method, path in (("get", "/"), ("get", "/anggota/"), ("post", "/dokumen/")):
            page = getattr(client, method)(path)
            assert page.status_code == 410 and page["Cache-Control"] == "no-store"
            html = page.content.decode()
            assert "This region is being deleted" in html and "Kota Malang" in html
            assert settings.JEJARING_CONTACT_EMAIL in html
    assert not has_perm(admin, malang, Perm.VIEW_WORKSPACE)
    # It drops out of lists: the person's workspaces, the region switcher, staff's main list.
    assert "Kota Malang" not in client_for(None, admin).get("/ruang-kerja/").content.decode()
    batu_page = client_for(batu, both).get("/").content.decode()
    assert "kota-malang.localhost" not in batu_page
    regions = staff.get(url("tenant_list"))
    assert [t.pk for t in regions.context["tenants"]] == [batu.pk]
    assert [t.pk for t in regions.context["being_deleted"]] == [malang.pk]
    # Deleting it again is refused.
    again = delete(staff, malang, django_capture_on_commit_callbacks)
    assert again.status_code == 409 and TenantExport.objects.count() == 1


def test_staff_restore_a_region_within_the_grace_period(
    client_for, member, malang, staff_user, django_capture_on_commit_callbacks
):
    admin = member(malang, Role.ADMIN)
    staff = client_for(None, staff_user)
    staff.post(url("tenant_suspend", malang.pk), {"reason": "Audit BPK"})
    delete(staff, malang, django_capture_on_commit_callbacks)
    assert staff.post(url("tenant_restore", malang.pk)).status_code == 302
    malang.refresh_from_db()
    # Suspended before, suspended again: restoring does not lift a suspension.
    assert malang.status == TenantStatus.SUSPENDED and malang.suspended_reason == "Audit BPK"
    assert malang.purge_after is None and malang.deletion_scheduled_at is None
    assert client_for(malang, admin).get("/").status_code == 200
    assert AuditEvent.objects.filter(action="tenant.restored", actor=staff_user).exists()
    # Restoring a region that is not being deleted is refused.
    assert staff.post(url("tenant_restore", malang.pk)).status_code == 409


def test_no_restore_after_the_grace_period(
    client_for, malang, staff_user, english, django_capture_on_commit_callbacks
):
    staff = client_for(None, staff_user)
    delete(staff, malang, django_capture_on_commit_callbacks)
    Tenant.objects.filter(pk=malang.pk).update(purge_after=timezone.now() - timedelta(minutes=1))
    response = staff.post(url("tenant_restore", malang.pk))
    assert response.status_code == 409
    assert "can no longer be restored" in response.content.decode()
    malang.refresh_from_db()
    assert malang.status == TenantStatus.PENDING_DELETION


def test_purge_drops_regions_whose_grace_period_is_over(
    client_for, member, malang, batu, staff_user, pdf_file, django_capture_on_commit_callbacks
):
    from cms.models import RegionPage

    admin = member(malang, Role.ADMIN)
    client_for(malang, admin).post("/dokumen/", {"title": "Arsip", "file": pdf_file()})
    media = tenant_media_dir(malang)
    assert any(media.rglob("*.pdf"))
    staff = client_for(None, staff_user)
    delete(staff, malang, django_capture_on_commit_callbacks)
    delete(staff, batu, django_capture_on_commit_callbacks)

    # Within the grace period: nothing happens.
    call_command("purge_deleted_regions")
    assert schema_exists("kota_malang") and schema_exists("kota_batu")

    Tenant.objects.filter(pk=malang.pk).update(purge_after=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deleted_regions")
    assert not schema_exists("kota_malang")
    assert not Tenant.objects.filter(region_id="35.73").exists()
    assert not Domain.objects.filter(domain="kota-malang.localhost").exists()
    assert not Membership.objects.filter(user=admin).exists()
    assert not RegionPage.objects.filter(region_id="35.73").exists()
    assert not media.exists()
    event = AuditEvent.objects.get(action="tenant.purged")
    assert event.tenant is None and event.tenant_schema == "kota_malang"
    # The final export outlives the region; Batu waits for its own grace period.
    final = TenantExport.objects.get(tenant_schema="kota_malang")
    assert final.tenant is None and final.state == ExportState.READY
    assert schema_exists("kota_batu")
    # Idempotent, and the region can be onboarded again.
    assert purge_deleted_regions() == ([], [])
    apply_form = client_for(None, admin).get("/daftar-daerah/").content.decode()
    assert apply_form.count('value="35.73"') == 1


def test_purge_waits_for_a_ready_final_export(
    client_for, malang, staff_user, django_capture_on_commit_callbacks
):
    schedule_deletion(tenant=malang, acting_user=staff_user, confirmation="kota_malang")
    # The worker never ran (on-commit callbacks not executed): the final export is waiting.
    Tenant.objects.filter(pk=malang.pk).update(purge_after=timezone.now() - timedelta(seconds=1))
    purged, skipped = purge_deleted_regions()
    assert purged == [] and skipped[0][0] == "kota_malang"
    assert schema_exists("kota_malang")


def test_a_region_being_deleted_leaves_the_public_portal_until_restored(
    malang, staff_user, client_for
):
    from tenants import region_lifecycle

    portal = client_for(None)
    assert portal.get("/kota-malang/").status_code == 200
    assert "Kota Malang" in portal.get("/").content.decode()
    region_lifecycle.schedule_deletion(
        tenant=malang, acting_user=staff_user, confirmation=malang.schema_name
    )
    assert portal.get("/kota-malang/").status_code == 404
    assert 'href="/kota-malang/"' not in portal.get("/").content.decode()
    region_lifecycle.restore_tenant(tenant=malang, acting_user=staff_user)
    assert portal.get("/kota-malang/").status_code == 200
