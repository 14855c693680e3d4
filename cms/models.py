"""The public portal's page types (Wagtail, public schema: one page tree for the platform, with a
section per region that joins)."""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from tenants.models import Tenant, TenantStatus


class HomePage(Page):
    """The platform's front page: what Jejaring is, how a region joins."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.RegionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Built against the platform's URL conf: Wagtail's preview renders this page outside the
        # platform's request routing (a region's URL conf has no `platform:` names).
        context["apply_url"] = reverse("platform:apply", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
        context["region_pages"] = (
            RegionPage.objects.child_of(self)
            .live()
            .exclude(region__tenant__status=TenantStatus.PENDING_DELETION)
            .select_related("region")
            .order_by("title")
        )
        return context

    class Meta:
        verbose_name = _("home page")


class RegionPage(Page):
    """A region's public section, created when the region joins (tenants/onboarding.py). Its
    signed agreements and offers will be published beneath it."""

    region = models.OneToOneField(
        "tenants.Region",
        on_delete=models.PROTECT,
        related_name="public_page",
        verbose_name=_("region"),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        # A region being deleted leaves the public portal at once (its page goes when it is
        # purged; restoring the region brings it back).
        if Tenant.objects.pending_deletion().filter(region_id=self.region_id).exists():
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kecamatan_count"] = self.region.children.count()
        return context

    class Meta:
        verbose_name = _("region page")
