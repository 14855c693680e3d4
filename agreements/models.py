"""A region's private working record of its agreements (one copy per tenant schema).

Three tables per schema, no more: every table here is multiplied by the number of regions and
every migration runs once per schema. What the parties share (terms, parties, stage, signed
documents) is one public-schema record, `cooperation.Cooperation`, which each party's
`Agreement` links to; what stays here is the region's own: its DPRD step, internal notes, the
TKKSD's reviews (Tim Koordinasi Kerja Sama Daerah, the team chaired by the Sekda that reviews
every cooperation) and internal documents. Another party never sees any of it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["-created_at", "-pk"]
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
