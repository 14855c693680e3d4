from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """The open-data catalogue (public schema): what Jejaring publishes as open data, described
    for national portals (DCAT-AP, a CKAN-compatible read API), with a data dictionary for every
    download and the files themselves, built by the worker."""

    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from core import schedule

        # Renews the files whose data changed (a cheap fingerprint per dataset decides).
        schedule.every(timedelta(minutes=15), "opendata.tasks.refresh_task")
