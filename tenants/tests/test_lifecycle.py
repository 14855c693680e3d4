"""Suspend (read-only), reactivate, export and delete a tenant: platform staff only, each
action at its own POST-only URL. Exports: tenants/tests/test_exports.py; deletion, restore and
purge: tenants/tests/test_deletion.py."""

import pytest
from django.urls import reverse
from django_tenants.utils import schema_exists, tenant_context

from tenants.models import AuditEvent, Invitation, Role, TenantExport, TenantStatus
from tenants.region_lifecycle import schedule_deletion
from workspace.models import Document

pytestmark = pytest.mark.django_db

ACTIONS = [
    "tenant_suspend",
    "tenant_reactivate",
    "tenant_export",
    "tenant_delete",
    "tenant_restore",
]


def url(name, *args):
    return reverse(f"platform:{name}", args=args, urlconf="portal.urls_public")


def detail(tenant):
    return url("tenant_detail", tenant.pk)


@pytest.mark.parametrize("action", ACTIONS)
def test_only_staff_use_the_lifecycle_actions(
    action, client_for, member, malang, batu, user_factory, staff_user
):
    data = {"reason": "x", "confirmation": "kota_malang"}
    anonymous = client_for(None).post(url(action, malang.pk), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/akun/login/")
    # Malang's own administrator, another region's administrator, an account with no region.
    for user in (member(malang, Role.ADMIN), member(batu, Role.ADMIN), user_factory()):
        client = client_for(None, user)
        assert client.post(url(action, malang.pk), data).status_code == 403
        assert client.get(detail(malang)).status_code == 403
    # Staff: POST only, and only for a region's tenant.
    staff = client_for(None, staff_user)
    assert staff.get(url(action, malang.pk)).status_code == 405
    assert staff.post(url(action, 999999), data).status_code == 404
    malang.refresh_from_db()
    assert malang.status == TenantStatus.ACTIVE and schema_exists("kota_malang")
    assert not TenantExport.objects.exists()


def test_the_tenant_page_is_for_staff_only(
    client_for, member, malang, batu, user_factory, staff_user
):
    assert client_for(None).get(detail(malang)).status_code == 302
    for user in (member(malang, Role.ADMIN), member(batu, Role.TKKSD), user_factory()):
        assert client_for(None, user).get(detail(malang)).status_code == 403
        assert client_for(None, user).get(url("tenant_list")).status_code == 403
    page = client_for(None, staff_user).get(detail(malang))
    assert page.status_code == 200
    html = page.content.decode()
    for action in ("tenant_suspend", "tenant_export", "tenant_delete"):
        assert f'action="{url(action, malang.pk)}"' in html


def test_a_suspended_region_is_read_only(client_for, member, malang, staff_user, pdf_file):
    admin = member(malang, Role.ADMIN)
    staff = client_for(None, staff_user)
    empty = staff.post(url("tenant_suspend", malang.pk), {"reason": "  "})
    assert empty.status_code == 400 and empty.context["suspend_form"].errors
    malang.refresh_from_db()
    assert malang.status == TenantStatus.ACTIVE
    response = staff.post(url("tenant_suspend", malang.pk), {"reason": "Pergantian pejabat"})
    assert response.status_code == 302 and response["Location"] == detail(malang)
    malang.refresh_from_db()
    assert malang.status == TenantStatus.SUSPENDED

    workspace = client_for(malang, admin)
    page = workspace.get("/")
    assert page.status_code == 200 and "Pergantian pejabat" in page.content.decode()
    blocked = workspace.post("/dokumen/", {"title": "x", "file": pdf_file()})
    assert blocked.status_code == 403 and "Pergantian pejabat" in blocked.content.decode()
    assert workspace.post("/anggota/", {"email": "a@b.test", "role": "viewer"}).status_code == 403
    assert not Invitation.objects.exists()
    with tenant_context(malang):
        assert Document.objects.count() == 0

    assert staff.post(url("tenant_reactivate", malang.pk)).status_code == 302
    assert workspace.post("/dokumen/", {"title": "x", "file": pdf_file()}).status_code == 302
    actions = list(AuditEvent.objects.filter(tenant=malang).values_list("action", flat=True))
    assert "tenant.suspended" in actions and "tenant.reactivated" in actions


def test_a_region_being_deleted_cannot_be_suspended_or_reactivated(
    client_for, malang, staff_user, settings
):
    settings.LANGUAGE_CODE = "en"
    schedule_deletion(tenant=malang, acting_user=staff_user, confirmation="kota_malang")
    staff = client_for(None, staff_user)
    for action, data in (("tenant_suspend", {"reason": "x"}), ("tenant_reactivate", {})):
        response = staff.post(url(action, malang.pk), data)
        assert response.status_code == 409
        assert "is being deleted. Restore it first." in response.content.decode()
        malang.refresh_from_db()
        assert malang.status == TenantStatus.PENDING_DELETION
