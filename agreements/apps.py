from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from core import schedule

        from . import audit_events, policy

        # The agreements' permissions (who holds them, which write) and their event types.
        policy.register()
        audit_events.register()

        # The signed documents' electronic signatures are checked by the signatures app's
        # worker; its sweep finds those not yet checked through this source.
        from signatures import sources

        from .register.documents import signed_files

        sources.register("cooperation.signed_documents", signed_files)

        # Reminders before expiry and of overdue monitoring reports
        # (agreements/monitoring/reminders.py). The job keeps the name it had before the module
        # moved: the scheduler records when it last enqueued a job under its name.
        schedule.every(
            timedelta(days=1),
            "agreements.monitoring.reminders.send_reminders_task",
            name="agreements.reminders.send_reminders_task",
        )
