"""Suspend (read-only), reactivate, export and delete a tenant: platform staff only."""

import json
import zipfile
from pathlib import Path

import pytest
from django_tenants.utils import schema_exists, tenant_context

from tenants.lifecycle import tenant_media_dir
from tenants.models import AuditEvent, Domain, Invitation, Membership, Role, Tenant, TenantStatus
from workspace.models import Document

pytestmark = pytest.mark.django_db


def detail(tenant):
    return f"/platform/daerah/{tenant.pk}/"


def test_only_staff_manage_tenants(client_for, member, malang, user_factory):
    for user in (member(malang, Role.ADMIN), user_factory()):
        client = client_for(None, user)
        assert client.get("/platform/daerah/").status_code == 403
        for op in ("suspend", "export", "delete"):
            assert (
                client.post(
                    detail(malang), {"op": op, "reason": "x", "confirmation": "kota_malang"}
                ).status_code
                == 403
            )
    malang.refresh_from_db()
    assert malang.status == TenantStatus.ACTIVE and schema_exists("kota_malang")


def test_a_suspended_region_is_read_only(client_for, member, malang, staff_user, pdf_file):
    admin = member(malang, Role.ADMIN)
    staff = client_for(None, staff_user)
    assert staff.post(detail(malang), {"op": "suspend", "reason": ""}).status_code == 400
    staff.post(detail(malang), {"op": "suspend", "reason": "Pergantian pejabat"})
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

    staff.post(detail(malang), {"op": "reactivate"})
    assert workspace.post("/dokumen/", {"title": "x", "file": pdf_file()}).status_code == 302
    actions = list(AuditEvent.objects.filter(tenant=malang).values_list("action", flat=True))
    assert "tenant.suspended" in actions and "tenant.reactivated" in actions


def test_export_holds_the_workspace_members_history_and_documents(
    client_for, member, malang, staff_user, pdf_file, settings
):
    admin = member(malang, Role.ADMIN)
    client_for(malang, admin).post("/dokumen/", {"title": "KSB Malang Raya", "file": pdf_file()})
    response = client_for(None, staff_user).post(detail(malang), {"op": "export"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kota_malang-')
    (archive_path,) = Path(settings.EXPORT_ROOT).glob("kota_malang-*.zip")
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        workspace = json.loads(archive.read("workspace.json"))
        members = json.loads(archive.read("members.json"))
        manifest = json.loads(archive.read("manifest.json"))
    assert [d["fields"]["title"] for d in workspace["workspace.document"]] == ["KSB Malang Raya"]
    assert [m["email"] for m in members["members"]] == [admin.email]
    assert manifest["region"] == {"code": "35.73", "name": "Kota Malang"} and manifest["files"] == 1
    document_files = [n for n in names if n.startswith("files/documents/")]
    assert len(document_files) == 1
    with zipfile.ZipFile(archive_path) as archive:
        assert archive.read(document_files[0]).startswith(b"%PDF-")
    assert not list(archive_path.parent.glob("*.part"))


def test_delete_needs_the_exact_schema_name_then_removes_everything(
    client_for, member, malang, staff_user, pdf_file, django_capture_on_commit_callbacks
):
    admin = member(malang, Role.ADMIN)
    client_for(malang, admin).post("/dokumen/", {"title": "Arsip", "file": pdf_file()})
    media = tenant_media_dir(malang)
    assert any(media.rglob("*.pdf"))
    staff = client_for(None, staff_user)
    wrong = staff.post(detail(malang), {"op": "delete", "confirmation": "kota-malang"})
    assert wrong.status_code == 400
    assert schema_exists("kota_malang") and Tenant.objects.filter(pk=malang.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(detail(malang), {"op": "delete", "confirmation": "kota_malang"})
    assert response.status_code == 302
    assert not media.exists()
    assert not schema_exists("kota_malang")
    assert not Tenant.objects.filter(region_id="35.73").exists()
    assert not Domain.objects.filter(domain="kota-malang.localhost").exists()
    assert not Membership.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(action="tenant.deleted")
    assert (
        event.tenant is None and event.tenant_schema == "kota_malang" and event.actor == staff_user
    )
    # The region can be onboarded again, and its subdomain no longer resolves.
    assert (
        client_for(None, admin).get("/daftar-daerah/").content.decode().count('value="35.73"') == 1
    )
