"""The public portal's page types (Wagtail, public schema: one page tree for the platform)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The platform's front page: what Jejaring is, how a region joins."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from tenants.models import Tenant

        context = super().get_context(request, *args, **kwargs)
        context["regions_on_platform"] = Tenant.objects.regions().select_related("region")
        return context

    class Meta:
        verbose_name = _("home page")
