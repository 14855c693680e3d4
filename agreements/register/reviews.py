"""TKKSD review (Tim Koordinasi Kerja Sama Daerah): the office opens a review round, each
member records one recommendation in it, the office reads the tally. Private to the region."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from agreements.models import Agreement, Recommendation, Review
from agreements.register import lifecycle
from agreements.register.notifications import notify_reviewers
from cooperation.errors import AgreementError
from cooperation.policy import AgreementPerm
from core.actions import top_level
from core.errors import Conflict, Forbidden
from tenants import audit
from tenants.members import ensure_writable
from tenants.models import Membership
from tenants.policy import has_perm


@top_level
def request_review(*, membership: Membership, agreement: Agreement, version: int) -> Agreement:
    """Open a new review round (closing the previous one) and ask the TKKSD's members."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.RUN_AGREEMENT_LIFECYCLE, membership=membership):
        raise Forbidden(_("Only the cooperation office sends an agreement to review."))
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        # The version check makes a double submission one round, not two.
        cooperation = lifecycle.lock_current(agreement=agreement, version=version)
        agreement.review_round += 1
        agreement.review_open = True
        agreement.save(update_fields=["review_round", "review_open"])
        cooperation.version = F("version") + 1
        cooperation.save(update_fields=["version"])
        audit.record(
            "agreement.review_requested",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={"title": cooperation.title, "round": agreement.review_round},
        )
        notify_reviewers(tenant=tenant, agreement=agreement, cooperation=cooperation, actor=user)
    return agreement


@top_level
def record_recommendation(
    *, membership: Membership, agreement: Agreement, recommendation: str, notes: str
) -> Review:
    """A TKKSD member's recommendation in the open round; recording again replaces theirs.
    Revising or rejecting needs notes that say why."""
    tenant, user = membership.tenant, membership.user
    ensure_writable(tenant)
    if not has_perm(user, tenant, AgreementPerm.REVIEW_AGREEMENTS, membership=membership):
        raise Forbidden(_("Only the TKKSD's members record recommendations."))
    if recommendation not in Recommendation.values:
        raise ValidationError(
            {
                "recommendation": ValidationError(
                    _("Choose approve, revise or reject."), code="invalid_choice"
                )
            }
        )
    notes = notes.strip()
    if recommendation != Recommendation.APPROVE and not notes:
        raise ValidationError(
            {
                "notes": ValidationError(
                    _("Say what should change, or why it should be rejected."),
                    code=AgreementError.REASON_REQUIRED,
                )
            }
        )
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not agreement.review_open:
            raise Conflict(
                _("This agreement is not under TKKSD review now."),
                code=AgreementError.REVIEW_NOT_OPEN,
            )
        review, _created = Review.objects.update_or_create(
            agreement=agreement,
            round=agreement.review_round,
            reviewer=user,
            defaults={
                "reviewer_email": user.email,
                "recommendation": recommendation,
                "notes": notes,
            },
        )
        title = agreement.cooperation.title
        audit.record(
            "agreement.review_recorded",
            actor=user,
            tenant=tenant,
            obj=agreement,
            data={
                "title": title,
                "round": agreement.review_round,
                "recommendation": recommendation,
            },
        )
    return review
