"""`{% partner_reasons listing %}` on a public listing's page: for each region the signed-in
person works for (other than the listing's), why the listing's region would suit it, with the
same reasons and score as that region's partner finder."""

from __future__ import annotations

from django import template
from django.urls import reverse

from cooperation.policy import sees_all_agreement_titles
from core.hosts import tenant_url
from marketplace.policy import MarketplacePerm
from tenants.models import Membership, Tenant
from tenants.policy import can_act, role_allows

from .. import matchmaking
from ..matchmaking_views import present

register = template.Library()
MAX_REGIONS = 3


@register.inclusion_tag("marketplace/_partner_reasons.html", takes_context=True)
def partner_reasons(context, listing):
    request = context.get("request")
    user = getattr(request, "user", None)
    explanations = []
    if user is not None and user.is_authenticated and can_act(user):
        memberships = (
            Membership.objects.filter(user=user, tenant__region__isnull=False)
            .exclude(tenant_id=listing.tenant_id)
            # The person's own regions they work in (not public content: `live`).
            .filter(tenant__in=Tenant.objects.live())
            .select_related("tenant__region", "area")
            .order_by("tenant__region_id")
        )
        for membership in memberships:
            if len(explanations) >= MAX_REGIONS:
                break
            if not role_allows(membership.role, MarketplacePerm.VIEW_LISTINGS):
                continue
            suggestion = matchmaking.explain_pair(membership.tenant, listing.tenant)
            explanations.append(
                {
                    "tenant": membership.tenant,
                    "row": present(suggestion, highlight=listing.pk),
                    "suggested": matchmaking.qualifies(suggestion),
                    "partners_url": tenant_url(
                        membership.tenant,
                        reverse("marketplace_region:partners", urlconf="portal.urls_tenant"),
                    ),
                    "can_see_agreements": sees_all_agreement_titles(
                        user, membership.tenant, membership
                    ),
                }
            )
    return {"listing": listing, "explanations": explanations}
