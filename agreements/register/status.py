"""The register's figures a region watches, each one filter of the register (`?status=`): in
force, awaiting the TKKSD's review, dormant. The dashboards count them
(agreements/reports/dashboard.py)
and link each figure to the register filtered by it (selectors.register applies the same
filter), so a figure and the list behind it never disagree. Expiring soon is the register's own
`expiring` filter.

"In force" is the semester report's (agreements/reports/semester.py): the KSB or the PKS signed, or
being carried out. "Dormant" is the monitoring rule (agreements/monitoring/selectors.py): being
carried out, with no monitoring report for the last completed period or a later one.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _

from agreements.monitoring.selectors import dormancy_period, reported_since
from cooperation.models import Stage
from cooperation.policy import AgreementPerm
from tenants.policy import has_perm

IN_FORCE_STAGES = (Stage.KSB_SIGNED, Stage.PKS_SIGNED, Stage.IMPLEMENTATION, Stage.MONITORING)
CARRIED_OUT_STAGES = (Stage.IMPLEMENTATION, Stage.MONITORING)


class RegisterStatus(TextChoices):
    IN_FORCE = "in_force", _("Signed, in force")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting the TKKSD's review")
    DORMANT = "dormant", _("Dormant (no recent monitoring report)")


def in_force() -> Q:
    return Q(cooperation__stage__in=IN_FORCE_STAGES)


def awaiting_review() -> Q:
    return Q(review_open=True)


def reads_reviews(membership) -> bool:
    """The review is the region's internal chain: only those who read it count or filter by
    it (a viewer or a camat is told nothing of it)."""
    return membership is not None and has_perm(
        membership.user, membership.tenant, AgreementPerm.VIEW_AGREEMENT_INTERNALS, membership
    )


def with_status(agreements: QuerySet, status: str, *, today: datetime.date, membership) -> QuerySet:
    """`agreements` narrowed to `status` (a RegisterStatus value; anything else: unchanged).
    `membership` None stands for the region's own jobs, which read everything."""
    if status == RegisterStatus.IN_FORCE:
        return agreements.filter(in_force())
    if status == RegisterStatus.AWAITING_REVIEW:
        if membership is not None and not reads_reviews(membership):
            return agreements.none()
        return agreements.filter(awaiting_review())
    if status == RegisterStatus.DORMANT:
        return (
            agreements.filter(cooperation__stage__in=CARRIED_OUT_STAGES)
            .annotate(reported=reported_since(dormancy_period(today)))
            .filter(reported=False)
        )
    return agreements
