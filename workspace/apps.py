from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    label = "workspace"
    verbose_name = _("Region workspace")

    def ready(self) -> None:
        from . import audit_events

        audit_events.register()
