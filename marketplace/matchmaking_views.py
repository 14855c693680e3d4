"""The partner finder's page on a region's subdomain (/pasar/mitra/): the regions this region
could work with, each with its reasons and what they add (marketplace/matchmaking.py)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cooperation.policy import sees_all_agreement_titles
from core.hosts import platform_url
from tenants.decorators import workspace_view

from . import matchmaking
from .policy import MarketplacePerm


def listing_url(pk: int) -> str:
    """A public listing's page on the platform."""
    return platform_url(reverse("marketplace:detail", args=[pk], urlconf="portal.urls_public"))


def search_url(region_code: str) -> str:
    return platform_url(
        reverse("marketplace:search", urlconf="portal.urls_public") + f"?region={region_code}"
    )


def present(suggestion: matchmaking.Suggestion, *, highlight: int | None = None) -> dict:
    """A suggestion as a page shows it: each reason with links to the listings it names, and
    whether it is about the listing `highlight`."""
    return {
        "suggestion": suggestion,
        "search_url": search_url(suggestion.tenant.region_id),
        "reasons": [
            {
                "reason": reason,
                "listings": [(ref.title, listing_url(ref.pk)) for ref in reason.listings],
                "about_listing": highlight is not None
                and any(ref.pk == highlight for ref in reason.listings),
            }
            for reason in suggestion.reasons
        ],
    }


@workspace_view(MarketplacePerm.VIEW_LISTINGS)
@require_GET
def partner_finder(request):
    suggestions = matchmaking.suggest_partners(request.tenant, limit=20)
    return render(
        request,
        "marketplace/partners.html",
        {
            "rows": [present(s) for s in suggestions],
            "weights": matchmaking.weights(),
            # Agreements' titles come from the register: shown to those who read it.
            "can_see_agreements": sees_all_agreement_titles(
                request.user, request.tenant, request.membership
            ),
        },
    )
