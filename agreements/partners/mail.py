"""E-mail between the regions that are parties to one agreement, after the change commits: an
offer reaches the partners' offices; an answer, a signature or a meeting reaches the others."""

from __future__ import annotations

from django.urls import reverse

from cooperation.shared_partners import party_tenants
from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants.models import Membership, Role, Tenant


def _office(tenant: Tenant, actor) -> list[str]:
    return list(
        Membership.objects.filter(tenant=tenant, role=Role.ADMIN)
        .exclude(user=actor)
        .values_list("user__email", flat=True)
    )


def notify_partners_of_offer(*, tenant: Tenant, cooperation, actor) -> None:
    """Each partner region on Jejaring finds the offer in its inbox; its office is told."""
    for partner in party_tenants(cooperation):
        if partner.pk == tenant.pk:
            continue
        recipients = _office(partner, actor)
        if recipients:
            send_templated_email_on_commit(
                "agreements/partners/email/offer_received",
                {
                    "tenant": partner,
                    "sender": tenant,
                    "cooperation": cooperation,
                    "url": tenant_url(partner, reverse("agreements:offer", args=[cooperation.pk])),
                },
                recipients,
            )


def notify_other_parties(*, tenant: Tenant, cooperation, actor, event: str) -> None:
    """The other party regions' offices hear of `event` (an answer, a signature, a meeting).
    The link resolves, on each region's subdomain, to its own record of the agreement (or to
    the offer in its inbox while it has not answered)."""
    for other in party_tenants(cooperation):
        if other.pk == tenant.pk:
            continue
        recipients = _office(other, actor)
        if recipients:
            send_templated_email_on_commit(
                "agreements/partners/email/party_event",
                {
                    "tenant": other,
                    "sender": tenant,
                    "cooperation": cooperation,
                    "event": event,
                    "url": tenant_url(other, reverse("agreements:shared", args=[cooperation.pk])),
                },
                recipients,
            )
