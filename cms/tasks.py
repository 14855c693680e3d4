"""Background work of the portal: Wagtail's scheduled publishing (pages and revisions whose
go-live time has come are published, those whose expiry has come are unpublished)."""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled_task() -> str:
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()[-500:]
