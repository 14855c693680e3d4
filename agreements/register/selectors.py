"""Reads of the register: the filtered list, one agreement's history, the TKKSD tally."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from agreements.models import Agreement, Recommendation
from agreements.policy import readable_agreements
from agreements.register.status import with_status
from cooperation.models import Party, SignedDocument, Stage
from tenants.models import AuditEvent, Membership, Tenant

# Days ahead that count as "expiring soon" in the list's filter.
EXPIRING_SOON_DAYS = 90
SORTS = {
    "title": "cooperation__title",
    "kind": "cooperation__kind",
    "stage": "cooperation__stage",
    "term_start": "cooperation__term_start",
    "term_end": "cooperation__term_end",
    "updated": "cooperation__updated_at",
}
DEFAULT_SORT = "-updated"
CLOSED_STAGES = (Stage.ENDED, Stage.REJECTED)
# Events of the region's internal chain: shown only to those who read it.
INTERNAL_ACTIONS = (
    "agreement.review_requested",
    "agreement.review_recorded",
    "agreement.document_filed",
    "agreement.dprd_approved",
    "agreement.own_dprd_recorded",
    "agreement.dossier_given",
    "agreement.dossier_withdrawn",
)


# `register(membership=WHOLE_REGISTER)`: the region's own jobs (the semester report, the
# demo's checks), never a person's page: a page passes the person's membership.
class WholeRegister(enum.Enum):
    """A sentinel the type checker tells apart from a membership (PEP 484's enum pattern)."""

    WHOLE_REGISTER = "whole register"


WHOLE_REGISTER = WholeRegister.WHOLE_REGISTER


@dataclass(frozen=True)
class RegisterFilters:
    query: str = ""
    kind: str = ""
    stage: str = ""
    urusan: str = ""
    partner: str = ""
    year: int | None = None
    expiring_soon: bool = False
    status: str = ""  # a register_status.RegisterStatus value: in force, awaiting review, dormant
    sort: str = DEFAULT_SORT


def readable(membership: Membership | WholeRegister | None) -> QuerySet:
    """The agreements `membership` may read (agreements.policy.readable_agreements)."""
    if membership is WHOLE_REGISTER:
        return Agreement.objects.all()
    return readable_agreements(membership, Agreement.objects.all())


def register(
    *,
    filters: RegisterFilters,
    membership: Membership | WholeRegister | None = WHOLE_REGISTER,
    today: datetime.date | None = None,
) -> QuerySet:
    """This region's agreements that `membership` reads, filtered and sorted. Two queries for
    any page (the rows with their shared record, then their parties), however many agreements
    there are."""
    today = today or timezone.localdate()
    agreements = (
        readable(membership)
        .select_related("cooperation")
        .prefetch_related(
            Prefetch("cooperation__parties", queryset=Party.objects.order_by("position", "pk"))
        )
    )
    if filters.query:
        text = filters.query.strip()
        agreements = agreements.filter(
            Q(cooperation__title__icontains=text)
            | Exists(
                Party.objects.filter(cooperation=OuterRef("cooperation_id")).filter(
                    Q(document_number__icontains=text) | Q(name__icontains=text)
                )
            )
        )
    if filters.kind:
        agreements = agreements.filter(cooperation__kind=filters.kind)
    if filters.stage:
        agreements = agreements.filter(cooperation__stage=filters.stage)
    if filters.urusan:
        agreements = agreements.filter(cooperation__urusan__contains=[filters.urusan])
    if filters.partner:
        agreements = agreements.filter(
            Exists(
                Party.objects.filter(
                    cooperation=OuterRef("cooperation_id"), name__icontains=filters.partner
                )
            )
        )
    if filters.year:
        agreements = agreements.filter(
            Q(cooperation__term_start__year__lte=filters.year)
            & (
                Q(cooperation__term_end__isnull=True)
                | Q(cooperation__term_end__year__gte=filters.year)
            )
        )
    if filters.expiring_soon:
        agreements = agreements.filter(
            cooperation__term_end__gte=today,
            cooperation__term_end__lte=today + datetime.timedelta(days=EXPIRING_SOON_DAYS),
        ).exclude(cooperation__stage__in=CLOSED_STAGES)
    if filters.status:
        agreements = with_status(
            agreements,
            filters.status,
            today=today,
            membership=None if membership is WHOLE_REGISTER else membership,
        )
    sort = filters.sort if filters.sort.lstrip("-") in SORTS else DEFAULT_SORT
    column = SORTS[sort.lstrip("-")]
    ordering = f"-{column}" if sort.startswith("-") else column
    return agreements.order_by(ordering, "-pk")


DPRD_ACTIONS = ("agreement.dprd_approved",)


def history_for(
    agreement: Agreement, *, tenant: Tenant, include_internal: bool, include_dprd: bool = False
) -> QuerySet:
    """The agreement's events; the internal chain's only with `include_internal`, the DPRD
    step's also with `include_dprd` (a viewer's dossier holds it)."""
    events = AuditEvent.objects.filter(
        tenant=tenant, object_type=agreement._meta.label_lower, object_id=str(agreement.pk)
    )
    if not include_internal:
        hidden = [a for a in INTERNAL_ACTIONS if not (include_dprd and a in DPRD_ACTIONS)]
        events = events.exclude(action__in=hidden)
    return events.order_by("-created_at", "-id")


def signed_documents_for(agreement: Agreement) -> QuerySet:
    return SignedDocument.objects.filter(cooperation_id=agreement.cooperation_id)


@dataclass(frozen=True)
class Tally:
    round: int
    approve: int
    revise: int
    reject: int

    @property
    def total(self) -> int:
        return self.approve + self.revise + self.reject


def review_tally(agreement: Agreement) -> Tally:
    counts = agreement.reviews.filter(round=agreement.review_round).aggregate(
        **{value: Count("pk", filter=Q(recommendation=value)) for value in Recommendation.values}
    )
    return Tally(round=agreement.review_round, **counts)


def current_reviews(agreement: Agreement) -> QuerySet:
    return agreement.reviews.filter(round=agreement.review_round).order_by("recorded_at")
