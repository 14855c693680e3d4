"""The disk fills during an upload (core/storage.py): a clear refusal with its code, the part
written removed, no database row, nothing in the region's history."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from conftest import make_pdf
from tenants.models import AuditEvent, Role
from workspace.models import Document

pytestmark = pytest.mark.django_db


class _Disk:
    """The `os` module as django's file system storage sees it, except that a file it opens
    for writing fails with `error` after half of the first chunk is written."""

    def __init__(self, error: int):
        self.error = error

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, mode="r", *args, **kwargs):
        handle = os.fdopen(fd, mode, *args, **kwargs)
        error = self.error

        class Failing:
            def write(self, data):
                handle.write(data[: max(1, len(data) // 2)])
                handle.flush()
                raise OSError(error, os.strerror(error))

            def close(self):
                handle.close()

        return Failing()


def _disk(error: int):
    return mock.patch("django.core.files.storage.filesystem.os", _Disk(error))


def _files(tenant) -> list[Path]:
    with tenant_context(tenant):
        root = Path(default_storage.path(""))
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_full_disk_during_an_upload_is_a_clear_refusal_with_nothing_stored(
    client_for, member, malang
):
    client = client_for(malang, member(malang, Role.ADMIN))
    before = _files(malang)
    pdf = make_pdf() + b"%" + b"x" * 50_000 + b"\n"
    upload = SimpleUploadedFile("ksb.pdf", pdf, content_type="application/pdf")
    with _disk(errno.ENOSPC):
        response = client.post(
            "/dokumen/", {"title": "KSB Malang Raya", "file": upload, "area": ""}
        )
    assert response.status_code == 507
    body = response.content.decode()
    # The refusal is shown on the upload form (core.form_actions), with its own status; the
    # person reads what happened and what to do, not a traceback.
    from core.storage import MESSAGE

    assert str(MESSAGE) in body and "Traceback" not in body
    assert _files(malang) == before  # the half-written file is gone
    with tenant_context(malang):
        assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


def test_other_storage_errors_are_not_taken_for_a_full_disk(malang):
    from core.storage import StorageFull

    with (
        tenant_context(malang),
        _disk(errno.EACCES),
        pytest.raises(OSError) as raised,
    ):
        default_storage.save("documents/x.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    assert not isinstance(raised.value, StorageFull)
