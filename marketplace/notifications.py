"""Who is told what about a listing, by e-mail after the change commits."""

from __future__ import annotations

from django.urls import reverse

from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants.models import Membership, Role


def _link(listing, name: str = "marketplace_region:detail") -> str:
    path = reverse(name, args=[listing.pk], urlconf="portal.urls_tenant")
    return tenant_url(listing.tenant, path)


def listing_submitted(*, listing, actor) -> None:
    """The region's office (its administrators) is asked to moderate."""
    recipients = list(
        Membership.objects.filter(tenant=listing.tenant, role=Role.ADMIN)
        .exclude(user=actor)
        .values_list("user__email", flat=True)
    )
    if recipients:
        send_templated_email_on_commit(
            "marketplace/email/listing_submitted",
            {"listing": listing, "actor": actor, "url": _link(listing)},
            recipients,
        )


def listing_decided(*, listing, actor) -> None:
    """The publisher hears that the office published or returned their listing."""
    owner = listing.created_by
    if owner is None or owner == actor:
        return
    send_templated_email_on_commit(
        "marketplace/email/listing_decided",
        {"listing": listing, "url": _link(listing)},
        [owner.email],
    )


def listing_expiring(*, listing, days: int) -> None:
    send_templated_email_on_commit(
        "marketplace/email/listing_expiring",
        {"listing": listing, "days": days, "url": _link(listing, "marketplace_region:edit")},
        [listing.created_by.email],
    )
