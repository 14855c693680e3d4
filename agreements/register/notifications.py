"""Who is told what about an agreement, by e-mail after the change commits."""

from __future__ import annotations

from django.urls import reverse

from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants.models import Membership, Role, Tenant


def _emails(tenant: Tenant, role: str, actor) -> list[str]:
    return list(
        Membership.objects.filter(tenant=tenant, role=role)
        .exclude(user=actor)
        .values_list("user__email", flat=True)
    )


def _link(tenant: Tenant, agreement) -> str:
    return tenant_url(tenant, reverse("agreements:detail", args=[agreement.pk]))


def notify_admins(*, tenant: Tenant, agreement, cooperation, event: str, actor) -> None:
    """The region's other administrators (the cooperation office) hear of every step."""
    recipients = _emails(tenant, Role.ADMIN, actor)
    if recipients:
        send_templated_email_on_commit(
            "agreements/email/stage_changed",
            {
                "tenant": tenant,
                "cooperation": cooperation,
                "event": event,
                "actor": actor,
                "url": _link(tenant, agreement),
            },
            recipients,
        )


def notify_reviewers(*, tenant: Tenant, agreement, cooperation, actor) -> None:
    """The TKKSD's members are asked for their recommendation."""
    recipients = _emails(tenant, Role.TKKSD, actor)
    if recipients:
        send_templated_email_on_commit(
            "agreements/email/review_requested",
            {
                "tenant": tenant,
                "cooperation": cooperation,
                "actor": actor,
                "url": _link(tenant, agreement),
            },
            recipients,
        )
