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


# The portal's own sections under the home page, with their slugs (Indonesian URLs). Platform
# editors fill them (cms/editors.py); the demo adds content (cms/demo.py).
SECTIONS = (
    ("NewsIndexPage", "berita", "Berita dan Cerita"),
    ("GuideIndexPage", "panduan", "Panduan"),
    ("RegulationLibraryPage", "regulasi", "Pustaka Regulasi"),
    ("OverviewPage", "ikhtisar", "Ikhtisar Platform"),
)


def ensure_sections() -> dict[str, object]:
    """Create the portal's sections under the home page when missing (idempotent; after every
    migrate, see apps.py). Returns them by class name."""
    from . import models

    home = HomePage.objects.first()
    found: dict[str, object] = {}
    if home is None:
        return found
    for class_name, slug, title in SECTIONS:
        model = getattr(models, class_name)
        page = model.objects.child_of(home).first()
        if page is None:
            page = model(title=title, slug=slug, show_in_menus=True)
            home.add_child(instance=page)
            home.refresh_from_db()
        found[class_name] = page
    return found


def on_post_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections
    from django_tenants.utils import get_public_schema_name

    connection = connections[using]
    if getattr(connection, "schema_name", None) == get_public_schema_name():
        ensure_sections()


def ensure_home() -> HomePage:
    """The page tree's root, the home page and the default site, made when missing (a database
    emptied by a test's flush, or an old one); migration 0002 makes them on a new database."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", live=True)
        )
        home = HomePage(title="Jejaring", slug="home")
        root.add_child(instance=home)
    if not Site.objects.filter(is_default_site=True, root_page=home).exists():
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "site_name": "Jejaring"},
        )
    return home
