from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    """Shared marketplace (public schema): listings, inquiries, matchmaking. Its models arrive
    with the marketplace issue; the app is installed now so its place in the schema is fixed."""

    name = "marketplace"
    verbose_name = _("Marketplace")
