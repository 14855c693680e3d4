from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    """Trade missions (misi dagang), public schema: a province's mission, the listings its
    regions enrol, the meetings requested in its time slots and what it led to."""

    name = "missions"
    verbose_name = _("Trade missions")

    def ready(self) -> None:
        from . import audit_events, policy

        policy.register()
        audit_events.register()
