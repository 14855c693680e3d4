from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    """Shared marketplace (public schema): listings, their moderation, photos and inquiries."""

    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from core import schedule
        from search.documents import register_source
        from tenants import signals

        from . import audit_events, policy, retention
        from .indexing import SOURCE

        policy.register()
        audit_events.register()
        register_source(SOURCE)
        signals.region_deleting.connect(retention.on_region_deleting, dispatch_uid="marketplace")
        schedule.every(timedelta(days=1), "marketplace.tasks.listing_housekeeping_task")
        # One e-mail a day per person with their saved searches' new matches.
        schedule.every(timedelta(days=1), "marketplace.tasks.search_digest_task")
