from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    """Electronic signatures in uploaded PDFs (public schema): each file's validation result,
    keyed by its SHA-256 and the trust roots it was checked against, and the offices' decisions
    to accept a document whose signature does not validate."""

    name = "signatures"
    verbose_name = _("Electronic signatures")

    def ready(self) -> None:
        from core import schedule

        from . import audit_events, policy

        policy.register()
        audit_events.register()
        # Checks documents not yet checked against the current trust roots (new roots, files
        # uploaded before this feature) and takes up checks a stopped worker left pending.
        schedule.every(timedelta(minutes=10), "signatures.tasks.sweep_task")
