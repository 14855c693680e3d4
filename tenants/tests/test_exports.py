"""Tenant exports: requested by staff, built by the background worker (inline here: the
ImmediateBackend), announced by e-mail, listed on the staff tenant page, downloadable by staff
only until they expire (JEJARING_EXPORT_TTL_DAYS), then refused and deleted."""

import json
import os
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tenants import audit, region_lifecycle
from tenants.models import AuditEvent, ExportState, Invitation, Role, TenantExport

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"platform:{name}", args=args, urlconf="portal.urls_public")


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def request_export(client, tenant, capture):
    with capture(execute=True):
        response = client.post(url("tenant_export", tenant.pk))
    assert response.status_code == 302 and response["Location"] == url("tenant_detail", tenant.pk)
    return TenantExport.objects.filter(tenant=tenant).latest("created_at")


def test_an_export_runs_in_the_worker_and_the_requester_gets_a_link(
    client_for,
    member,
    malang,
    staff_user,
    pdf_file,
    settings,
    english,
    django_capture_on_commit_callbacks,
):
    admin = member(malang, Role.ADMIN)
    client_for(malang, admin).post("/dokumen/", {"title": "KSB Malang Raya", "file": pdf_file()})
    staff = client_for(None, staff_user)
    mail.outbox.clear()

    # Requested, not yet run: the request only queues it.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        staff.post(url("tenant_export", malang.pk))
    waiting = TenantExport.objects.get()
    assert waiting.state == ExportState.PENDING and callbacks
    assert not list(Path(settings.EXPORT_ROOT).glob("*.zip"))
    waiting.delete()

    export = request_export(staff, malang, django_capture_on_commit_callbacks)
    assert export.state == ExportState.READY and export.requested_by == staff_user
    assert export.finished_at and export.expires_at
    assert export.expires_at - export.finished_at == timedelta(days=7)
    archive_path = Path(settings.EXPORT_ROOT) / export.file_name
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        workspace = json.loads(archive.read("workspace.json"))
        members = json.loads(archive.read("members.json"))
        manifest = json.loads(archive.read("manifest.json"))
        document_files = [n for n in names if n.startswith("files/documents/")]
        assert len(document_files) == 1
        assert archive.read(document_files[0]).startswith(b"%PDF-")
    assert [d["fields"]["title"] for d in workspace["workspace.document"]] == ["KSB Malang Raya"]
    assert [m["email"] for m in members["members"]] == [admin.email]
    assert manifest["region"] == {"code": "35.73", "name": "Kota Malang"} and manifest["files"] == 1
    assert manifest["exported_by"] == staff_user.email
    assert not list(archive_path.parent.glob("*.part"))

    (message,) = [m for m in mail.outbox if m.to == [staff_user.email]]
    link = f"http://localhost:8000{url('export_download', export.pk)}"
    assert "Kota Malang" in message.subject and link in message.body
    assert "WIB" in message.body

    page = staff.get(url("tenant_detail", malang.pk)).content.decode()
    assert f'href="{url("export_download", export.pk)}"' in page and "Ready" in page
    download = staff.get(url("export_download", export.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{export.file_name}"'
    assert b"".join(download.streaming_content) == archive_path.read_bytes()
    actions = set(AuditEvent.objects.filter(tenant=malang).values_list("action", flat=True))
    assert {"tenant.export_requested", "tenant.exported", "tenant.export_downloaded"} <= actions


def test_export_holds_exactly_this_regions_members_invitations_and_history(
    client_for, member, malang, batu, staff_user, django_capture_on_commit_callbacks
):
    malang_admin = member(malang, Role.ADMIN)
    batu_admin = member(batu, Role.ADMIN)
    member(batu, Role.VIEWER)
    Invitation.objects.create(tenant=malang, email="baru@malangkota.go.id", role=Role.TKKSD)
    Invitation.objects.create(tenant=batu, email="baru@batukota.go.id", role=Role.TKKSD)
    audit.record("member.invited", actor=malang_admin, tenant=malang, data={"who": "malang-only"})
    audit.record("member.invited", actor=batu_admin, tenant=batu, data={"who": "batu-only"})
    # An event of the platform's own, with no tenant.
    audit.record("application.submitted", data={"region": "35.15", "who": "platform-only"})

    export = request_export(
        client_for(None, staff_user), malang, django_capture_on_commit_callbacks
    )
    with zipfile.ZipFile(lifecycle_path(export)) as archive:
        members = json.loads(archive.read("members.json"))
        events = json.loads(archive.read("audit.json"))
    assert [m["email"] for m in members["members"]] == [malang_admin.email]
    assert [i["email"] for i in members["invitations"]] == ["baru@malangkota.go.id"]
    # Every event of Malang's made before the archive was written, and nothing else.
    expected = sorted(
        (e.action, e.object_id, e.data.get("who", ""))
        for e in AuditEvent.objects.filter(tenant=malang).exclude(action="tenant.exported")
    )
    assert sorted((e["action"], e["object_id"], e["data"].get("who", "")) for e in events) == (
        expected
    )
    dumped = json.dumps(events)
    assert "malang-only" in dumped
    assert "batu-only" not in dumped and "platform-only" not in dumped


def lifecycle_path(export):
    return Path(settings.EXPORT_ROOT) / export.file_name


def test_file_names_and_times_are_in_wib(
    client_for, malang, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    # 20:30 UTC is 03:30 the next day in Jakarta.
    fixed = timezone.now().replace(hour=20, minute=30, second=0, microsecond=0)
    monkeypatch.setattr(region_lifecycle.timezone, "now", lambda: fixed)
    export = request_export(
        client_for(None, staff_user), malang, django_capture_on_commit_callbacks
    )
    monkeypatch.undo()
    local = fixed + timedelta(hours=7)
    assert export.file_name == f"kota_malang-{local:%Y%m%d}-033000-WIB-{export.pk}.zip"
    with zipfile.ZipFile(lifecycle_path(export)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["exported_at"].startswith(f"{local:%Y-%m-%d}T03:30:00") and manifest[
        "exported_at"
    ].endswith("+07:00")
    page = client_for(None, staff_user).get(url("tenant_detail", malang.pk)).content.decode()
    assert "03:30 WIB" in page


def test_only_staff_download_exports(
    client_for, member, malang, batu, user_factory, staff_user, django_capture_on_commit_callbacks
):
    export = request_export(
        client_for(None, staff_user), malang, django_capture_on_commit_callbacks
    )
    download = url("export_download", export.pk)
    assert client_for(None).get(download)["Location"].startswith("/akun/login/")
    for user in (member(malang, Role.ADMIN), member(batu, Role.ADMIN), user_factory()):
        client = client_for(None, user)
        assert client.get(download).status_code == 403
        assert download not in client.get("/ruang-kerja/").content.decode()
    assert client_for(None, staff_user).get(url("export_download", 999999)).status_code == 404
    assert client_for(None, staff_user).post(download).status_code == 405
    assert not AuditEvent.objects.filter(action="tenant.export_downloaded").exists()


def test_an_expired_export_is_refused_and_its_file_deleted(
    client_for, malang, staff_user, english, django_capture_on_commit_callbacks
):
    staff = client_for(None, staff_user)
    export = request_export(staff, malang, django_capture_on_commit_callbacks)
    path = lifecycle_path(export)
    TenantExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    response = staff.get(url("export_download", export.pk))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This export expired on" in html and "export_expired" in html
    assert not path.exists()
    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED
    assert staff.get(url("export_download", export.pk)).status_code == 410
    page = staff.get(url("tenant_detail", malang.pk)).content.decode()
    assert url("export_download", export.pk) not in page


def test_a_failed_export_leaves_no_file_and_tells_the_requester(
    client_for,
    malang,
    staff_user,
    settings,
    english,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(region_lifecycle.zipfile.ZipFile, "writestr", broken)
    mail.outbox.clear()
    export = request_export(
        client_for(None, staff_user), malang, django_capture_on_commit_callbacks
    )
    assert export.state == ExportState.FAILED and "disk full" in export.error
    assert not list(Path(settings.EXPORT_ROOT).iterdir())
    assert [m.subject for m in mail.outbox if m.to == [staff_user.email]] == [
        "The export of Kota Malang failed"
    ]
    assert client_for(None, staff_user).get(url("export_download", export.pk)).status_code == 409


def test_expire_exports_is_idempotent(
    client_for, malang, staff_user, settings, django_capture_on_commit_callbacks
):
    staff = client_for(None, staff_user)
    old = request_export(staff, malang, django_capture_on_commit_callbacks)
    fresh = request_export(staff, malang, django_capture_on_commit_callbacks)
    TenantExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(1))
    stuck = TenantExport.objects.create(
        tenant=malang,
        tenant_schema="kota_malang",
        tenant_name="Kota Malang",
        state=ExportState.RUNNING,
        created_at=timezone.now() - timedelta(days=2),
    )
    stray = Path(settings.EXPORT_ROOT) / "kota_malang-20200101-000000.zip"
    stray.write_bytes(b"old")
    ancient = (timezone.now() - timedelta(days=30)).timestamp()
    os.utime(stray, (ancient, ancient))

    call_command("expire_exports")
    old.refresh_from_db()
    fresh.refresh_from_db()
    stuck.refresh_from_db()
    assert old.state == ExportState.EXPIRED and not lifecycle_path(old).exists()
    assert fresh.state == ExportState.READY and lifecycle_path(fresh).exists()
    assert stuck.state == ExportState.FAILED
    assert not stray.exists()
    events = AuditEvent.objects.filter(action="tenant.export_expired").count()

    call_command("expire_exports")
    assert lifecycle_path(fresh).exists()
    assert AuditEvent.objects.filter(action="tenant.export_expired").count() == events
    assert region_lifecycle.expire_exports() == {"expired": 0, "abandoned": 0, "orphans": 0}
