from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from core import schedule
        from tenants import signals
        from tenants.models import Tenant

        from . import audit_events, policy, region_sync

        policy.register()
        audit_events.register()

        # A region's status change and its purge reach the indexes (search/region_sync.py).
        post_save.connect(region_sync.on_tenant_saved, sender=Tenant, dispatch_uid="search.tenant")
        signals.region_deleting.connect(region_sync.on_region_deleting, dispatch_uid="search")

        # Each write enqueues the outbox on commit; this retries what the search server
        # refused (a due row is retried with a growing delay, search/index.py).
        schedule.every(timedelta(minutes=1), "search.tasks.apply_outbox_task")
