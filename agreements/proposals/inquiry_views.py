"""The office turns an inquiry its region's member sent into an offer, on the region's subdomain
(/kerja-sama/dari-minat/<inquiry>/). Views shape input and output; agreements/proposals/inquiries.py
decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agreements.proposals import inquiries
from agreements.proposals.inquiry_forms import OfferFromInquiryForm
from cooperation.policy import AgreementPerm, can_offer_from_inquiry
from core.form_actions import submit
from marketplace import inquiries as marketplace_inquiries
from tenants.decorators import workspace_view


@workspace_view(AgreementPerm.OFFER_FROM_INQUIRIES)
def offer_from_inquiry(request, inquiry_pk: int):
    inquiry = marketplace_inquiries.get_region_inquiry(request.membership, inquiry_pk)
    if not can_offer_from_inquiry(request.membership, inquiry):
        raise Http404  # an inquiry the region received, not one it sent
    form = OfferFromInquiryForm(request.POST or None, initial={"title": inquiry.subject})
    if inquiry.converted:  # already an offer: the form is not run again
        status = 409
    else:
        submitted = submit(
            request,
            form,
            lambda data: inquiries.offer_from_inquiry(
                membership=request.membership,
                inquiry=inquiry,
                kind=data["kind"],
                title=data["title"],
            ),
        )
        if submitted.done:
            messages.success(
                request,
                _(
                    "The agreement is in preparation with %(region)s as partner. Send the "
                    "offer from its page when it is ready."
                )
                % {"region": inquiry.listing.tenant.name},
            )
            return redirect("agreements:detail", pk=submitted.result.pk)
        status = submitted.status
    return render(
        request,
        "agreements/inquiry_offer.html",
        {
            "inquiry": inquiry,
            "listing": inquiry.listing,
            "thread": marketplace_inquiries.thread(inquiry),
            "form": form,
        },
        status=status,
    )
