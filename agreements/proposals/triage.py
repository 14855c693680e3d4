"""The office's triage of the proposals sent to its region (cooperation.models.Proposal, public
schema): accept one into preparation (it becomes an agreement in the register), ask the
proposer for more, or decline it with a reason. The proposer is e-mailed at each step.
Submitting and answering are the proposer's actions (cooperation/shared_proposals.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.register import actions
from agreements.register.parties import PartyData
from cooperation.errors import AgreementError
from cooperation.models import PARTNER_KIND_FOR, Kind, PartyKind, Proposal, ProposalState
from cooperation.policy import AgreementPerm
from cooperation.shared_proposals import OPEN_STATES, lock_proposal, notify_proposer
from core.actions import top_level
from core.errors import Conflict, Forbidden
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm, role_allows


def proposals_for(tenant):
    """The proposals sent to `tenant`, open ones first."""
    return (
        Proposal.objects.filter(tenant=tenant)
        .select_related("from_region")
        .order_by("state", "-created_at", "-pk")
    )


def get_proposal_for(membership: Membership | None, pk: int) -> Proposal:
    """A proposal sent to the member's region, for a member who reads proposals; Http404
    otherwise, the same answer as for a missing one."""
    if membership is None or not role_allows(membership.role, AgreementPerm.VIEW_PROPOSALS):
        raise Http404
    proposal = (
        Proposal.objects.select_related("tenant", "from_region")
        .filter(pk=pk, tenant=membership.tenant)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _require(membership: Membership) -> None:
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user, membership.tenant, AgreementPerm.TRIAGE_PROPOSALS, membership=membership
    ):
        raise Forbidden(_("Only the cooperation office triages proposals."))


def _open(membership: Membership, proposal: Proposal, version: int) -> Proposal:
    if proposal.tenant_id != membership.tenant.pk:
        raise Http404
    proposal = lock_proposal(proposal.pk, version)
    if proposal.state not in OPEN_STATES:
        raise Conflict(
            _("This proposal has been decided: %(state)s.")
            % {"state": proposal.get_state_display().lower()},
            code=AgreementError.PROPOSAL_CLOSED,
        )
    return proposal


def _message(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(
            {field: ValidationError(message, code=AgreementError.MESSAGE_REQUIRED)}
        )
    return value


def _partner(proposal: Proposal, kind: str) -> PartyData:
    wanted = PARTNER_KIND_FOR[kind]
    if wanted == PartyKind.REGION:
        if proposal.from_region is None:
            raise ValidationError(
                {
                    "kind": ValidationError(
                        _("A proposal from an organisation cannot become a KSDD."),
                        code=AgreementError.PARTY_KIND_MISMATCH,
                    )
                }
            )
        return PartyData(kind=PartyKind.REGION, region=proposal.from_region)
    return PartyData(kind=wanted, name=proposal.organisation, details=proposal.organisation_details)


@top_level
def accept_proposal(
    *, membership: Membership, proposal: Proposal, version: int, kind: str, title: str
) -> Agreement:
    """Accept into preparation: a new agreement in the register, its partner the proposer's
    organisation (or region), its urusan and object the proposal's."""
    _require(membership)
    if kind not in Kind.values:
        raise ValidationError(
            {"kind": ValidationError(_("Choose the kind."), code="invalid_choice")}
        )
    title = _message(title, "title", _("Give the agreement a title."))
    partner = _partner(proposal, kind)
    user = membership.user
    with transaction.atomic():
        proposal = _open(membership, proposal, version)
        agreement = actions.create_agreement.inner(
            membership=membership,
            fields={
                "kind": kind,
                "title": title,
                "urusan": list(proposal.urusan),
                "object": proposal.description,
            },
            parties=[partner],
            private={
                "internal_notes": _("From the proposal of %(organisation)s (%(email)s).")
                % {"organisation": proposal.organisation, "email": proposal.proposer_email}
            },
        )
        proposal.state = ProposalState.ACCEPTED
        proposal.cooperation_id = agreement.cooperation_id
        proposal.agreement_id = agreement.pk
        proposal.version = F("version") + 1
        proposal.save()
        proposal.refresh_from_db()
        audit.record(
            "proposal.accepted",
            actor=user,
            tenant=membership.tenant,
            obj=proposal,
            data={"title": proposal.title, "agreement": agreement.pk, "kind": kind},
        )
        notify_proposer(proposal)
    return agreement


@top_level
def ask_for_more(
    *, membership: Membership, proposal: Proposal, version: int, message: str
) -> Proposal:
    missing = _("Say what the proposer should add.")
    return _answer(membership, proposal, version, message, missing, ProposalState.MORE_INFO)


@top_level
def decline_proposal(
    *, membership: Membership, proposal: Proposal, version: int, reason: str
) -> Proposal:
    missing = _("Give the reason.")
    return _answer(membership, proposal, version, reason, missing, ProposalState.DECLINED)


# The office's answers that leave the register alone: the state each leaves the proposal in, its
# event, and the key the office's text is recorded under in the event.
_ANSWERS = {
    ProposalState.MORE_INFO: ("proposal.more_info_requested", "message"),
    ProposalState.DECLINED: ("proposal.declined", "reason"),
}


def _answer(
    membership: Membership, proposal: Proposal, version: int, text: str, missing: str, state: str
) -> Proposal:
    """Asking the proposer for more, or declining: the office's text (`missing` when there is
    none), the proposal's new state, its event, the proposer e-mailed."""
    _require(membership)
    text = _message(text, "message", missing)
    event, key = _ANSWERS[state]
    with transaction.atomic():
        proposal = _open(membership, proposal, version)
        proposal.state = state
        proposal.office_message = text
        proposal.version = F("version") + 1
        proposal.save()
        proposal.refresh_from_db()
        audit.record(
            event,
            actor=membership.user,
            tenant=membership.tenant,
            obj=proposal,
            data={"title": proposal.title, key: text},
        )
        notify_proposer(proposal)
    return proposal
