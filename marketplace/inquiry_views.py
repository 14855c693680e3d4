"""The inquiry pages: on the platform, the inquirer sends an inquiry from a public listing,
follows their threads and turns a third party's inquiry into a proposal; on a region's
subdomain (under /pasar/minat/), the listing's region reads and answers the inquiries about its
listings, and its office sees the inquiries its members sent for the region. Views shape input
and output; marketplace/inquiries.py decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperation.policy import AgreementPerm, can_offer_from_inquiry
from core.form_actions import run, submit
from core.hosts import tenant_url
from tenants.decorators import workspace_view
from tenants.policy import has_perm

from . import inquiries
from .access import get_public_listing
from .inquiry_forms import InquiryForm, InquiryProposalForm, MessageForm
from .policy import MarketplacePerm, can_answer_inquiry, can_inquire


def _offer_url(inquiry) -> str:
    """Where the office of the inquirer's region turns the inquiry into an offer."""
    if inquiry.sender_tenant_id is None:
        return ""
    path = reverse("agreements:from_inquiry", args=[inquiry.pk], urlconf="portal.urls_tenant")
    return tenant_url(inquiry.sender_tenant, path)


# --- The platform: the inquirer's side ---------------------------------------------------------


@login_required
def inquire(request, pk: int):
    """Send an inquiry about a published listing (anything else is not found)."""
    listing = get_public_listing(pk)
    if not can_inquire(request.user):
        messages.error(request, _("Verify your e-mail address before sending an inquiry."))
        return redirect("account_email")
    regions = inquiries.member_regions(request.user, listing)
    form = InquiryForm(request.POST or None, regions=regions, initial={"subject": listing.title})
    submitted = submit(
        request,
        form,
        lambda data: inquiries.send_inquiry(user=request.user, listing=listing, **data),
    )
    if submitted.done:
        messages.success(
            request,
            _("Your inquiry was sent to %(region)s. We will e-mail you their answer.")
            % {"region": listing.tenant.name},
        )
        return redirect("marketplace:inquiry", pk=submitted.result.pk)
    return render(
        request,
        "marketplace/inquire.html",
        {"listing": listing, "form": form},
        status=submitted.status,
    )


@login_required
@require_GET
def my_inquiries(request):
    page = Paginator(inquiries.inquiries_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "marketplace/my_inquiries.html", {"page": page})


def _thread_page(request, inquiry, form=None, status=200):
    return render(
        request,
        "marketplace/inquiry.html",
        {
            "inquiry": inquiry,
            "listing": inquiry.listing,
            "thread": inquiries.thread(inquiry),
            "form": form or MessageForm(),
            "can_propose": inquiry.sender_tenant_id is None and not inquiry.converted,
            "offer_url": "" if inquiry.converted else _offer_url(inquiry),
        },
        status=status,
    )


@login_required
def inquiry_detail(request, pk: int):
    """The inquirer's thread; they write again here."""
    inquiry = inquiries.get_own_inquiry(request.user, pk)
    if request.method != "POST":
        return _thread_page(request, inquiry)
    form = MessageForm(request.POST)
    submitted = run(
        form,
        lambda data: inquiries.follow_up_inquiry(
            user=request.user, inquiry=inquiry, body=data["body"]
        ),
    )
    if not submitted.done:
        return _thread_page(request, inquiry, form, status=submitted.status)
    messages.success(request, _("Your message was sent."))
    return redirect("marketplace:inquiry", pk=inquiry.pk)


@login_required
def inquiry_proposal(request, pk: int):
    """A third party's inquiry becomes a cooperation proposal to the listing's region."""
    inquiry = inquiries.get_own_inquiry(request.user, pk)
    if inquiry.sender_tenant_id is not None or inquiry.converted:
        messages.error(
            request,
            _("This inquiry has already become a proposal.")
            if inquiry.converted
            else _("An inquiry written for a region becomes an offer from its cooperation office."),
        )
        return redirect("marketplace:inquiry", pk=inquiry.pk)
    form = InquiryProposalForm(
        request.POST or None,
        initial={"title": inquiry.subject, "description": inquiries.content(inquiry)},
    )
    submitted = submit(
        request,
        form,
        lambda data: inquiries.proposal_from_inquiry(user=request.user, inquiry=inquiry, data=data),
    )
    if submitted.done:
        messages.success(
            request,
            _("Your proposal was sent to %(region)s. We will e-mail you each step.")
            % {"region": inquiry.listing.tenant.name},
        )
        return redirect("proposals:detail", pk=submitted.result.pk)
    return render(
        request,
        "marketplace/inquiry_proposal.html",
        {"inquiry": inquiry, "listing": inquiry.listing, "form": form},
        status=submitted.status,
    )


# --- A region's subdomain: the listing's region, and the office of the inquirer's --------------


@workspace_view(MarketplacePerm.VIEW_INQUIRIES)
@require_GET
def region_inquiries(request):
    membership = request.membership
    page = Paginator(inquiries.received_by(membership), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "marketplace/region_inquiries.html",
        {
            "page": page,
            "sent": inquiries.sent_for(membership)[:50],
            "counts": inquiries.counts(tenant=request.tenant),
        },
    )


def _region_page(request, inquiry, form=None, status=200):
    membership = request.membership
    received = inquiry.listing.tenant_id == request.tenant.pk
    can_answer = (
        received
        and has_perm(request.user, request.tenant, MarketplacePerm.ANSWER_INQUIRIES, membership)
        and can_answer_inquiry(membership, inquiry)
    )
    can_offer = (
        not inquiry.converted
        and has_perm(request.user, request.tenant, AgreementPerm.OFFER_FROM_INQUIRIES, membership)
        and can_offer_from_inquiry(membership, inquiry)
    )
    return render(
        request,
        "marketplace/region_inquiry.html",
        {
            "inquiry": inquiry,
            "listing": inquiry.listing,
            "thread": inquiries.thread(inquiry),
            "received": received,
            "form": (form or MessageForm()) if can_answer else None,
            "can_offer": can_offer,
        },
        status=status,
    )


@workspace_view(MarketplacePerm.VIEW_INQUIRIES)
@require_GET
def region_inquiry(request, pk: int):
    return _region_page(request, inquiries.get_region_inquiry(request.membership, pk))


@workspace_view(MarketplacePerm.ANSWER_INQUIRIES)
@require_POST
def region_inquiry_reply(request, pk: int):
    inquiry = inquiries.get_region_inquiry(request.membership, pk)
    form = MessageForm(request.POST)
    submitted = run(
        form,
        lambda data: inquiries.answer_inquiry(
            membership=request.membership, inquiry=inquiry, body=data["body"]
        ),
    )
    if not submitted.done:
        return _region_page(request, inquiry, form, status=submitted.status)
    messages.success(request, _("Your answer was sent to the inquirer."))
    return redirect("marketplace_region:inquiry", pk=inquiry.pk)
