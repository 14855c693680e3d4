from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicRegistryConfig(AppConfig):
    """The public registry of signed agreements (public schema): snapshots published at signing,
    their immutable versions and the documents' public copies."""

    name = "public_registry"
    verbose_name = _("Public registry of agreements")

    def ready(self) -> None:
        from .audit_events import register

        register()
