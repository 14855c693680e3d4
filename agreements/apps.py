from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from core import schedule

        # Reminders before expiry and of overdue monitoring reports (agreements/reminders.py).
        schedule.every(timedelta(days=1), "agreements.reminders.send_reminders_task")
