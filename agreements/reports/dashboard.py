"""The register's dashboard: counts by kind, stage, urusan and year, the agreements expiring
soon, and active versus dormant ones, with bar charts drawn as SVG on the server (no script, no
CDN). A fixed number of queries, however many agreements there are.

An agreement being carried out (implementation, monitoring and evaluation) is active when a
monitoring report was filed for the last completed period or a later one, dormant otherwise
(agreements/monitoring/selectors.py decides both, as the reminders do).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from agreements.monitoring.periods import Period
from agreements.monitoring.selectors import dormancy_period, reported_since
from agreements.register import selectors
from agreements.register import stages as stage_labels
from agreements.register import status as register_status
from agreements.register.status import CARRIED_OUT_STAGES, RegisterStatus
from cooperation import urusan as urusan_codes
from cooperation.models import Kind
from tenants.models import Membership, Tenant


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float  # of the largest bar in its chart, for the drawing
    query: str = ""  # the register's filter that lists these agreements


def _bars(items: list[tuple[str, int, str]]) -> list[Bar]:
    top = max((count for _l, count, _q in items), default=0) or 1
    return [Bar(label, count, round(100 * count / top, 1), query) for label, count, query in items]


@dataclass(frozen=True)
class Headline:
    """The figures a region watches, each one filter of the register (`query`, for its link):
    in force, expiring soon, awaiting the TKKSD's review (None for those who do not read the
    review: a viewer, a camat), and being carried out, active or dormant."""

    in_force: int
    expiring_soon: int
    expiring_days: int
    awaiting_review: int | None
    active: int
    dormant: int
    dormancy_period: Period

    in_force_query = f"status={RegisterStatus.IN_FORCE}"
    expiring_query = "expiring=on"
    awaiting_review_query = f"status={RegisterStatus.AWAITING_REVIEW}"
    dormant_query = f"status={RegisterStatus.DORMANT}"


def headline(
    *,
    today: datetime.date,
    membership: Membership | None | object = selectors.WHOLE_REGISTER,
) -> Headline:
    """The headline figures of the agreements `membership` reads (selectors.readable), counted
    by the register's own filters (register_status, the expiring filter): two queries."""
    agreements = selectors.readable(membership)
    period = dormancy_period(today)
    carried_out = Q(cooperation__stage__in=CARRIED_OUT_STAGES)
    counts = agreements.annotate(reported=reported_since(period)).aggregate(
        in_force=Count("pk", filter=register_status.in_force()),
        awaiting_review=Count("pk", filter=register_status.awaiting_review()),
        active=Count("pk", filter=carried_out & Q(reported=True)),
        dormant=Count("pk", filter=carried_out & Q(reported=False)),
    )
    expiring = selectors.register(
        filters=selectors.RegisterFilters(expiring_soon=True), membership=membership, today=today
    ).count()
    whole = membership is selectors.WHOLE_REGISTER
    return Headline(
        in_force=counts["in_force"],
        expiring_soon=expiring,
        expiring_days=selectors.EXPIRING_SOON_DAYS,
        awaiting_review=counts["awaiting_review"]
        if whole or register_status.reads_reviews(membership)
        else None,
        active=counts["active"],
        dormant=counts["dormant"],
        dormancy_period=period,
    )


@dataclass(frozen=True)
class Dashboard:
    total: int
    by_kind: list[Bar]
    by_stage: list[Bar]
    by_urusan: list[Bar]
    by_year: list[Bar]
    headline: Headline

    # The figures the dashboard showed before the headline held them (templates, tests).
    expiring_soon = property(lambda self: self.headline.expiring_soon)
    expiring_days = property(lambda self: self.headline.expiring_days)
    active = property(lambda self: self.headline.active)
    dormant = property(lambda self: self.headline.dormant)
    dormancy_period = property(lambda self: self.headline.dormancy_period)


def dashboard(
    *,
    today: datetime.date,
    tenant: Tenant | None = None,
    membership: Membership | None | object = selectors.WHOLE_REGISTER,
) -> Dashboard:
    """The figures of the agreements `membership` reads (a viewer's dossiers, a camat's area:
    agreements.policy.readable_agreements), with the stages as the region labels them."""
    tenant = tenant or connection.tenant
    agreements = selectors.readable(membership)
    kinds = dict(agreements.values_list("cooperation__kind").annotate(n=Count("pk")).order_by())
    by_stage = dict(agreements.values_list("cooperation__stage").annotate(n=Count("pk")).order_by())
    # By year as the register's year filter counts: an agreement counts in every year its term
    # covers (an open-ended one up to this year); one without a start date in none.
    years: Counter = Counter()
    for start, end in agreements.values_list("cooperation__term_start", "cooperation__term_end"):
        if start is not None:
            last = end.year if end is not None else max(today.year, start.year)
            years.update(range(start.year, min(last, start.year + 50) + 1))
    urusan = Counter(
        code for codes in agreements.values_list("cooperation__urusan", flat=True) for code in codes
    )
    return Dashboard(
        total=sum(kinds.values()),
        by_kind=_bars([(str(label), kinds.get(v, 0), f"kind={v}") for v, label in Kind.choices]),
        by_stage=_bars(
            [(label, by_stage.get(v, 0), f"stage={v}") for v, label in stage_labels.choices()]
        ),
        by_urusan=_bars(
            [
                (urusan_codes.label(code), count, f"urusan={code}")
                for code, count in sorted(urusan.items())
            ]
        ),
        by_year=_bars(
            [(str(year), count, f"year={year}") for year, count in sorted(years.items())]
        ),
        headline=headline(today=today, membership=membership),
    )
