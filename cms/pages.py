"""The portal side of onboarding: a region's public section appears when it joins and goes when
it is deleted. Called from the tenant actions, inside their transactions."""

from __future__ import annotations

from .models import HomePage, RegionPage


def ensure_region_page(region) -> RegionPage | None:
    existing = RegionPage.objects.filter(region=region).first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    if home is None:  # a portal without its home page (never the case after migrations)
        return None
    page = RegionPage(title=region.full_name, slug=region.slug, region=region)
    home.add_child(instance=page)
    return page


def remove_region_page(region) -> None:
    for page in RegionPage.objects.filter(region=region):
        page.delete()


def on_region_provisioned(sender, *, region, **kwargs) -> None:
    ensure_region_page(region)


def on_region_deleting(sender, *, region, **kwargs) -> None:
    remove_region_page(region)
