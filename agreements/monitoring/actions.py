"""Carrying an agreement out: its action plan (rencana aksi), its monitoring reports (monev) and
the region's reminder settings. The action plan and the reports are the region's own working
record (its schema); another party never sees them.

Each action checks the permission (tenants.policy: the office for every agreement, OPD staff for
the agreements their OPD is responsible for), validates, writes atomically, records the audit
event on the agreement (its history) and leaves e-mail to after the commit.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Field
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import (
    ActionItem,
    ActionItemStatus,
    Agreement,
    MonitoringRecommendation,
    MonitoringReport,
    ReminderSettings,
)
from agreements.monitoring.periods import Period
from agreements.policy import can_work_on_agreement
from agreements.register.notifications import notify_admins
from cooperation.models import Stage
from cooperation.policy import AgreementPerm
from core.actions import top_level
from core.errors import Conflict, Forbidden, NotFound, StaleVersion, field_error
from public_registry import publishing
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm


class MonitoringError(StrEnum):
    """Stable codes of these actions' refusals (tests and API clients)."""

    ACTIVITY_REQUIRED = "activity_required"
    OWNER_OPD_REQUIRED = "owner_opd_required"
    DUE_DATE_REQUIRED = "due_date_required"
    UNKNOWN_STATUS = "unknown_status"
    AGREEMENT_CLOSED = "agreement_closed"
    STALE_VERSION = "stale_version"
    NOT_IN_FORCE = "monitoring_not_in_force"
    PERIOD_INVALID = "period_invalid"
    PERIOD_IN_FUTURE = "period_in_future"
    PERIOD_OUTSIDE_TERM = "period_outside_term"
    PROGRESS_REQUIRED = "progress_required"
    UNKNOWN_RECOMMENDATION = "unknown_recommendation"
    REASON_REQUIRED = "reason_required"
    ALREADY_FILED = "monitoring_already_filed"
    EXPIRY_DAYS_INVALID = "expiry_days_invalid"
    GRACE_DAYS_INVALID = "grace_days_invalid"


# Stages in which the action plan is closed (nothing more will be carried out).
CLOSED_STAGES = frozenset({Stage.ENDED, Stage.REJECTED})
# Stages in which an agreement is carried out and monitored: monitoring reports are filed then.
MONITORED_STAGES = frozenset({Stage.IMPLEMENTATION, Stage.MONITORING})
MAX_EXPIRY_DAYS = 730
MAX_REMINDERS = 8
MAX_GRACE_DAYS = 180


def _locked_agreement(membership: Membership, agreement: Agreement) -> Agreement:
    """The agreement, locked for this transaction with its shared record, after checking that
    `membership` may work on it (decided on the locked row: its responsible OPD as it is now)."""
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user, membership.tenant, AgreementPerm.MONITOR_AGREEMENTS, membership=membership
    ):
        raise Forbidden(_("Your role does not keep action plans or monitoring reports."))
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("cooperation")
        .get(pk=agreement.pk)
    )
    if not can_work_on_agreement(membership, locked.responsible_opd):
        raise Forbidden(
            _(
                "Only the cooperation office and the responsible OPD (%(opd)s) keep this "
                "agreement's action plan and monitoring reports."
            )
            % {"opd": locked.responsible_opd or "—"}
        )
    return locked


# --- The action plan ---------------------------------------------------------------------------


def _clean_item(activity: str, owner_opd: str, due_on, status: str) -> dict:
    errors: dict[str, ValidationError] = {}
    activity, owner_opd = (activity or "").strip(), (owner_opd or "").strip()
    if not activity:
        errors["activity"] = ValidationError(
            _("Say what will be done."), code=MonitoringError.ACTIVITY_REQUIRED
        )
    if not owner_opd:
        errors["owner_opd"] = ValidationError(
            _("Name the OPD that carries it out."), code=MonitoringError.OWNER_OPD_REQUIRED
        )
    if not isinstance(due_on, datetime.date):
        errors["due_on"] = ValidationError(
            _("Give the date it is due."), code=MonitoringError.DUE_DATE_REQUIRED
        )
    if status not in ActionItemStatus.values:
        errors["status"] = ValidationError(
            _("Choose planned, in progress, done or held up."),
            code=MonitoringError.UNKNOWN_STATUS,
        )
    if errors:
        raise ValidationError(errors)
    return {"activity": activity, "owner_opd": owner_opd, "due_on": due_on, "status": status}


def _refuse_closed(agreement: Agreement) -> None:
    if agreement.cooperation.stage in CLOSED_STAGES:
        raise Conflict(
            _("This agreement has ended or was rejected: its action plan is closed."),
            code=MonitoringError.AGREEMENT_CLOSED,
        )


def _item_data(agreement: Agreement, item: ActionItem) -> dict:
    return {
        "title": agreement.cooperation.title,
        "item": item.pk,
        "activity": item.activity,
        "owner_opd": item.owner_opd,
        "due_on": item.due_on.isoformat(),
        "status": item.status,
    }


@top_level
def add_action_item(
    *,
    membership: Membership,
    agreement: Agreement,
    activity: str,
    owner_opd: str,
    due_on: datetime.date,
    status: str = ActionItemStatus.PLANNED,
) -> ActionItem:
    """A new item in the agreement's action plan."""
    values = _clean_item(activity, owner_opd, due_on, status)
    with transaction.atomic():
        agreement = _locked_agreement(membership, agreement)
        _refuse_closed(agreement)
        item = ActionItem.objects.create(agreement=agreement, **values)
        audit.record(
            "agreement.action_item_added",
            actor=membership.user,
            tenant=membership.tenant,
            obj=agreement,
            data=_item_data(agreement, item),
        )
    return item


def _locked_item(agreement: Agreement, item_pk: int, version: int) -> ActionItem:
    item = ActionItem.objects.select_for_update().filter(pk=item_pk, agreement=agreement).first()
    if item is None:
        raise NotFound(_("This action plan item does not exist (any more)."))
    if item.version != version:
        raise StaleVersion(
            _(
                "Someone else changed this action plan item while you were looking at it. "
                "Nothing was saved: reload the page to see their change, then try again."
            )
        )
    return item


@top_level
def update_action_item(
    *,
    membership: Membership,
    item: ActionItem,
    version: int,
    activity: str,
    owner_opd: str,
    due_on: datetime.date,
    status: str,
) -> ActionItem:
    """Change an item (its status, usually). Refused with a conflict when someone else saved it
    since the person loaded it (`version`)."""
    values = _clean_item(activity, owner_opd, due_on, status)
    with transaction.atomic():
        agreement = _locked_agreement(membership, item.agreement)
        _refuse_closed(agreement)
        item = _locked_item(agreement, item.pk, version)
        changed = [name for name, value in values.items() if getattr(item, name) != value]
        if not changed:
            return item
        for name in changed:
            setattr(item, name, values[name])
        item.version = F("version") + 1
        item.save()
        item.refresh_from_db(fields=["version"])
        with translation.override(settings.LANGUAGE_CODE):
            names = [_verbose_name(name) for name in changed]
        audit.record(
            "agreement.action_item_updated",
            actor=membership.user,
            tenant=membership.tenant,
            obj=agreement,
            data={**_item_data(agreement, item), "changed": names},
        )
    return item


@top_level
def remove_action_item(*, membership: Membership, item: ActionItem, version: int) -> None:
    with transaction.atomic():
        agreement = _locked_agreement(membership, item.agreement)
        _refuse_closed(agreement)
        item = _locked_item(agreement, item.pk, version)
        data = _item_data(agreement, item)
        item.delete()
        audit.record(
            "agreement.action_item_removed",
            actor=membership.user,
            tenant=membership.tenant,
            obj=agreement,
            data=data,
        )


def _verbose_name(name: str) -> str:
    """An action item's field as the history names it (a relation's name as it is)."""
    field = ActionItem._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


# --- Monitoring reports ------------------------------------------------------------------------


def _clean_report(
    period: Period | None, progress: str, problems: str, recommendation: str, today
) -> tuple[Period, dict]:
    """The period (checked) and the report's cleaned values."""
    errors: dict[str, ValidationError] = {}
    if period is None or period.semester not in (1, 2) or period.year < 2000:
        errors["period"] = ValidationError(
            _("Choose the period (January-June or July-December of a year)."),
            code=MonitoringError.PERIOD_INVALID,
        )
    elif period.start > today:
        errors["period"] = ValidationError(
            _("The period %(period)s has not started yet.") % {"period": period.label},
            code=MonitoringError.PERIOD_IN_FUTURE,
        )
    progress, problems = (progress or "").strip(), (problems or "").strip()
    if not progress:
        errors["progress"] = ValidationError(
            _("Describe the progress on the action plan."),
            code=MonitoringError.PROGRESS_REQUIRED,
        )
    if recommendation not in MonitoringRecommendation.values:
        errors["recommendation"] = ValidationError(
            _("Choose continue, expand or stop."), code=MonitoringError.UNKNOWN_RECOMMENDATION
        )
    elif recommendation == MonitoringRecommendation.STOP and not problems:
        errors["problems"] = ValidationError(
            _("Say which problems lead to stopping it."), code=MonitoringError.REASON_REQUIRED
        )
    if errors or period is None:  # no period is always an error above
        raise ValidationError(errors)
    return period, {"progress": progress, "problems": problems, "recommendation": recommendation}


@top_level
def file_monitoring_report(
    *,
    membership: Membership,
    agreement: Agreement,
    period: Period | None,
    progress: str,
    problems: str,
    recommendation: str,
    today: datetime.date | None = None,
) -> MonitoringReport:
    """The monitoring report (monev) on an agreement being carried out, for one period: the
    progress on the action plan (its items' state is recorded with it), the problems, and a
    recommendation to continue, expand or stop. One per period."""
    today = today or timezone.localdate()
    period, values = _clean_report(period, progress, problems, recommendation, today)
    with transaction.atomic():
        agreement = _locked_agreement(membership, agreement)
        cooperation = agreement.cooperation
        if cooperation.stage not in MONITORED_STAGES:
            raise Conflict(
                _(
                    "Monitoring reports are filed while an agreement is carried out "
                    "(implementation, monitoring and evaluation); this one is at the stage "
                    "%(stage)s."
                )
                % {"stage": cooperation.get_stage_display()},
                code=MonitoringError.NOT_IN_FORCE,
            )
        start, end = cooperation.term_start, cooperation.term_end
        if (start and period.end < start) or (end and period.start > end):
            raise field_error(
                "period",
                _("The period %(period)s is outside the agreement's term.")
                % {"period": period.label},
                MonitoringError.PERIOD_OUTSIDE_TERM,
            )
        if MonitoringReport.objects.filter(
            agreement=agreement, year=period.year, semester=period.semester
        ).exists():
            raise field_error(
                "period",
                _("The report for %(period)s has been filed already.") % {"period": period.label},
                MonitoringError.ALREADY_FILED,
            )
        statuses = list(agreement.action_items.values_list("status", flat=True))
        user = membership.user
        report = MonitoringReport.objects.create(
            agreement=agreement,
            year=period.year,
            semester=period.semester,
            items_done=statuses.count(ActionItemStatus.DONE),
            items_total=len(statuses),
            filed_by=user,
            filed_by_email=user.email,
            **values,
        )
        # The public record learns only that the agreement was monitored (the period's end).
        publishing.note_monitoring(cooperation.pk, period.end)
        with translation.override(settings.LANGUAGE_CODE):
            period_label = period.label
        audit.record(
            "agreement.monitoring_filed",
            actor=user,
            tenant=membership.tenant,
            obj=agreement,
            data={
                "title": cooperation.title,
                "report": report.pk,
                "period": period_label,
                "year": period.year,
                "semester": period.semester,
                "items_done": report.items_done,
                "items_total": report.items_total,
                "recommendation": report.recommendation,
            },
        )
        with translation.override(settings.LANGUAGE_CODE):
            event = _("Monitoring report filed for %(period)s") % {"period": period.label}
        notify_admins(
            tenant=membership.tenant,
            agreement=agreement,
            cooperation=cooperation,
            event=event,
            actor=user,
        )
    return report


# --- The region's reminder settings ------------------------------------------------------------


@top_level
def update_reminder_settings(
    *, membership: Membership, expiry_days: list[int], grace_days: int
) -> ReminderSettings:
    """How many days before an agreement's end the office is reminded (at most MAX_REMINDERS
    reminders, none more than MAX_EXPIRY_DAYS ahead), and how many days after a period's end
    its monitoring report is due."""
    ensure_writable(membership.tenant)
    if not has_perm(
        membership.user,
        membership.tenant,
        AgreementPerm.CONFIGURE_AGREEMENTS,
        membership=membership,
    ):
        raise Forbidden(_("Only the cooperation office sets the reminders."))
    try:
        days = sorted({int(d) for d in expiry_days}, reverse=True)
    except (TypeError, ValueError):
        days = []
    errors: dict[str, ValidationError] = {}
    if not days or len(days) > MAX_REMINDERS or any(d < 0 or d > MAX_EXPIRY_DAYS for d in days):
        errors["expiry_days"] = ValidationError(
            _("Give between 1 and %(max)s numbers of days, each from 0 to %(days)s.")
            % {"max": MAX_REMINDERS, "days": MAX_EXPIRY_DAYS},
            code=MonitoringError.EXPIRY_DAYS_INVALID,
        )
    if not isinstance(grace_days, int) or not 0 <= grace_days <= MAX_GRACE_DAYS:
        errors["grace_days"] = ValidationError(
            _("Give a number of days from 0 to %(days)s.") % {"days": MAX_GRACE_DAYS},
            code=MonitoringError.GRACE_DAYS_INVALID,
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = ReminderSettings.objects.select_for_update().get_or_create(pk=1)
        row.expiry_days, row.monitoring_grace_days = days, grace_days
        row.save()
        audit.record(
            "agreement.reminder_settings_changed",
            actor=membership.user,
            tenant=membership.tenant,
            data={"expiry_days": days, "grace_days": grace_days},
        )
    return row
