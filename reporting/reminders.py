"""Reminders of the semester reports, sent by the background worker once a day (registered in
reporting/apps.py with core.schedule; `manage.py run_scheduler` enqueues the job):

- before the deadline (from deadlines.REMIND_DAYS_BEFORE days before it, through the day
  itself), to the office of each region on the platform whose report of the semester that
  ended last is not submitted yet (nothing submitted, or returned and not corrected);
- once the deadline has passed, the same regions, "overdue".

Each reminder is one ReportReminder row, unique on (region, level, year, half, kind): the row
is inserted first (get_or_create under that constraint) and only a row this run created is
e-mailed and recorded in the region's history, so a second run (a restart, a second worker, a
repeated job) sends nothing twice. Queries: the regions, the semester's current submissions and
deadlines, then only the reminders due.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from agreements.reports.semester import REPORT_LANGUAGE, Semester
from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants import audit
from tenants.models import RegionKind, Tenant, TenantStatus

from . import deadlines
from .models import Level, ReminderKind, ReportReminder, State, Submission
from .notifications import office_emails

logger = logging.getLogger(__name__)


def kind_due(today: datetime.date, due: datetime.date) -> str | None:
    if today > due:
        return ReminderKind.OVERDUE
    if today >= due - datetime.timedelta(days=deadlines.REMIND_DAYS_BEFORE):
        return ReminderKind.BEFORE
    return None


def send_due_reminders(*, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    semester = Semester.last_ended(today)
    tenants = list(
        Tenant.objects.live()
        .filter(status=TenantStatus.ACTIVE)
        .select_related("region")
        .order_by("pk")
    )
    done = {
        (s.region_id, s.level)
        for s in Submission.objects.filter(year=semester.year, half=semester.half)
        .current()
        .exclude(state=State.RETURNED)
        .only("region_id", "level")
    }
    due = {
        level: deadlines.deadline(semester.year, semester.half, level)
        for level in (Level.REGION, Level.PROVINCE)
    }
    sent = failed = 0
    for tenant in tenants:
        level = Level.PROVINCE if tenant.region.kind == RegionKind.PROVINSI else Level.REGION
        if (tenant.region_id, level) in done:
            continue
        kind = kind_due(today, due[level])
        if kind is None:
            continue
        try:
            sent += remind(tenant, level, semester, kind, due[level])
        except Exception:  # one region's failure does not keep the others from theirs
            failed += 1
            logger.exception("Report reminder failed for %s", tenant.schema_name)
    return {"sent": sent, "failed": failed}


def remind(tenant: Tenant, level: str, semester: Semester, kind: str, due: datetime.date) -> int:
    with transaction.atomic():
        _row, created = ReportReminder.objects.get_or_create(
            region_id=tenant.region_id,
            level=level,
            year=semester.year,
            half=semester.half,
            kind=kind,
            defaults={"due_on": due},
        )
        if not created:
            return 0
        with translation.override(REPORT_LANGUAGE):
            period = str(semester.label)
        recipients = office_emails(tenant)
        audit.record(
            "report.reminder_sent",
            tenant=tenant,
            data={
                "region": tenant.region_id,
                "period": period,
                "year": semester.year,
                "semester": semester.half,
                "kind": kind,
                "due_on": due.isoformat(),
                "recipients": recipients,
            },
        )
        if recipients:
            send_templated_email_on_commit(
                "reporting/email/reminder",
                {
                    "region": tenant.name,
                    "period": period,
                    "due": due,
                    "overdue": kind == ReminderKind.OVERDUE,
                    "url": tenant_url(
                        tenant, reverse("agreements:semester_report", urlconf="portal.urls_tenant")
                    ),
                },
                recipients,
            )
    return 1


@task()
def send_report_reminders_task() -> dict:
    return send_due_reminders()
