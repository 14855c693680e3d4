"""A region's private working record of its agreements (one copy per tenant schema).

Seven tables per schema, no more: every table here is multiplied by the number of regions and
every migration runs once per schema. What the parties share (terms, parties, stage, signed
documents) is one public-schema record, `cooperation.Cooperation`, which each party's
`Agreement` links to; what stays here is the region's own: its DPRD step, internal notes, the
TKKSD's reviews (Tim Koordinasi Kerja Sama Daerah, the team chaired by the Sekda that reviews
every cooperation) and internal documents. Another party never sees any of it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

# The region's private fields of an agreement that the register edits (besides the shared
# record's, cooperation.models.SHARED_FIELDS).
PRIVATE_FIELDS = ("responsible_opd", "burdens_public", "funded_in_current_budget", "internal_notes")


class Agreement(models.Model):
    """An agreement in this region's register: the link to the shared record plus the
    region's private working record."""

    # References into the public schema carry no database constraint (a foreign key from
    # every region's schema would hang one trigger per region on the public table), and
    # DO_NOTHING: Django's deletion collector runs in the public schema, where this table does
    # not exist (docs/architecture.md).
    cooperation = models.OneToOneField(
        "cooperation.Cooperation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The DPRD step is required exactly when the cooperation burdens the public or the region,
    # or its funding is not in the current year's budget (APBD); otherwise it is skipped.
    burdens_public = models.BooleanField(_("burdens the public or the region"), default=False)
    funded_in_current_budget = models.BooleanField(
        _("funding is in the current year's budget (or none is needed)"), default=True
    )
    dprd_decision_number = models.CharField(_("DPRD decision number"), max_length=120, blank=True)
    dprd_decided_on = models.DateField(_("DPRD decision date"), null=True, blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    responsible_opd = models.CharField(_("responsible OPD"), max_length=150, blank=True)
    # TKKSD review: the office opens a round; members record one recommendation each in it.
    review_round = models.PositiveSmallIntegerField(default=0)
    review_open = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    created_by_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who reads it besides those who read the whole register (tenants.policy,
    # readable_agreements): the areas it concerns, codes of the region registry (kecamatan,
    # desa/kelurahan in this region; a camat and a lurah read the agreements of their area), and
    # the viewers (DPRD members) the office gave its dossier to, as their memberships' ids (a
    # member removed and invited again is a new membership: nothing carries over). Arrays with a
    # GIN index each, not tables: every table is multiplied by the regions.
    areas = ArrayField(
        models.CharField(max_length=13),
        verbose_name=_("areas it concerns"),
        default=list,
        blank=True,
    )
    dossier_members = ArrayField(models.PositiveIntegerField(), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            GinIndex(fields=["areas"], name="agreement_areas_gin"),
            GinIndex(fields=["dossier_members"], name="agreement_dossier_gin"),
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def dprd_required(self) -> bool:
        return self.burdens_public or not self.funded_in_current_budget


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REVISE = "revise", _("Revise")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """One TKKSD member's recommendation in one review round."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    reviewer_email = models.CharField(max_length=254)
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-round", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "round", "reviewer"], name="review_one_per_member_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_email}: {self.recommendation}"


def internal_upload_to(instance, filename: str) -> str:
    return f"agreements/internal/{secrets.token_hex(12)}.pdf"


class InternalDocument(models.Model):
    """A document of the region's own chain (a TKKSD memo, the DPRD dossier, a draft):
    private to the region, like the rest of this app."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=internal_upload_to)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    uploaded_by_email = models.CharField(max_length=254, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


# --- Carrying an agreement out: its action plan, monitoring reports (monev) and reminders ------
# Four more tables per schema (agreements/monitoring/actions.py, reminders.py): the action plan's
# items, the monitoring reports, the reminders sent (which is also the region's list of
# notifications)
# and one row of the region's reminder settings.


class ActionItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    HELD_UP = "held_up", _("Held up")


class ActionItem(models.Model):
    """One item of an agreement's action plan (rencana aksi): what is done, by which OPD, by
    when, and how far it has got. `version` grows with every change (optimistic concurrency)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="action_items")
    activity = models.CharField(_("activity"), max_length=300)
    owner_opd = models.CharField(_("owner OPD"), max_length=150)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.PLANNED,
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")

    def __str__(self) -> str:
        return self.activity


class MonitoringRecommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    EXPAND = "expand", _("Expand")
    STOP = "stop", _("Stop")


class MonitoringReport(models.Model):
    """A monitoring and evaluation report (monev) on one agreement for one period: the
    semesters of the reporting year (January-June, July-December), as the semester report."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="monitoring_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"))
    progress = models.TextField(_("progress on the action plan"))
    # The action plan as it stood when the report was filed.
    items_done = models.PositiveSmallIntegerField(default=0)
    items_total = models.PositiveSmallIntegerField(default=0)
    problems = models.TextField(_("problems"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=MonitoringRecommendation.choices
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    filed_by_email = models.CharField(max_length=254, blank=True)
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-semester"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "semester"], name="monev_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(semester__in=[1, 2]), name="monev_semester_1_or_2"
            ),
        ]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")

    def __str__(self) -> str:
        return f"{self.year}-S{self.semester}"

    @property
    def period_label(self) -> str:
        from agreements.monitoring.periods import Period

        return Period(self.year, self.semester).label


class ReminderKind(models.TextChoices):
    EXPIRY = "expiry", _("Expiry")
    MONITORING_OVERDUE = "monitoring_overdue", _("Monitoring report overdue")


class Reminder(models.Model):
    """A reminder the background worker sent, by e-mail and in the region's notifications. The
    unique (agreement, kind, due date) is what makes it one: a second run of the job, or a run
    after a restart, inserts nothing and so sends nothing (agreements/monitoring/reminders.py)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    # The day the reminder fell due: the term's end less the days before it (expiry), or the
    # day the period's report was due (monitoring).
    due_on = models.DateField()
    # What it is about: the term's end (expiry) or the last day of the period (monitoring).
    about_on = models.DateField()
    days_before = models.SmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "due_on"], name="reminder_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


def default_expiry_days() -> list[int]:
    return [90, 60, 30, 7, 0]


class ReminderSettings(models.Model):
    """The region's settings of its register: the reminder days and the stages' labels. One row
    (none until the office changes a default)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    expiry_days = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("days before expiry"),
        default=default_expiry_days,
    )
    monitoring_grace_days = models.PositiveSmallIntegerField(
        _("days after a period's end by which its monitoring report is due"), default=30
    )
    # How the region's workspace names the stages: {stage value: label}; a stage not named
    # shows its default label (agreements/register/stages.py). Labels only: the order and the guards
    # of the lifecycle are the regulation's.
    stage_labels = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="reminder_settings_one")
        ]

    def __str__(self) -> str:
        return ", ".join(str(d) for d in self.expiry_days)
