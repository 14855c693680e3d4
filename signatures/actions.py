"""The signatures app's writes: asking for a check (the upload's part: cheap, never validates in
the request) and an office accepting a flagged document (never silent: reason, audit event)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actions import top_level
from core.errors import Conflict, Forbidden
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm

from .checking import current_fingerprint
from .errors import SignatureError
from .models import Acceptance, Check, State
from .policy import SignaturePerm
from .selectors import status_for
from .signals import results_changed


def request_check(*, sha256: str, schema: str, name: str) -> Check:
    """Record that the file `name` (in `schema`'s storage, SHA-256 `sha256`) is to be checked
    against the trust roots in force, and enqueue the check after the caller's commit. The same
    bytes checked against the same roots give the same answer: a file already checked (by
    whichever party uploaded it) is not checked again. Runs in the caller's transaction."""
    check, created = Check.objects.get_or_create(
        sha256=sha256,
        roots=current_fingerprint(),
        defaults={"source_schema": schema, "source_name": name},
    )
    if created:
        enqueue(check.pk)
    return check


def enqueue(check_id: int) -> None:
    from .tasks import validate_task

    transaction.on_commit(lambda: validate_task.enqueue(check_id))


@top_level
def accept_signature(
    *, membership: Membership, sha256: str, reason: str, document: str = ""
) -> Acceptance:
    """The office of `membership`'s region accepts the file `sha256` (named `document` in the
    audit trail) although its signature is flagged, for `reason`. The caller has found the
    document among those the person may read."""
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user, membership.tenant, SignaturePerm.ACCEPT_SIGNATURE, membership=membership
    ):
        raise Forbidden(_("Only the cooperation office decides about flagged signatures."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the region accepts this document."),
                    code=SignatureError.REASON_REQUIRED,
                )
            }
        )
    status = status_for(sha256)
    if status.state == State.PENDING or status.stale:
        raise Conflict(
            _("The signature is still being checked; decide once the result is in."),
            code=SignatureError.BEING_CHECKED,
        )
    if not status.flagged:
        raise Conflict(
            _("This document's signature is not flagged: there is nothing to accept."),
            code=SignatureError.NOT_FLAGGED,
        )
    if status.accepted_by(membership.tenant_id) is not None:
        raise Conflict(
            _("Your region has already accepted this document."),
            code=SignatureError.ALREADY_ACCEPTED,
        )
    acceptance = Acceptance.objects.create(
        tenant=membership.tenant,
        sha256=sha256,
        problem=status.problem,
        reason=reason,
        accepted_by=membership.user,
        accepted_by_email=membership.user.email,
    )
    audit.record(
        "signature.accepted",
        actor=membership.user,
        tenant=membership.tenant,
        obj=acceptance,
        data={
            "document": document,
            "sha256": sha256,
            "problem": status.problem,
            "problem_label": status.verdict_label,
            "reason": reason,
        },
    )
    transaction.on_commit(lambda: results_changed.send(sender=Acceptance, sha256s=[sha256]))
    return acceptance
