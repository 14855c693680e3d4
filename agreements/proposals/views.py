"""The office's triage of proposals, on the region's subdomain. Views shape input and output;
agreements/proposals/triage.py decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import schema_context

from agreements.proposals import triage as proposals
from agreements.proposals.forms import AcceptProposalForm, ProposalMessageForm
from cooperation.policy import AgreementPerm
from cooperation.shared_proposals import OPEN_STATES
from core.files import pdf_attachment
from core.form_actions import run
from tenants.decorators import workspace_view
from tenants.policy import has_perm


@workspace_view(AgreementPerm.VIEW_PROPOSALS)
@require_GET
def proposal_list(request):
    return render(
        request,
        "agreements/proposals/list.html",
        {"proposals": proposals.proposals_for(request.tenant)},
    )


def _page(request, proposal, *, accept=None, ask=None, decline=None, status=200):
    can_triage = proposal.state in OPEN_STATES and has_perm(
        request.user, request.tenant, AgreementPerm.TRIAGE_PROPOSALS, request.membership
    )
    initial = {"version": proposal.version}
    return render(
        request,
        "agreements/proposals/detail.html",
        {
            "proposal": proposal,
            "attachments": proposal.attachments.all(),
            "can_triage": can_triage,
            "accept_form": accept
            or AcceptProposalForm(
                proposal=proposal,
                initial={**initial, "title": proposal.title, "kind": "ksdpk"},
            ),
            "ask_form": ask or ProposalMessageForm(initial=initial, prefix="ask"),
            "decline_form": decline or ProposalMessageForm(initial=initial, prefix="decline"),
        },
        status=status,
    )


@workspace_view(AgreementPerm.VIEW_PROPOSALS)
@require_GET
def proposal_detail(request, pk: int):
    return _page(request, proposals.get_proposal_for(request.membership, pk))


@workspace_view(AgreementPerm.TRIAGE_PROPOSALS)
@require_POST
def proposal_accept(request, pk: int):
    proposal = proposals.get_proposal_for(request.membership, pk)
    form = AcceptProposalForm(request.POST, proposal=proposal)
    submitted = run(
        form,
        lambda data: proposals.accept_proposal(
            membership=request.membership,
            proposal=proposal,
            version=data["version"],
            kind=data["kind"],
            title=data["title"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The proposal is accepted; its agreement is in preparation."))
        return redirect("agreements:detail", pk=submitted.result.pk)
    return _page(request, proposal, accept=form, status=submitted.status)


def _message_step(request, pk: int, prefix: str, action, done: str):
    proposal = proposals.get_proposal_for(request.membership, pk)
    form = ProposalMessageForm(request.POST, prefix=prefix)
    submitted = run(
        form,
        lambda data: action(
            membership=request.membership,
            proposal=proposal,
            version=data["version"],
            **{"message" if prefix == "ask" else "reason": data["message"]},
        ),
    )
    if submitted.done:
        messages.success(request, done)
        return redirect("agreements:proposal", pk=proposal.pk)
    return _page(request, proposal, status=submitted.status, **{prefix: form})


@workspace_view(AgreementPerm.TRIAGE_PROPOSALS)
@require_POST
def proposal_ask(request, pk: int):
    return _message_step(
        request, pk, "ask", proposals.ask_for_more, _("The proposer was asked for more.")
    )


@workspace_view(AgreementPerm.TRIAGE_PROPOSALS)
@require_POST
def proposal_decline(request, pk: int):
    return _message_step(
        request, pk, "decline", proposals.decline_proposal, _("The proposal was declined.")
    )


@workspace_view(AgreementPerm.VIEW_PROPOSALS)
@require_GET
def proposal_attachment(request, pk: int, attachment_pk: int):
    proposal = proposals.get_proposal_for(request.membership, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    # Stored in the platform's folder (the proposer uploaded it there).
    with schema_context(attachment.stored_schema):
        return pdf_attachment(attachment.file, attachment.original_name)
