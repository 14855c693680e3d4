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
        from importlib import import_module

        from core import schedule

        from .sources import PLUGGED

        # Other apps' datasets register their dictionaries and descriptions when their module is
        # imported: in every process (the catalogue's pages), not only the worker that builds.
        for path in PLUGGED:
            module = path.rpartition(".")[0]
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise

        # Renews the files whose data changed (a cheap fingerprint per dataset decides).
        schedule.every(timedelta(minutes=15), "opendata.tasks.refresh_task")
