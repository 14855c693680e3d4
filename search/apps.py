from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from core import schedule

        # Each write enqueues the outbox on commit; this retries what the search server
        # refused (a due row is retried with a growing delay, search/index.py).
        schedule.every(timedelta(minutes=1), "search.tasks.apply_outbox_task")
