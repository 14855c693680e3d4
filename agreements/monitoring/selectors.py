"""Reads of an agreement's action plan, its monitoring reports and the region's reminders."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from agreements.models import ActionItem, Agreement, MonitoringReport, Reminder, ReminderSettings
from agreements.monitoring import periods
from agreements.policy import visible_reminders
from public_registry.monitoring import dormancy_start
from tenants.models import Membership


def action_plan(agreement: Agreement) -> QuerySet:
    return ActionItem.objects.filter(agreement=agreement).order_by("due_on", "pk")


def monitoring_reports(agreement: Agreement) -> QuerySet:
    return MonitoringReport.objects.filter(agreement=agreement).order_by("-year", "-semester")


def reminder_settings() -> ReminderSettings:
    """The region's settings row, or the defaults (unsaved) when the office never changed them."""
    return ReminderSettings.objects.filter(pk=1).first() or ReminderSettings()


def notifications(membership: Membership) -> QuerySet:
    """The reminders sent in this region that `membership` sees, newest first, with their
    agreement's title."""
    reminders = Reminder.objects.select_related("agreement__cooperation").order_by(
        "-created_at", "-pk"
    )
    return visible_reminders(membership, reminders, "agreement__responsible_opd")


def reported_since(period: periods.Period) -> Exists:
    """For annotating agreements: a monitoring report was filed for `period` or a later one."""
    return Exists(
        MonitoringReport.objects.filter(agreement=OuterRef("pk")).filter(
            Q(year__gt=period.year) | Q(year=period.year, semester__gte=period.semester)
        )
    )


def dormancy_period(today: datetime.date) -> periods.Period:
    """An agreement being carried out is dormant when it has no monitoring report for the last
    completed period (or a later one); this is that period (the rule is shared with the public
    profile: public_registry.monitoring)."""
    return periods.Period.containing(dormancy_start(today))
