from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Regions and onboarding")

    def ready(self) -> None:
        from core import schedule

        from . import recovery  # noqa: F401 -- a lost export's retry (core/task_recovery.py)

        schedule.every(timedelta(days=1), "tenants.tasks.expire_exports_task")
        schedule.every(timedelta(days=1), "tenants.tasks.purge_deleted_regions_task")
