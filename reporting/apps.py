from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Reporting upward (issue 16), public schema: the semester reports a kabupaten/kota
    submits to its province and a province to the Ministry, frozen as they were sent, with the
    province's review (accept, return) and its compilation."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from core import schedule

        from . import audit_events, policy

        policy.register()
        audit_events.register()
        # Reminders before a semester report's deadline and when it is overdue (reminders.py).
        schedule.every(timedelta(days=1), "reporting.reminders.send_report_reminders_task")
