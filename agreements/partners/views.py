"""The partner pages on a region's subdomain: the inbox of offers from other regions, answering
one, signing as one of several party regions, and the meetings between the parties. Views shape
input and output; agreements/partners/actions.py decides and writes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.partners import actions as partners
from agreements.partners.forms import DeclineForm, MeetingForm, PartySigningForm, signed_copies
from agreements.register.access import get_agreement_for
from cooperation import shared_joint
from cooperation.models import PartyKind
from cooperation.policy import AgreementPerm
from core.form_actions import perform, run, submit
from core.uploads import limit_request_body
from tenants.decorators import workspace_view
from tenants.models import Region
from tenants.policy import Perm, has_perm


def _can(request, perm: Perm) -> bool:
    return has_perm(request.user, request.tenant, perm, request.membership)


@workspace_view(AgreementPerm.VIEW_OFFERS)
@require_GET
def inbox(request):
    return render(
        request, "agreements/partners/inbox.html", {"offers": partners.inbox(request.tenant)}
    )


def _offer_page(request, cooperation, *, form=None, status=200):
    answer = partners.answer_of(request.tenant, cooperation)
    return render(
        request,
        "agreements/partners/offer.html",
        {
            "cooperation": cooperation,
            "parties": cooperation.parties.select_related("region"),
            "partners": partners.partner_rows(cooperation),
            "meetings": partners.meetings_of(cooperation.pk),
            # The parties' inventory of points: a region offered the agreement sees it before
            # it answers (agreements/partners/joint.py).
            "groups": shared_joint.by_urusan(shared_joint.points_of(cooperation.pk)),
            "answer": answer,
            "can_answer": answer is None
            and cooperation.stage not in partners.CLOSED
            and _can(request, AgreementPerm.ANSWER_OFFERS),
            "decline_form": form or DeclineForm(),
        },
        status=status,
    )


@workspace_view(AgreementPerm.VIEW_OFFERS)
@require_GET
def offer_detail(request, cooperation_pk: int):
    """The offer as the partner sees it: the shared part only (terms, parties, stage, meetings);
    nothing of the offering region's own chain, which is in its schema."""
    cooperation = partners.get_offer_for(request.membership, cooperation_pk)
    return _offer_page(request, cooperation)


@workspace_view(AgreementPerm.ANSWER_OFFERS)
@require_POST
def offer_accept(request, cooperation_pk: int):
    cooperation = partners.get_offer_for(request.membership, cooperation_pk)
    submitted = perform(
        request,
        lambda: partners.accept_offer(membership=request.membership, cooperation_pk=cooperation.pk),
    )
    if not submitted.done:  # the refusal is told as a message on the offer
        return redirect("agreements:offer", cooperation_pk=cooperation.pk)
    messages.success(request, _("The offer was accepted; the agreement is in your register now."))
    return redirect("agreements:detail", pk=submitted.result.pk)


@workspace_view(AgreementPerm.ANSWER_OFFERS)
def offer_decline(request, cooperation_pk: int):
    cooperation = partners.get_offer_for(request.membership, cooperation_pk)
    form = DeclineForm(request.POST or None)
    if request.method != "POST":
        return _offer_page(request, cooperation, form=form)
    submitted = run(
        form,
        lambda data: partners.decline_offer(
            membership=request.membership, cooperation_pk=cooperation.pk, reason=data["reason"]
        ),
    )
    if submitted.done:
        messages.success(request, _("The offer was declined; the offering region is told."))
        return redirect("agreements:offers")
    return _offer_page(request, cooperation, form=form, status=submitted.status)


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def shared(request, cooperation_pk: int):
    """A link that works on every party's subdomain (e-mails between the parties carry it):
    this region's own record of the shared agreement, or the offer while it has not answered."""
    agreement = partners.agreement_in_register(cooperation_pk)
    if agreement is not None:
        return redirect("agreements:detail", pk=agreement.pk)
    partners.get_offer_for(request.membership, cooperation_pk)
    return redirect("agreements:offer", cooperation_pk=cooperation_pk)


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@workspace_view(AgreementPerm.RUN_AGREEMENT_LIFECYCLE)
def party_sign(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    cooperation = agreement.cooperation
    instrument = partners.signing_instrument(cooperation)
    copies = signed_copies(cooperation.pk, instrument) if instrument else []
    form = PartySigningForm(
        request.POST or None,
        request.FILES or None,
        copies=copies,
        initial={"version": cooperation.version},
    )
    submitted = submit(
        request,
        form,
        lambda data: partners.sign_as_party(
            membership=request.membership,
            agreement=agreement,
            version=data["version"],
            signed_on=data["signed_on"],
            document=data.get("document"),
            confirms=data.get("confirms"),
        ),
    )
    if submitted.done:
        messages.success(request, _("Your region's signature was recorded."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/partners/sign.html",
        {
            "agreement": agreement,
            "cooperation": cooperation,
            "instrument": instrument,
            "partners": partners.partner_rows(cooperation),
            "form": form,
        },
        status=submitted.status,
    )


def _meeting_form(request, cooperation):
    regions = Region.objects.filter(
        pk__in=cooperation.parties.filter(kind=PartyKind.REGION).values("region_id")
    )
    return MeetingForm(request.POST or None, regions=regions)


@workspace_view(AgreementPerm.VIEW_AGREEMENTS)
@require_GET
def meetings(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    return render(
        request,
        "agreements/partners/meetings.html",
        {
            "agreement": agreement,
            "cooperation": agreement.cooperation,
            "meetings": partners.meetings_of(agreement.cooperation_id),
            "can_record": _can(request, AgreementPerm.RECORD_MEETINGS),
        },
    )


@workspace_view(AgreementPerm.RECORD_MEETINGS)
def meeting_record(request, pk: int):
    agreement = get_agreement_for(request.membership, pk)
    form = _meeting_form(request, agreement.cooperation)
    submitted = submit(
        request,
        form,
        lambda data: partners.record_meeting(
            membership=request.membership,
            agreement=agreement,
            held_on=data["held_on"],
            place=data["place"],
            host=form.host_region(),
            attendees=data["attendees"],
            minutes=data["minutes"],
            decisions=data["decisions"],
            next_steps=data["next_steps"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The meeting was recorded; every party sees it."))
        return redirect("agreements:meetings", pk=agreement.pk)
    return render(
        request,
        "agreements/partners/meeting_form.html",
        {"agreement": agreement, "cooperation": agreement.cooperation, "form": form},
        status=submitted.status,
    )
