from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicRegistryConfig(AppConfig):
    """The public registry of signed agreements (public schema): snapshots published at signing,
    their immutable versions and the documents' public copies."""

    name = "public_registry"
    verbose_name = _("Public registry of agreements")

    def ready(self) -> None:
        from signatures.signals import results_changed

        from .audit_events import register

        register()
        # A record's page shows its documents' electronic signatures: it is renewed when a
        # check's result or an office's acceptance changes (sent after that commit).
        results_changed.connect(_signatures_changed, dispatch_uid="public_registry.signatures")


def _signatures_changed(sender, sha256s, **kwargs) -> None:
    from . import cache
    from .models import PublishedAgreement

    codes: set[str] = set()
    for region_codes in PublishedAgreement.objects.filter(
        documents__sha256__in=list(sha256s)
    ).values_list("region_codes", flat=True):
        codes.update(region_codes)
    if codes:
        cache.bump(codes)
