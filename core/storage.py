"""The uploaded files' storage: django-tenants' per-region file system storage, which answers a
full disk with a clear refusal and leaves nothing half-stored.

Django's FileSystemStorage writes an upload chunk by chunk into its final name; when the disk
fills (ENOSPC, or a quota: EDQUOT, EFBIG) it raises OSError and leaves the part it wrote. Here
that part is removed and the error becomes `StorageFull` (a DomainError: the product's error
page, or the API's shape, with status 507 and a stable code). Actions save the file before its
row (workspace.actions.upload_document, core.files.removed_on_failure), so no row is written."""

from __future__ import annotations

import errno
import logging
import os

from django.utils.translation import gettext_lazy as _
from django_tenants.files.storage import TenantFileSystemStorage

from .errors import DomainError

logger = logging.getLogger(__name__)

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


MESSAGE = _(
    "The file could not be stored: the platform's storage is full. Nothing was saved; the "
    "platform's operators have been told. Please try again later."
)


class StorageFull(DomainError):
    status = 507
    default_code = "storage_full"


class TenantStorage(TenantFileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if exc.errno not in FULL:
                raise
            if not existed:
                try:
                    os.remove(full_path)
                except FileNotFoundError:
                    pass
            logger.error("Storage full: %s not stored (%s)", name, exc)
            raise StorageFull(str(MESSAGE)) from exc
