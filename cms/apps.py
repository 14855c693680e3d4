from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from core import schedule
        from tenants import signals
        from tenants.models import Membership

        from . import editors, pages, policy

        policy.register()

        signals.region_provisioned.connect(pages.on_region_provisioned, dispatch_uid="cms.page")
        signals.region_deleting.connect(pages.on_region_deleting, dispatch_uid="cms.page")
        post_migrate.connect(pages.on_post_migrate, sender=self, dispatch_uid="cms.sections")
        # Leaving a region, or a role that may not edit, withdraws the portal editor permission.
        post_save.connect(editors.on_membership_saved, sender=Membership, dispatch_uid="cms.ed")
        post_delete.connect(editors.on_membership_deleted, sender=Membership, dispatch_uid="cms.ed")
        # Anonymous visitors' pages from the cache: what renews them (cms/page_cache.py).
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from marketplace.models import Listing
        from tenants.models import Tenant

        from . import page_cache

        for signal in (post_save, post_delete):
            signal.connect(page_cache.on_listing_changed, sender=Listing, dispatch_uid="cms.pc")
        post_save.connect(page_cache.on_pages_changed, sender=Tenant, dispatch_uid="cms.pc")
        post_delete.connect(page_cache.on_pages_changed, sender=Page, dispatch_uid="cms.pc")
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(page_cache.on_pages_changed, dispatch_uid="cms.pc")
        # Wagtail's scheduled publishing (go-live and expiry dates) runs in the background.
        schedule.every(timedelta(minutes=5), "cms.tasks.publish_scheduled_task")
