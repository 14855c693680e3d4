"""The proposer's pages on the platform (base domain): propose a cooperation to a region, follow
one's proposals, answer the office. Views shape input and output; cooperation/shared_proposals.py
decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation.policy import can_propose
from core.files import pdf_attachment
from core.form_actions import submit
from core.uploads import limit_request_body
from tenants.models import Region

from . import shared_proposals
from .forms import ProposalForm, ReplyForm
from .models import Proposal, ProposalState


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@login_required
def propose(request, region: str):
    """The form reached from the region's public page (/<region-slug>/)."""
    tenant = shared_proposals.proposable_tenant(Region.objects.filter(slug=region).first())
    if tenant is None:
        raise Http404
    if not can_propose(request.user):
        messages.error(request, _("Verify your e-mail address before proposing a cooperation."))
        return redirect("account_email")
    form = ProposalForm(request.POST or None, request.FILES or None)
    submitted = submit(
        request,
        form,
        lambda data: shared_proposals.submit_proposal(
            user=request.user, tenant=tenant, data=data, attachments=data["attachments"]
        ),
    )
    if submitted.done:
        messages.success(
            request,
            _("Your proposal was sent to %(region)s. We will e-mail you each step.")
            % {"region": tenant.name},
        )
        return redirect("proposals:detail", pk=submitted.result.pk)
    return render(
        request,
        "cooperation/propose.html",
        {"form": form, "tenant": tenant},
        status=submitted.status,
    )


@login_required
@require_GET
def my_proposals(request):
    mine = Proposal.objects.filter(proposer=request.user).select_related("tenant")
    return render(request, "cooperation/my_proposals.html", {"proposals": mine})


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@login_required
def proposal_detail(request, pk: int):
    """The proposer follows the proposal; when the office asks for more, they answer here."""
    proposal = shared_proposals.get_own_proposal(request.user, pk)
    form = ReplyForm(
        request.POST or None, request.FILES or None, initial={"version": proposal.version}
    )
    submitted = submit(
        request,
        form,
        lambda data: shared_proposals.provide_more_info(
            user=request.user,
            proposal=proposal,
            version=data["version"],
            reply=data["reply"],
            attachments=data["attachments"],
        ),
    )
    if submitted.done:
        messages.success(request, _("Your answer was sent to the office."))
        return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "cooperation/proposal.html",
        {
            "proposal": proposal,
            "attachments": proposal.attachments.all(),
            "form": form if proposal.state == ProposalState.MORE_INFO else None,
            "progress": shared_proposals.progress_of(proposal),
        },
        status=submitted.status,
    )


@login_required
@require_GET
def attachment(request, pk: int, attachment_pk: int):
    proposal = shared_proposals.get_own_proposal(request.user, pk)
    item = get_object_or_404(proposal.attachments, pk=attachment_pk)
    return pdf_attachment(item.file, item.original_name)
