"""A person's copy of their data: asked for on "Data saya", built by the worker (one JSON file
and their files in a ZIP), downloaded by that person only, deleted at its expiry.

The archives live in `EXPORT_ROOT/privacy/` (a folder of their own: the regions' export
housekeeping only looks at EXPORT_ROOT's own files), named with a random part, never served
directly."""

from __future__ import annotations

import json
import logging
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import top_level
from core.errors import Conflict, NotFound
from core.hosts import platform_url
from core.mail import send_templated_email_on_commit
from tenants import audit

from . import collect
from .errors import ErrorCode
from .models import DataRequest, ExportState, PersonalExport, RequestKind, RequestState

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
STALE_AFTER = timedelta(hours=12)


def export_root() -> Path:
    return Path(settings.EXPORT_ROOT) / "privacy"


def ttl() -> timedelta:
    return timedelta(hours=settings.JEJARING_PRIVACY_EXPORT_TTL_HOURS)


def _platform_link(name: str, *args) -> str:
    from django.urls import reverse

    return platform_url(reverse(name, args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF))


@top_level
def request_copy(*, user) -> DataRequest:
    """Ask for a copy: an access request, answered by the worker. A second click while one is
    being prepared is refused (the open request's constraint)."""
    from .tasks import build_personal_export

    if DataRequest.objects.filter(
        user=user, kind=RequestKind.ACCESS, state=RequestState.OPEN
    ).exists():
        raise Conflict(
            _("Your copy is already being prepared. You will get an e-mail when it is ready."),
            code=ErrorCode.REQUEST_OPEN,
        )
    request = DataRequest.objects.create(user=user, kind=RequestKind.ACCESS)
    export = PersonalExport.objects.create(request=request, user=user)
    audit.record(
        "privacy.request_made",
        actor=user,
        obj=request,
        data={"request": request.pk, "kind": request.kind},
    )
    transaction.on_commit(lambda: build_personal_export.enqueue(export.pk))
    return request


def _write(export: PersonalExport) -> Path:
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(timezone.now()).strftime("%Y%m%d-%H%M")
    target = root / f"data-saya-{stamp}-{export.pk}-{secrets.token_hex(8)}.zip"
    partial = target.with_name(target.name + ".part")
    data, files = collect.collect(export.user)
    missing = []
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item, content in collect.iter_files(files):
                if content is None:
                    missing.append(item.archive_name)
                else:
                    archive.writestr(item.archive_name, content)
            document = {
                "format_version": FORMAT_VERSION,
                "prepared_at": timezone.now(),
                "about": export.user.email,
                "missing_files": missing,
                "data": data,
            }
            archive.writestr(
                "data.json",
                json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def build(*, export_id: int) -> PersonalExport | None:
    """The worker's half (privacy/tasks.py); runs once per export, like the regions' exports
    (tenants/region_lifecycle.py): a repeated task finds it no longer waiting."""
    with transaction.atomic(durable=True):
        export = (
            PersonalExport.objects.select_for_update(of=("self",))
            .select_related("user", "request")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.state != ExportState.PENDING:
            return export
        export.state = ExportState.RUNNING
        export.save(update_fields=["state"])
    try:
        path = _write(export)
    except Exception as exc:
        logger.exception("Personal export %s failed", export.pk)
        with transaction.atomic(durable=True):
            export.state = ExportState.FAILED
            export.error = (str(exc) or exc.__class__.__name__)[:2000]
            export.finished_at = timezone.now()
            export.save(update_fields=["state", "error", "finished_at"])
            # The person is told and may ask again (a new request); staff see the failure.
            request = DataRequest.objects.select_for_update().get(pk=export.request_id)
            if request.state == RequestState.OPEN:
                request.state = RequestState.REFUSED
                request.handled_at = export.finished_at
                request.outcome = _(
                    "Your copy could not be prepared because of a technical fault. Please ask "
                    "again; platform staff have been told."
                )
                request.save(update_fields=["state", "handled_at", "outcome"])
        return export
    with transaction.atomic(durable=True):
        now = timezone.now()
        export.state = ExportState.READY
        export.file_name = path.name
        export.finished_at = now
        export.expires_at = now + ttl()
        export.save(update_fields=["state", "file_name", "finished_at", "expires_at"])
        request = DataRequest.objects.select_for_update().get(pk=export.request_id)
        if request.state == RequestState.OPEN:
            request.state = RequestState.DONE
            request.handled_at = now
            request.outcome = _("Your copy was prepared.")
            request.save(update_fields=["state", "handled_at", "outcome"])
        audit.record("privacy.copy_ready", actor=None, obj=export, data={"request": request.pk})
        send_templated_email_on_commit(
            "privacy/email/copy_ready",
            {
                "download_url": _platform_link("privacy:mine"),
                "expires_at": timezone.localtime(export.expires_at),
            },
            [export.user.email],
        )
    return export


def _expire(export: PersonalExport) -> None:
    if export.file_name:
        (export_root() / export.file_name).unlink(missing_ok=True)
    export.state = ExportState.EXPIRED
    export.save(update_fields=["state"])
    audit.record(
        "privacy.copy_expired", actor=None, obj=export, data={"request": export.request_id}
    )


def copy_file(*, user, export_id: int) -> Path:
    """The archive of the person's own ready copy. Another person's copy does not exist for
    them (404, as a copy that does not exist); an expired one is refused and its file deleted."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        export = PersonalExport.objects.select_for_update().filter(pk=export_id, user=user).first()
        if export is None:
            raise NotFound(_("This copy does not exist."))
        if export.state == ExportState.READY and export.expires_at and export.expires_at <= now:
            _expire(export)
    if export.state == ExportState.EXPIRED:
        raise Conflict(
            _("This copy has expired and its file was deleted. Ask for a new copy."),
            code=ErrorCode.EXPORT_EXPIRED,
        )
    if export.state != ExportState.READY:
        raise Conflict(_("This copy is not ready yet."), code=ErrorCode.EXPORT_NOT_READY)
    path = export_root() / export.file_name
    if not path.is_file():
        raise NotFound(_("This copy's file is missing. Ask for a new copy."))
    with transaction.atomic(durable=True):
        audit.record(
            "privacy.copy_downloaded", actor=user, obj=export, data={"request": export.request_id}
        )
    return path


def expire_copies(*, now=None) -> dict[str, int]:
    """Retention of the copies (daily, idempotent): delete the files of copies past their
    expiry, fail copies a dead worker left waiting (their requests stay open for staff)."""
    now = now or timezone.now()
    counts = {"expired": 0, "abandoned": 0}
    due = PersonalExport.objects.filter(state=ExportState.READY, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            export = PersonalExport.objects.select_for_update().get(pk=pk)
            if export.state == ExportState.READY and export.expires_at <= now:
                _expire(export)
                counts["expired"] += 1
    stale = PersonalExport.objects.filter(
        state__in=[ExportState.PENDING, ExportState.RUNNING], created_at__lte=now - STALE_AFTER
    )
    counts["abandoned"] = stale.update(
        state=ExportState.FAILED, error="The worker did not finish this copy.", finished_at=now
    )
    return counts
