"""The portal's pages for anonymous visitors from the cache (core/http_cache.py): which
generations each page is keyed by, and what renews them.

- The home page: everything published in the registry ("registry"), every listing
  ("listings") and the portal's pages and regions ("pages").
- A region's profile: its own agreements ("registry:region:<code>", public_registry/cache.py),
  its own listings ("listings:region:<code>") and "pages".

Renewed after the commit of: a publication (public_registry/publishing.py); a listing saved or
deleted (its region's and the platform's listings); a Wagtail page published, unpublished,
moved or deleted, and a tenant saved (onboarding, suspension, deletion change which regions and
profiles the public sees, and their names): "pages".
"""

from __future__ import annotations

from core import http_cache
from public_registry import cache as registry_cache

LISTINGS = "listings"
PAGES = "pages"


def listings_scope(code: str) -> str:
    return f"listings:region:{code}"


def home_scopes() -> list[str]:
    return registry_cache.page_scopes([registry_cache.ALL, LISTINGS, PAGES])


def profile_scopes(code: str) -> list[str]:
    return registry_cache.page_scopes(
        [registry_cache.region_scope(code), listings_scope(code), PAGES]
    )


def on_listing_changed(sender, instance, **kwargs) -> None:
    from tenants.models import Tenant

    code = Tenant.objects.filter(pk=instance.tenant_id).values_list("region__code", flat=True)
    http_cache.bump_on_commit([LISTINGS, *(listings_scope(c) for c in code if c)])


def on_pages_changed(sender, **kwargs) -> None:
    http_cache.bump_on_commit([PAGES])
