"""Reminders, sent by the background worker once a day (registered in agreements/apps.py with
core.schedule; `manage.py run_scheduler` enqueues the job, the worker runs it):

- before an agreement's term ends, at the region's days (90, 60, 30, 7 and 0 by default,
  agreements.ReminderSettings): each run sends the latest threshold that has passed, so a
  region whose worker was down, or an agreement entered late, gets one reminder, not a burst;
- when the monitoring report of an agreement being carried out is overdue: the latest period
  whose report was due (its end plus the region's grace days) and is missing.

Each reminder is one row of agreements.Reminder, unique on (agreement, kind, due date), and is
inserted with INSERT ... ON CONFLICT DO NOTHING RETURNING: only the rows this run inserted are
e-mailed (after the commit) and recorded in the agreement's history, so a second run of the job
(a restart, a second worker, a run the scheduler repeated) sends nothing twice. The rows are
also the region's notifications list on its subdomain.

Cost per region: setting the search path, the settings row and two indexed queries for the
candidates; nothing more unless a reminder is due.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from django_tenants.utils import tenant_context

from agreements.models import Agreement, MonitoringReport, ReminderKind
from agreements.monitoring import periods
from agreements.monitoring import selectors as monitoring_selectors
from cooperation.models import Stage
from core.hosts import tenant_url
from core.mail import send_templated_email_on_commit
from tenants import audit
from tenants.models import Membership, Role, Tenant, TenantStatus

logger = logging.getLogger(__name__)

# A reminder missed on the day itself (the worker was down) still goes out this many days
# after the term's end; an agreement that ended longer ago is not reminded of.
EXPIRY_CATCH_UP_DAYS = 7
# Reminded of expiry: signed and not closed.
EXPIRY_STAGES = frozenset(
    {
        Stage.KSB_SIGNED,
        Stage.DPRD_APPROVAL,
        Stage.PKS_DRAFTING,
        Stage.PKS_SIGNED,
        Stage.IMPLEMENTATION,
        Stage.MONITORING,
    }
)
MONITORED_STAGES = frozenset({Stage.IMPLEMENTATION, Stage.MONITORING})


@dataclass(frozen=True)
class Due:
    agreement_id: int
    title: str
    responsible_opd: str
    kind: str
    due_on: datetime.date
    about_on: datetime.date
    days_before: int | None = None


def expiry_threshold(
    term_end: datetime.date, days: list[int], today: datetime.date
) -> tuple[datetime.date, int] | None:
    """The latest reminder day before `term_end` that has come by `today`: (its date, its
    number of days before the end); None when none has come, or the end is long past."""
    if today > term_end + datetime.timedelta(days=EXPIRY_CATCH_UP_DAYS):
        return None
    for before in sorted(days):
        due = term_end - datetime.timedelta(days=before)
        if due <= today:
            return due, before
    return None


def due_reminders(today: datetime.date) -> list[Due]:
    """What is due in the current region (its schema on the search path)."""
    config = monitoring_selectors.reminder_settings()
    due: list[Due] = []
    if config.expiry_days:
        rows = Agreement.objects.filter(
            cooperation__stage__in=EXPIRY_STAGES,
            cooperation__term_end__gte=today - datetime.timedelta(days=EXPIRY_CATCH_UP_DAYS),
            cooperation__term_end__lte=today + datetime.timedelta(days=max(config.expiry_days)),
        ).values_list("pk", "cooperation__title", "responsible_opd", "cooperation__term_end")
        for pk, title, opd, term_end in rows:
            threshold = expiry_threshold(term_end, config.expiry_days, today)
            if threshold is not None:
                due.append(
                    Due(pk, title, opd, ReminderKind.EXPIRY, threshold[0], term_end, threshold[1])
                )
    period = periods.latest_due(today, config.monitoring_grace_days)
    due_on = period.end + datetime.timedelta(days=config.monitoring_grace_days)
    overdue = (
        Agreement.objects.filter(
            cooperation__stage__in=MONITORED_STAGES,
            cooperation__signed_on__lte=period.end,
        )
        .filter(Q(cooperation__term_end__isnull=True) | Q(cooperation__term_end__gte=period.start))
        .exclude(
            pk__in=MonitoringReport.objects.filter(
                year=period.year, semester=period.semester
            ).values("agreement_id")
        )
        .values_list("pk", "cooperation__title", "responsible_opd")
    )
    for pk, title, opd in overdue:
        due.append(Due(pk, title, opd, ReminderKind.MONITORING_OVERDUE, due_on, period.end))
    return due


def _insert_new(due: list[Due]) -> set[tuple[int, str, datetime.date]]:
    """Insert a row for each reminder; the keys of those that were not there yet."""
    values = ", ".join(["(%s, %s, %s, %s, %s, now())"] * len(due))
    params = [
        value
        for d in due
        for value in (d.agreement_id, d.kind, d.due_on, d.about_on, d.days_before)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agreements_reminder "  # noqa: S608 (placeholders only)
            "(agreement_id, kind, due_on, about_on, days_before, created_at) "
            f"VALUES {values} "
            "ON CONFLICT (agreement_id, kind, due_on) DO NOTHING "
            "RETURNING agreement_id, kind, due_on",
            params,
        )
        return {(row[0], row[1], row[2]) for row in cursor.fetchall()}


def _recipients(tenant: Tenant) -> list[tuple[str, str, str]]:
    return list(
        Membership.objects.filter(tenant=tenant, role__in=[Role.ADMIN, Role.OPD])
        .filter(user__is_active=True)
        .values_list("role", "opd", "user__email")
    )


def _to(members: list[tuple[str, str, str]], responsible_opd: str) -> list[str]:
    """The office, and the staff of the agreement's responsible OPD."""
    opd = responsible_opd.strip().casefold()
    return sorted(
        {
            email
            for role, member_opd, email in members
            if role == Role.ADMIN or (opd and member_opd.strip().casefold() == opd)
        }
    )


def remind_region(tenant: Tenant, *, today: datetime.date) -> int:
    """Send the reminders due in `tenant` that were not sent before; how many were sent."""
    with tenant_context(tenant):
        due = due_reminders(today)
        if not due:
            return 0
        with transaction.atomic():
            new = _insert_new(due)
            if not new:
                return 0
            members = _recipients(tenant)
            for reminder in due:
                if (reminder.agreement_id, reminder.kind, reminder.due_on) in new:
                    _send(tenant, reminder, _to(members, reminder.responsible_opd), today)
        return len(new)


def _send(tenant: Tenant, reminder: Due, recipients: list[str], today: datetime.date) -> None:
    audit.record(
        "agreement.reminder_sent",
        tenant=tenant,
        obj=Agreement(pk=reminder.agreement_id),
        data={
            "title": reminder.title,
            "kind": reminder.kind,
            "due_on": reminder.due_on.isoformat(),
            "about_on": reminder.about_on.isoformat(),
            "days_before": reminder.days_before,
            "recipients": recipients,
        },
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        period = periods.Period.containing(reminder.about_on).label
    send_templated_email_on_commit(
        f"agreements/email/reminder_{reminder.kind}",
        {
            "tenant": tenant,
            "title": reminder.title,
            "about_on": reminder.about_on,
            "days_left": (reminder.about_on - today).days,
            "period": period,
            "url": tenant_url(tenant, reverse("agreements:detail", args=[reminder.agreement_id])),
        },
        recipients,
    )


def send_due_reminders(*, today: datetime.date | None = None) -> dict:
    """Every live region that can be written to (not suspended, not being deleted)."""
    today = today or timezone.localdate()
    regions = sent = failed = 0
    for tenant in Tenant.objects.live().filter(status=TenantStatus.ACTIVE).order_by("pk"):
        regions += 1
        try:
            sent += remind_region(tenant, today=today)
        except Exception:  # one region's failure does not keep the others from their reminders
            failed += 1
            logger.exception("Reminders failed for %s", tenant.schema_name)
    connection.set_schema_to_public()
    return {"regions": regions, "sent": sent, "failed": failed}


@task()
def send_reminders_task() -> dict:
    return send_due_reminders()
