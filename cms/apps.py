from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from tenants import signals

        from . import pages

        signals.region_provisioned.connect(pages.on_region_provisioned, dispatch_uid="cms.page")
        signals.region_deleting.connect(pages.on_region_deleting, dispatch_uid="cms.page")
