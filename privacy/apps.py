from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's rights over their data (UU 27/2022), public schema: their requests (a copy,
    erasure, correction, restriction) answered within 3 × 24 hours, the copies the worker builds,
    the record of processing (privacy/registry.py), retention and breach notices."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from core import schedule

        from . import audit_events, policy

        policy.register()
        audit_events.register()
        # Hourly, so a reminder comes within the hour its threshold passes; daily for retention.
        schedule.every(timedelta(hours=1), "privacy.tasks.remind_due_requests_task")
        schedule.every(timedelta(days=1), "privacy.tasks.enforce_retention_task")
