from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    label = "cooperation"
    verbose_name = _("Shared cooperation records")

    def ready(self) -> None:
        from . import audit_events

        # The proposals' event types (proposal.*, an inquiry made into a proposal).
        audit_events.register()
