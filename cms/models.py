"""The public portal's page types (Wagtail, public schema: one page tree for the platform, with a
section per region that joins).

    HomePage                          /
      RegionPage (a region's profile) /kota-malang/      edited by the region's editors
        ArticlePage (its news)
      NewsIndexPage                   /berita/           edited by platform editors
        ArticlePage (news, stories)
      GuideIndexPage                  /panduan/
        GuidePage
      RegulationLibraryPage           /regulasi/
        RegulationPage (a law with its metadata and PDF)
      OverviewPage                    /ikhtisar/         the platform in figures

Drafts, previews, revisions, scheduled publishing (cms/tasks.py runs Wagtail's
publish_scheduled) and moderation are Wagtail's own. The figures, agreements and listings shown
come from public data only (cms/public_data.py), never from a region's workspace schema.
"""

from http import HTTPMethod

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core import http_cache
from tenants.models import Tenant

from . import page_cache, public_data


def _allow_map_tiles(response):
    """The pages that draw a map (a region's profile, the overview) may load the tile images,
    and nothing else, from the tile server; every other page keeps the strict policy."""
    origin = public_data.tile_origin()
    if origin:
        response._csp_update = {"img-src": [origin]}
    return response


class PublicPage:
    """Every portal page answers GET and HEAD (and OPTIONS saying so): none takes a form (the
    search posts nowhere, the editors' forms are views of their own), so none advertises or
    accepts POST, PUT, PATCH or DELETE, which Wagtail's default allows."""

    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]


class HomePage(PublicPage, Page):
    """The platform's front page: featured agreements, latest listings, figures, the regions."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = [
        "cms.RegionPage",
        "cms.NewsIndexPage",
        "cms.GuideIndexPage",
        "cms.RegulationLibraryPage",
        "cms.OverviewPage",
    ]
    max_count = 1

    def serve(self, request, *args, **kwargs):
        # The same page for every anonymous visitor (core/http_cache.py, cms/page_cache.py).
        http_cache.cache_publicly(request, page_cache.home_scopes())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(public_data.portal_urls())
        # Built against the platform's URL conf: Wagtail's preview renders this page outside the
        # platform's request routing (a region's URL conf has no `platform:` names).
        context["apply_url"] = reverse("platform:apply", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
        context["region_pages"] = (
            RegionPage.objects.child_of(self)
            .live()
            .filter(region__tenant__in=Tenant.objects.publicly_visible())
            .select_related("region")
            .order_by("title")
        )
        context["figures"] = public_data.platform_figures()
        context["latest_listings"] = public_data.latest_listings()
        context["featured_agreements"] = public_data.featured_agreements()
        context["sections"] = (
            Page.objects.child_of(self).live().in_menu().not_type(RegionPage).specific()
        )
        context["latest_news"] = ArticlePage.objects.live().order_by("-date", "-pk")[:3]
        return context

    class Meta:
        verbose_name = _("home page")


class RegionPage(PublicPage, Page):
    """A region's public profile, created when the region joins (tenants/onboarding.py): its
    signed agreements, its marketplace listings, its partners on a map and its figures. The
    region's editors (cms/editors.py) write its introduction and its news beneath it."""

    region = models.OneToOneField(
        "tenants.Region",
        on_delete=models.PROTECT,
        related_name="public_page",
        verbose_name=_("region"),
    )
    intro = RichTextField(_("introduction"), blank=True)
    # The region's Wagtail group of editors and its own collection of images and documents
    # (cms/editors.py), made when the first editor is granted.
    editors = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # The region's name and address are the registry's, not the editors': shown, not edited.
    content_panels = [FieldPanel("title", read_only=True), FieldPanel("intro")]
    promote_panels = [
        FieldPanel("slug", read_only=True),
        FieldPanel("seo_title"),
        FieldPanel("search_description"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]

    def serve(self, request, *args, **kwargs):
        # A region the public may not see (suspended, or being deleted: the one rule,
        # Tenant.objects.publicly_visible) leaves the public portal at once; reactivating or
        # restoring it brings its page back. Its signed agreements stay in the public registry.
        if not Tenant.objects.publicly_visible().filter(region_id=self.region_id).exists():
            raise Http404
        http_cache.cache_publicly(request, page_cache.profile_scopes(self.region.code))
        return _allow_map_tiles(super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(public_data.portal_urls())
        context["kecamatan_count"] = self.region.children.count()
        context["profile"] = public_data.region_profile(self.region)
        context["news"] = ArticlePage.objects.child_of(self).live().order_by("-date", "-pk")[:5]
        return context

    class Meta:
        verbose_name = _("region page")


class SectionPage(PublicPage, Page):
    """A section of the portal under the home page (one of each), with an introduction."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


def _of_kind(request, pages, choices) -> tuple[str, object]:
    """`pages` narrowed to the kind asked for in ?jenis= (an unknown kind shows all)."""
    kind = request.GET.get("jenis", "")
    if kind in choices.values:
        pages = pages.filter(kind=kind)
    else:
        kind = ""
    return kind, pages


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    STORY = "story", _("Story")


class NewsIndexPage(SectionPage):
    """News and stories of the platform (a region's own news sits under its profile)."""

    subpage_types = ["cms.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().order_by("-date", "-pk")
        kind, articles = _of_kind(request, articles, ArticleKind)
        context["kind"] = kind
        context["kinds"] = ArticleKind.choices
        context["articles"] = Paginator(articles, 12).get_page(request.GET.get("halaman"))
        return context

    class Meta:
        verbose_name = _("news index")


class ArticlePage(PublicPage, Page):
    """A news item or a story (how a cooperation worked out), of the platform or of a region."""

    kind = models.CharField(
        _("kind"), max_length=8, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    body = RichTextField(_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NewsIndexPage", "cms.RegionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news or story")
        verbose_name_plural = _("news and stories")


class GuideIndexPage(SectionPage):
    """Guides: how Kerja Sama Daerah works, how a region joins, how to publish a listing."""

    subpage_types = ["cms.GuidePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = GuidePage.objects.child_of(self).live()
        return context

    class Meta:
        verbose_name = _("guide index")


class GuidePage(PublicPage, Page):
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    body = RichTextField(_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.GuideIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("guide")


class RegulationKind(models.TextChoices):
    UU = "uu", _("Law (Undang-Undang)")
    PP = "pp", _("Government Regulation (Peraturan Pemerintah)")
    PERPRES = "perpres", _("Presidential Regulation (Peraturan Presiden)")
    PERMEN = "permen", _("Ministerial Regulation (Peraturan Menteri)")
    PERDA = "perda", _("Regional Regulation (Peraturan Daerah)")
    OTHER = "other", _("Other")


class RegulationStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("In force, amended")
    REVOKED = "revoked", _("Revoked")


class RegulationLibraryPage(SectionPage):
    """The laws on regional cooperation, each with its metadata and (optionally) its PDF."""

    subpage_types = ["cms.RegulationPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        regulations = (
            RegulationPage.objects.child_of(self)
            .live()
            .select_related("document")
            .order_by("-year", "title")
        )
        kind, regulations = _of_kind(request, regulations, RegulationKind)
        context["kind"] = kind
        context["kinds"] = RegulationKind.choices
        context["regulations"] = regulations
        return context

    class Meta:
        verbose_name = _("regulation library")


class RegulationPage(PublicPage, Page):
    """One regulation. The title is its full name ("Undang-Undang Nomor 23 Tahun 2014 tentang
    Pemerintahan Daerah"); the text itself is linked (its official source) or attached as a PDF,
    never copied into the page."""

    kind = models.CharField(_("kind"), max_length=8, choices=RegulationKind.choices)
    number = models.CharField(_("number"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    subject = models.CharField(_("about (tentang)"), max_length=255)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    enacted_on = models.DateField(_("enacted on"), null=True, blank=True)
    promulgated_on = models.DateField(_("promulgated on"), null=True, blank=True)
    gazette = models.CharField(
        _("gazette (Lembaran Negara / Berita Negara)"), max_length=160, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegulationStatus.choices,
        default=RegulationStatus.IN_FORCE,
    )
    status_note = models.CharField(_("amended or revoked by"), max_length=255, blank=True)
    summary = RichTextField(_("what it says about regional cooperation"), blank=True)
    official_url = models.URLField(_("official source"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PDF"),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("number"),
                FieldPanel("year"),
                FieldPanel("subject"),
                FieldPanel("issuer"),
                FieldPanel("enacted_on"),
                FieldPanel("promulgated_on"),
                FieldPanel("gazette"),
                FieldPanel("status"),
                FieldPanel("status_note"),
            ],
            heading=_("Metadata"),
        ),
        FieldPanel("summary"),
        FieldPanel("official_url"),
        FieldPanel("document"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subject"),
        index.SearchField("number"),
        index.SearchField("summary"),
        index.FilterField("kind"),
        index.FilterField("year"),
    ]
    parent_page_types = ["cms.RegulationLibraryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("regulation")


class OverviewPage(SectionPage):
    """The platform in figures: which regions cooperate with which, the most active urusan,
    agreements signed per year."""

    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        return _allow_map_tiles(super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["overview"] = public_data.platform_overview()
        return context

    class Meta:
        verbose_name = _("platform overview")
