"""Proposals in: anyone with an account (a company, a university, another region's member)
proposes a cooperation to a region from its public page; the proposer follows it from their
account and answers when the office asks for more. The office's triage (accept into
preparation, ask for more, decline) is in agreements/proposals/triage.py: accepting writes the
region's register.

Every function that changes something is one action: permission (tenants.policy), validation,
an atomic write, the audit event, e-mail after commit.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperation.policy import can_propose
from core.actions import top_level
from core.errors import Conflict, Forbidden, StaleVersion
from core.hosts import platform_url, tenant_url
from core.mail import send_templated_email_on_commit
from tenants import audit
from tenants.models import AuditEvent, Membership, Region, Role, Tenant
from tenants.validators import validate_pdf

from . import urusan as urusan_codes
from .errors import AgreementError
from .models import Cooperation, Proposal, ProposalAttachment, ProposalState, ProposerKind, Stage

MAX_ATTACHMENTS = 5
OPEN_STATES = (ProposalState.SUBMITTED, ProposalState.MORE_INFO)


def _error(name: str, message: str, code: str) -> ValidationError:
    return (
        ValidationError(message, code=code)
        if name is None
        else ValidationError({name: ValidationError(message, code=code)})
    )


def validate_attachments(files) -> None:
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise _error(
            "attachments",
            _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS},
            AgreementError.TOO_MANY_ATTACHMENTS,
        )
    for upload in files:
        try:
            validate_pdf(upload, max_bytes=settings.JEJARING_DOCUMENT_MAX_BYTES)
        except ValidationError as exc:
            raise _error(
                "attachments",
                _("%(file)s: %(problem)s") % {"file": upload.name, "problem": exc.messages[0]},
                AgreementError.DOCUMENT_NOT_PDF,
            ) from exc


def _store(proposal: Proposal, files, stored: list) -> int:
    for upload in files or []:
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = ProposalAttachment(
            proposal=proposal,
            original_name=upload.name[:255],
            size=upload.size,
            sha256=digest.hexdigest(),
            stored_schema=connection.schema_name,
        )
        attachment.file.save(upload.name, upload, save=False)
        stored.append(attachment.file)
        attachment.save()
    return len(files or [])


def _validate(data: dict) -> None:
    errors = {}
    for name, message in (
        ("organisation", _("Give the name of your organisation.")),
        ("title", _("Give your proposal a title.")),
        ("description", _("Say what you propose.")),
    ):
        if not (data.get(name) or "").strip():
            errors[name] = ValidationError(message, code=AgreementError.PROPOSAL_INCOMPLETE)
    if data.get("proposer_kind") not in ProposerKind.values:
        errors["proposer_kind"] = ValidationError(
            _("Say who you are."), code=AgreementError.PROPOSAL_INCOMPLETE
        )
    elif data["proposer_kind"] == ProposerKind.REGION and data.get("from_region") is None:
        errors["from_region"] = ValidationError(
            _("Choose the region you represent."), code=AgreementError.PROPOSAL_INCOMPLETE
        )
    codes = list(data.get("urusan") or [])
    if not codes:
        errors["urusan"] = ValidationError(
            _("Choose at least one urusan."), code=AgreementError.URUSAN_REQUIRED
        )
    elif unknown := [c for c in codes if c not in urusan_codes.NAMES]:
        errors["urusan"] = ValidationError(
            _("Unknown urusan code: %(codes)s.") % {"codes": ", ".join(unknown)},
            code=AgreementError.UNKNOWN_URUSAN,
        )
    if errors:
        raise ValidationError(errors)


def office_emails(tenant: Tenant) -> list[str]:
    return list(
        Membership.objects.filter(tenant=tenant, role=Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )


def proposer_link(proposal: Proposal) -> str:
    return platform_url(
        reverse("proposals:detail", args=[proposal.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    )


def notify_proposer(proposal: Proposal) -> None:
    """The proposer hears of every step, in their account's page of proposals."""
    send_templated_email_on_commit(
        "cooperation/email/proposal_status",
        {"proposal": proposal, "region": proposal.tenant, "url": proposer_link(proposal)},
        [proposal.proposer_email],
    )


def _notify_office(proposal: Proposal, *, answered: bool) -> None:
    recipients = office_emails(proposal.tenant)
    if recipients:
        path = reverse("agreements:proposal", args=[proposal.pk], urlconf=settings.ROOT_URLCONF)
        send_templated_email_on_commit(
            "cooperation/email/proposal_received",
            {
                "proposal": proposal,
                "answered": answered,
                "url": tenant_url(proposal.tenant, path),
            },
            recipients,
        )


def proposable_tenant(region: Region | None) -> Tenant | None:
    """The region's workspace, when it is on Jejaring and takes proposals (not suspended or
    being deleted)."""
    if region is None:
        return None
    tenant = Tenant.objects.live().filter(region=region).first()
    if tenant is None or not tenant.accepts_writes:
        return None
    return tenant


@top_level
def submit_proposal(*, user, tenant: Tenant, data: dict, attachments=()) -> Proposal:
    """A proposal to `tenant` from `user`'s account, with its PDF attachments."""
    if not can_propose(user):
        raise Forbidden(_("Verify your e-mail address before proposing a cooperation."))
    if tenant is None or proposable_tenant(tenant.region) is None:
        raise Http404
    _validate(data)
    validate_attachments(attachments)
    stored: list = []
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                tenant=tenant,
                proposer=user,
                proposer_email=user.email,
                proposer_kind=data["proposer_kind"],
                organisation=data["organisation"].strip(),
                organisation_details=(data.get("organisation_details") or "").strip(),
                from_region=data.get("from_region")
                if data["proposer_kind"] == ProposerKind.REGION
                else None,
                title=data["title"].strip(),
                description=data["description"].strip(),
                urusan=list(data["urusan"]),
            )
            count = _store(proposal, attachments, stored)
            audit.record(
                "proposal.submitted",
                actor=user,
                tenant=tenant,
                obj=proposal,
                data={
                    "title": proposal.title,
                    "organisation": proposal.organisation,
                    "region": tenant.region_id,
                    "attachments": count,
                },
            )
            notify_proposer(proposal)
            _notify_office(proposal, answered=False)
    except BaseException:
        for file in stored:
            file.delete(save=False)
        raise
    return proposal


def get_own_proposal(user, pk: int) -> Proposal:
    """The proposal `pk` if `user` made it; Http404 otherwise (missing or someone else's)."""
    if not (user and user.is_authenticated):
        raise Http404
    proposal = (
        Proposal.objects.select_related("tenant", "from_region")
        .filter(pk=pk, proposer=user)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


@top_level
def provide_more_info(*, user, proposal: Proposal, version: int, reply: str, attachments=()):
    """The proposer answers the office's question (and may attach more); the proposal goes
    back to the office."""
    if not can_propose(user) or proposal.proposer_id != user.pk:
        raise Forbidden(_("Only the proposer answers for the proposal."))
    reply = (reply or "").strip()
    if not reply:
        raise _error("reply", _("Write your answer."), AgreementError.MESSAGE_REQUIRED)
    validate_attachments(attachments)
    stored: list = []
    try:
        with transaction.atomic():
            proposal = lock_proposal(proposal.pk, version)
            if proposal.state != ProposalState.MORE_INFO:
                raise Conflict(
                    _("The office has not asked for more information."),
                    code=AgreementError.PROPOSAL_CLOSED,
                )
            if proposal.attachments.count() + len(list(attachments)) > MAX_ATTACHMENTS * 2:
                raise _error(
                    "attachments",
                    _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS},
                    AgreementError.TOO_MANY_ATTACHMENTS,
                )
            count = _store(proposal, attachments, stored)
            proposal.proposer_reply = reply
            proposal.state = ProposalState.SUBMITTED
            proposal.version = F("version") + 1
            proposal.save()
            proposal.refresh_from_db()
            audit.record(
                "proposal.info_provided",
                actor=user,
                tenant=proposal.tenant,
                obj=proposal,
                data={"title": proposal.title, "attachments": count},
            )
            _notify_office(proposal, answered=True)
    except BaseException:
        for file in stored:
            file.delete(save=False)
        raise
    return proposal


def lock_proposal(pk: int, version: int) -> Proposal:
    """The proposal, locked for this transaction, if it is still the version the person saw."""
    proposal = Proposal.objects.select_for_update().select_related("tenant").get(pk=pk)
    if proposal.version != version:
        raise StaleVersion(
            _(
                "Someone else changed this proposal while you were looking at it. Nothing was "
                "saved: reload the page, then try again."
            )
        )
    return proposal


# --- After acceptance: the proposer follows the agreement through its stages -----------------
# What the proposer sees of the agreement is the parties' shared record's stage and dates: each
# stage it reached and when, its term, its signing. Never the region's working record (notes,
# TKKSD reviews, the DPRD step's facts, internal documents): those are in the region's schema,
# and this reads only the public tables (the shared record and the audit trail's stage moves,
# of which it takes the stage and the date only).

# The audit trail's object for a region's agreement (agreements.models.Agreement).
AGREEMENT_OBJECT_TYPE = "agreements.agreement"


@dataclasses.dataclass(frozen=True)
class Step:
    stage: str
    label: str
    on: datetime.datetime


@dataclasses.dataclass(frozen=True)
class Progress:
    cooperation: Cooperation
    steps: list[Step]

    @property
    def stage_label(self) -> str:
        return str(Stage(self.cooperation.stage).label)


def progress_of(proposal: Proposal) -> Progress | None:
    """The accepted proposal's agreement, as its proposer follows it (None before acceptance).
    Two queries: the shared record, and its stage moves in the proposal's region."""
    if proposal.state != ProposalState.ACCEPTED or proposal.cooperation_id is None:
        return None
    cooperation = Cooperation.objects.filter(pk=proposal.cooperation_id).first()
    if cooperation is None:
        return None
    moves = (
        AuditEvent.objects.filter(
            tenant_id=proposal.tenant_id,
            object_type=AGREEMENT_OBJECT_TYPE,
            object_id=str(proposal.agreement_id),
            data__has_key="to",
        )
        .order_by("created_at", "id")
        .values_list("data", "created_at")
    )
    # Accepted is the proposal's last change: its time is the agreement's start.
    steps = [Step(Stage.PREPARATION, str(Stage.PREPARATION.label), proposal.updated_at)]
    for data, created_at in moves:
        stage = str(data.get("to", ""))
        if stage in Stage.values and stage != steps[-1].stage:
            steps.append(Step(stage, str(Stage(stage).label), created_at))
    return Progress(cooperation=cooperation, steps=steps)


def notify_proposer_of_stage(*, cooperation: Cooperation, before: str) -> None:
    """Called where the shared stage changes (agreements.register.lifecycle.advance): the
    proposer of an accepted proposal that became this agreement is e-mailed the new stage, after the
    commit."""
    if cooperation.stage == before:
        return
    for proposal in Proposal.objects.filter(
        cooperation_id=cooperation.pk, state=ProposalState.ACCEPTED
    ).select_related("tenant"):
        send_templated_email_on_commit(
            "cooperation/email/proposal_stage",
            {
                "proposal": proposal,
                "region": proposal.tenant,
                "cooperation": cooperation,
                "stage": Stage(cooperation.stage).label,
                "url": proposer_link(proposal),
            },
            [proposal.proposer_email],
        )
