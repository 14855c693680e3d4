"""Retention enforced by the scheduler (daily, idempotent; privacy/tasks.py): what the record of
processing (privacy/registry.py) says is kept only for a time is deleted when that time is over.

- A rejected application's assignment letter: JEJARING_REJECTED_LETTER_RETENTION_DAYS after the
  decision (the application's row stays: the region may apply again and staff see the history).
- A person's copy of their data: JEJARING_PRIVACY_EXPORT_TTL_HOURS after it was ready."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants import audit
from tenants.models import ApplicationStatus, RegionApplication

from . import exports


def delete_rejected_letters(*, now=None) -> int:
    """Delete the letters of applications rejected more than the retention ago. The row keeps
    the file's name (the staff's page then answers "not found" for it, as for any missing
    file); a letter is deleted once: a later run finds no file and records nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.JEJARING_REJECTED_LETTER_RETENTION_DAYS)
    due = RegionApplication.objects.filter(
        status=ApplicationStatus.REJECTED, reviewed_at__lte=cutoff
    ).exclude(letter="")
    deleted = 0
    with schema_context("public"):
        for application in due.only("pk", "letter"):
            name = application.letter.name
            if not default_storage.exists(name):
                continue
            default_storage.delete(name)
            with transaction.atomic(durable=True):
                audit.record(
                    "privacy.letter_deleted",
                    actor=None,
                    obj=application,
                    data={"application": application.pk},
                )
            deleted += 1
    return deleted


def enforce(*, now=None) -> dict[str, int]:
    counts = {"rejected_letters_deleted": delete_rejected_letters(now=now)}
    counts.update({f"copies_{k}": v for k, v in exports.expire_copies(now=now).items()})
    return counts
