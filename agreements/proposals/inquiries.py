"""An inquiry a region's member sent about another region's listing becomes, in one step, an
agreement in preparation in the sender's region's register, with the listing's region as
partner: its content carried (the listing's urusan, the thread as the object), the link kept on
the inquiry (its shared record, marketplace.Inquiry.cooperation). The office then sends the
offer through the lifecycle as for any agreement; the partner finds it in its inbox.

The orchestration lives here because the agreements build on the marketplace (an offer may come
from a listing) while a listing never needs an agreement: .importlinter puts `marketplace` in a
layer below `agreements`. A third party's inquiry becomes a proposal on the marketplace's side
(marketplace.inquiries.proposal_from_inquiry), which needs nothing of the register.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.register import actions
from agreements.register.parties import PartyData
from cooperation.models import PARTNER_KIND_FOR, Kind, PartyKind
from cooperation.policy import AgreementPerm, can_offer_from_inquiry
from core.actions import top_level
from core.errors import Conflict, Forbidden
from marketplace import inquiries as marketplace_inquiries
from marketplace.errors import InquiryError
from marketplace.models import Inquiry
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm

# The kinds of cooperation whose partner is another region (KSDD).
REGIONAL_KINDS = tuple(k for k in Kind.values if PARTNER_KIND_FOR[k] == PartyKind.REGION)


@top_level
def offer_from_inquiry(
    *, membership: Membership, inquiry: Inquiry, kind: str, title: str
) -> Agreement:
    """The office of the region the inquiry was sent for creates the agreement in preparation
    (agreements.register.actions.create_agreement: its permission, validation and audit) and the
    inquiry records the link (marketplace.inquiries.record_offer), in one transaction."""
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user,
        membership.tenant,
        AgreementPerm.OFFER_FROM_INQUIRIES,
        membership=membership,
    ) or not can_offer_from_inquiry(membership, inquiry):
        raise Forbidden(_("Only the office of the inquirer's region makes an offer of it."))
    if inquiry.sender_tenant_id is None:
        raise Conflict(
            _("A third party's inquiry becomes a proposal, not an offer."),
            code=InquiryError.FROM_A_THIRD_PARTY,
        )
    if kind not in REGIONAL_KINDS:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("An offer to another region is a KSDD."),
                    code=InquiryError.NOT_A_REGIONAL_KIND,
                )
            }
        )
    title = (title or "").strip()
    with transaction.atomic():
        inquiry = marketplace_inquiries.lock(inquiry)
        marketplace_inquiries.check_convertible(inquiry)
        listing = inquiry.listing
        agreement = actions.create_agreement.inner(
            membership=membership,
            fields={
                "kind": kind,
                "title": title,
                "urusan": [listing.urusan],
                "object": marketplace_inquiries.content(inquiry),
            },
            parties=[PartyData(kind=PartyKind.REGION, region=listing.tenant.region)],
            private={
                "internal_notes": _("From the inquiry “%(subject)s” (%(url)s).")
                % {
                    "subject": inquiry.subject,
                    "url": marketplace_inquiries.region_link(inquiry, membership.tenant),
                }
            },
        )
        marketplace_inquiries.record_offer(
            membership=membership, inquiry=inquiry, cooperation_id=agreement.cooperation_id
        )
    return agreement
