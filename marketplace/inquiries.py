"""Inquiries about listings: an expression of interest from a member of another region or a third
party, answered by the listing's region in a thread, and what it becomes.

Every function that changes something is one action: permission (tenants.policy), validation,
an atomic write (the inquiry row locked), the audit event (in the listing's region's history,
or the inquirer's region's for an offer), and e-mail after the commit. What an inquiry becomes:
a third party's a proposal to the listing's region (here, through cooperation.shared_proposals, the
proposals' own action); a region member's an agreement in preparation of the member's region
(agreements/inquiries.py, through agreements.actions.create_agreement, which then records the
link with `record_offer`). The marketplace never needs the agreements: it reads the shared
records (cooperation) to count what its listings led to.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import shared_proposals as cooperation_proposals
from cooperation.models import Proposal
from cooperation.policy import AgreementPerm, can_offer_from_inquiry
from core.errors import Conflict, Forbidden, NotFound
from core.hosts import platform_url, tenant_url
from core.mail import send_templated_email_on_commit
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership, Role, Tenant
from tenants.policy import has_perm, membership_for

from .errors import InquiryError
from .models import Inquiry, InquiryMessage, InquiryStatus, Listing
from .policy import (
    MarketplacePerm,
    can_answer_inquiry,
    can_inquire,
    can_inquire_for,
    can_read_inquiry,
    readable_inquiries,
)

MAX_BODY = 5000
MAX_SUBJECT = 160


# --- Links and mail --------------------------------------------------------------------------


def platform_link(inquiry: Inquiry) -> str:
    """The inquirer's page of the thread (the platform)."""
    path = reverse("marketplace:inquiry", args=[inquiry.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return platform_url(path)


def region_link(inquiry: Inquiry, tenant: Tenant | None = None) -> str:
    """The thread on a region's subdomain (the listing's region unless `tenant` is given)."""
    tenant = tenant or inquiry.listing.tenant
    path = reverse("marketplace_region:inquiry", args=[inquiry.pk], urlconf="portal.urls_tenant")
    return tenant_url(tenant, path)


def listing_link(listing: Listing) -> str:
    path = reverse("marketplace:detail", args=[listing.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return platform_url(path)


def _region_recipients(inquiry: Inquiry, actor) -> list[str]:
    """Who hears of an inquiry in the listing's region: its office and the listing's publisher
    (when still a member), never the person who wrote."""
    listing = inquiry.listing
    emails = set(
        Membership.objects.filter(tenant=listing.tenant, role=Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )
    if (
        listing.created_by_id is not None
        and Membership.objects.filter(tenant=listing.tenant, user_id=listing.created_by_id).exists()
    ):
        emails.add(listing.created_by.email)
    emails.discard(getattr(actor, "email", None))
    return sorted(e for e in emails if e)


def _notify_region(inquiry: Inquiry, message: InquiryMessage, actor, *, first: bool) -> None:
    recipients = _region_recipients(inquiry, actor)
    if recipients:
        send_templated_email_on_commit(
            "marketplace/email/inquiry_received",
            {
                "inquiry": inquiry,
                "listing": inquiry.listing,
                "message": message,
                "first": first,
                "sender": _sender_label(inquiry),
                "url": region_link(inquiry),
            },
            recipients,
        )


def _notify_inquirer(inquiry: Inquiry, message: InquiryMessage) -> None:
    send_templated_email_on_commit(
        "marketplace/email/inquiry_answered",
        {
            "inquiry": inquiry,
            "listing": inquiry.listing,
            "message": message,
            "url": platform_link(inquiry),
        },
        [inquiry.sender_email],
    )


def _sender_label(inquiry: Inquiry) -> str:
    if inquiry.sender_tenant_id is not None:
        return f"{inquiry.sender_email} ({inquiry.sender_tenant.name})"
    return inquiry.sender_email


# --- Reads -------------------------------------------------------------------------------------


def _inquiries():
    return Inquiry.objects.select_related(
        "listing__tenant__region", "listing__area", "sender_tenant", "proposal", "cooperation"
    )


def inquiries_of(user):
    """The inquiries `user` sent, the latest conversation first."""
    if not (user and user.is_authenticated):
        return Inquiry.objects.none()
    return _inquiries().filter(sender=user).order_by("-last_message_at", "-pk")


def received_by(membership: Membership):
    """The inquiries about the member's region's listings they may read."""
    return readable_inquiries(membership, _inquiries()).order_by("-last_message_at", "-pk")


def sent_for(membership: Membership):
    """The inquiries members sent for the region, for its office (which turns them into
    offers); nothing for other roles."""
    if not has_perm(
        membership.user,
        membership.tenant,
        AgreementPerm.OFFER_FROM_INQUIRIES,
        membership=membership,
    ):
        return Inquiry.objects.none()
    return _inquiries().filter(sender_tenant=membership.tenant).order_by("-last_message_at", "-pk")


def get_own_inquiry(user, pk: int) -> Inquiry:
    """The inquiry `pk` if `user` sent it; Http404 otherwise (missing or someone else's)."""
    inquiry = inquiries_of(user).filter(pk=pk).first()
    if inquiry is None:
        raise Http404
    return inquiry


def get_region_inquiry(membership: Membership | None, pk: int) -> Inquiry:
    """An inquiry about the member's region's listings that they may read, or one a member sent
    for the region (for its office); Http404 otherwise, like a missing one."""
    inquiry = _inquiries().filter(pk=pk).first()
    if inquiry is None or not (
        can_read_inquiry(membership, inquiry) or can_offer_from_inquiry(membership, inquiry)
    ):
        raise Http404
    return inquiry


def thread(inquiry: Inquiry):
    return inquiry.messages.select_related("author")


def counts(*, tenant: Tenant | None = None) -> dict[str, int]:
    """What listings led to: the listings with at least one inquiry, the inquiries, those that
    became an offer or a proposal and those whose agreement was signed (its shared record has a
    date of signing; for a proposal, the agreement it was accepted into). Of one region's
    listings, or of the whole marketplace. One query each for listings and inquiries."""
    listings = Listing.objects.all() if tenant is None else Listing.objects.of_region(tenant)
    inquiries = (
        Inquiry.objects.all() if tenant is None else Inquiry.objects.filter(listing__tenant=tenant)
    )
    converted = Q(cooperation__isnull=False) | Q(proposal__isnull=False)
    signed = Q(cooperation__signed_on__isnull=False) | Q(
        proposal__cooperation__signed_on__isnull=False
    )
    figures = inquiries.aggregate(
        inquiries=Count("pk", distinct=True),
        converted=Count("pk", filter=converted, distinct=True),
        signed=Count("pk", filter=signed, distinct=True),
    )
    figures["listings"] = listings.filter(inquiries__isnull=False).distinct().count()
    return figures


# --- Checks ------------------------------------------------------------------------------------


def _text(value: str, field: str, message: str, code: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: ValidationError(message, code=code)})
    if len(value) > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Write at most %(n)s characters.") % {"n": limit}, code="max_length"
                )
            }
        )
    return value


def _body(value: str) -> str:
    return _text(value, "body", _("Write your message."), InquiryError.MESSAGE_REQUIRED, MAX_BODY)


def lock(inquiry: Inquiry) -> Inquiry:
    """The inquiry, locked for this transaction (with its listing and regions)."""
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("listing__tenant__region", "sender_tenant")
        .get(pk=inquiry.pk)
    )


def _add_message(inquiry: Inquiry, *, author, body: str, from_listing_region: bool):
    now = timezone.now()
    message = InquiryMessage.objects.create(
        inquiry=inquiry,
        author=author,
        from_listing_region=from_listing_region,
        body=body,
        created_at=now,
    )
    inquiry.last_message_at = now
    inquiry.status = InquiryStatus.ANSWERED if from_listing_region else InquiryStatus.OPEN
    inquiry.save(update_fields=["last_message_at", "status"])
    return message


# --- Actions -----------------------------------------------------------------------------------


def send_inquiry(
    *, user, listing: Listing, subject: str, body: str, sender_tenant: Tenant | None = None
) -> Inquiry:
    """An inquiry about a published, valid listing, from `user` for themselves or for
    `sender_tenant` (a region they are a member of, not the listing's own). A listing that is
    not public accepts none: NotFound, like a missing one."""
    if not can_inquire(user):
        raise Forbidden(_("Verify your e-mail address before sending an inquiry."))
    if sender_tenant is not None:
        if sender_tenant.pk == listing.tenant_id:
            raise ValidationError(
                {
                    "sender_tenant": ValidationError(
                        _("This is your own region's listing: talk to its publisher directly."),
                        code=InquiryError.OWN_REGION,
                    )
                }
            )
        ensure_writable(sender_tenant)
        if not can_inquire_for(user, sender_tenant):
            raise Forbidden(
                _("You write only for a region you are a member of."),
                code=InquiryError.NOT_A_MEMBER,
            )
    subject = _text(
        subject,
        "subject",
        _("Give your inquiry a subject."),
        InquiryError.SUBJECT_REQUIRED,
        MAX_SUBJECT,
    )
    body = _body(body)
    with transaction.atomic():
        # Re-read as public and locked: unpublished or expired a moment ago, it takes nothing.
        listing = (
            Listing.objects.public()
            .select_for_update(of=("self",))
            .select_related("tenant__region", "created_by")
            .filter(pk=listing.pk)
            .first()
        )
        if listing is None:
            raise NotFound(_("This listing is not in the marketplace."))
        inquiry = Inquiry.objects.create(
            listing=listing,
            sender=user,
            sender_email=user.email,
            sender_tenant=sender_tenant,
            subject=subject,
        )
        message = _add_message(inquiry, author=user, body=body, from_listing_region=False)
        audit.record(
            "inquiry.sent",
            actor=user,
            tenant=listing.tenant,
            obj=inquiry,
            data={
                "subject": subject,
                "listing": listing.title,
                "from_region": sender_tenant.region_id if sender_tenant else None,
            },
        )
        _notify_region(inquiry, message, user, first=True)
    return inquiry


def answer_inquiry(*, membership: Membership, inquiry: Inquiry, body: str) -> InquiryMessage:
    """The listing's region answers (its office, or a publisher of the listing's area)."""
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user, membership.tenant, MarketplacePerm.ANSWER_INQUIRIES, membership=membership
    ) or not can_answer_inquiry(membership, inquiry):
        raise Forbidden(_("Only the office and the listing's publishers answer its inquiries."))
    body = _body(body)
    with transaction.atomic():
        inquiry = lock(inquiry)
        message = _add_message(inquiry, author=membership.user, body=body, from_listing_region=True)
        audit.record(
            "inquiry.answered",
            actor=membership.user,
            tenant=membership.tenant,
            obj=inquiry,
            data={"subject": inquiry.subject, "listing": inquiry.listing.title},
        )
        _notify_inquirer(inquiry, message)
    return message


def follow_up_inquiry(*, user, inquiry: Inquiry, body: str) -> InquiryMessage:
    """The inquirer writes again in the thread (for their region only while still a member)."""
    if not can_inquire(user) or inquiry.sender_id != user.pk:
        raise Forbidden(_("Only the inquirer writes for their side of the thread."))
    if inquiry.sender_tenant_id is not None and not can_inquire_for(user, inquiry.sender_tenant):
        raise Forbidden(
            _("You write only for a region you are a member of."),
            code=InquiryError.NOT_A_MEMBER,
        )
    body = _body(body)
    with transaction.atomic():
        inquiry = lock(inquiry)
        message = _add_message(inquiry, author=user, body=body, from_listing_region=False)
        audit.record(
            "inquiry.followed_up",
            actor=user,
            tenant=inquiry.listing.tenant,
            obj=inquiry,
            data={"subject": inquiry.subject, "listing": inquiry.listing.title},
        )
        _notify_region(inquiry, message, user, first=False)
    return message


# --- What an inquiry becomes -------------------------------------------------------------------


def content(inquiry: Inquiry) -> str:
    """The inquiry as the text of the offer or proposal it becomes: the listing (with its
    link) and the whole thread, in order."""
    listing = inquiry.listing
    lines = [
        _("Inquiry “%(subject)s” about the listing “%(title)s” of %(region)s: %(url)s")
        % {
            "subject": inquiry.subject,
            "title": listing.title,
            "region": listing.tenant.name,
            "url": listing_link(listing),
        },
    ]
    for message in thread(inquiry):
        side = listing.tenant.name if message.from_listing_region else _sender_label(inquiry)
        day = timezone.localtime(message.created_at).date().isoformat()
        lines.append(f"\n{side}, {day}:\n{message.body}")
    return "\n".join(lines)


def _convertible(inquiry: Inquiry) -> None:
    if inquiry.converted:
        raise Conflict(
            _("This inquiry has already become an offer or a proposal."),
            code=InquiryError.ALREADY_CONVERTED,
        )


def check_convertible(inquiry: Inquiry) -> None:
    """For the offer's side (agreements/inquiries.py), inside its transaction on the locked
    row: refused once the inquiry has become something."""
    _convertible(inquiry)


def record_offer(*, membership: Membership, inquiry: Inquiry, cooperation_id: int) -> Inquiry:
    """Link a (locked, convertible) inquiry to the shared record of the agreement its sender's
    region created from it: called by agreements/inquiries.py inside its transaction, after
    its own checks."""
    if not can_offer_from_inquiry(membership, inquiry):
        raise Forbidden(_("Only the office of the inquirer's region makes an offer of it."))
    _convertible(inquiry)
    inquiry.cooperation_id = cooperation_id
    inquiry.converted_at = timezone.now()
    inquiry.converted_by = membership.user
    inquiry.save(update_fields=["cooperation", "converted_at", "converted_by"])
    audit.record(
        "inquiry.offer_made",
        actor=membership.user,
        tenant=membership.tenant,
        obj=inquiry,
        data={
            "subject": inquiry.subject,
            "listing": inquiry.listing.title,
            "partner": inquiry.listing.tenant.region_id,
            "cooperation": cooperation_id,
        },
    )
    return inquiry


def proposal_from_inquiry(*, user, inquiry: Inquiry, data: dict) -> Proposal:
    """A third party's inquiry becomes, in one step, a cooperation proposal to the listing's
    region (cooperation.shared_proposals.submit_proposal: its checks, audit and e-mail), carrying
    the listing's urusan and the thread; the inquiry keeps the link."""
    if not can_inquire(user) or inquiry.sender_id != user.pk:
        raise Forbidden(_("Only the inquirer turns the inquiry into a proposal."))
    if inquiry.sender_tenant_id is not None:
        raise Conflict(
            _(
                "You wrote this inquiry for %(region)s: its cooperation office turns it into an "
                "offer in its agreements workspace."
            )
            % {"region": inquiry.sender_tenant.name},
            code=InquiryError.FROM_A_REGION,
        )
    with transaction.atomic():
        inquiry = lock(inquiry)
        _convertible(inquiry)
        listing = inquiry.listing
        proposal = cooperation_proposals.submit_proposal.inner(
            user=user,
            tenant=listing.tenant,
            data={
                "proposer_kind": data.get("proposer_kind"),
                "organisation": data.get("organisation") or "",
                "organisation_details": data.get("organisation_details") or "",
                "from_region": data.get("from_region"),
                "title": (data.get("title") or "").strip() or inquiry.subject,
                "description": (data.get("description") or "").strip() or content(inquiry),
                "urusan": [listing.urusan],
            },
        )
        inquiry.proposal = proposal
        inquiry.converted_at = timezone.now()
        inquiry.converted_by = user
        inquiry.save(update_fields=["proposal", "converted_at", "converted_by"])
        audit.record(
            "inquiry.proposal_made",
            actor=user,
            tenant=listing.tenant,
            obj=inquiry,
            data={
                "subject": inquiry.subject,
                "listing": listing.title,
                "proposal": proposal.pk,
            },
        )
    return proposal


def member_regions(user, listing: Listing) -> list[Tenant]:
    """The regions `user` may write an inquiry about `listing` for."""
    if not (user and user.is_authenticated):
        return []
    tenants = Tenant.objects.filter(memberships__user=user).exclude(pk=listing.tenant_id)
    return [t for t in tenants.order_by("name") if can_inquire_for(user, t)]


def offer_tenant_membership(user, inquiry: Inquiry) -> Membership | None:
    """The inquirer's membership in the region they wrote for (to point them to its office)."""
    if inquiry.sender_tenant_id is None:
        return None
    return membership_for(user, inquiry.sender_tenant)
