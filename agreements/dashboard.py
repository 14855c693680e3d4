"""The register's dashboard: counts by kind, stage, urusan and year, the agreements expiring
soon, and active versus dormant ones, with bar charts drawn as SVG on the server (no script, no
CDN). A fixed number of queries, however many agreements there are.

An agreement being carried out (implementation, monitoring and evaluation) is active when a
monitoring report was filed for the last completed period or a later one, dormant otherwise
(agreements/monitoring_selectors.py decides both, as the reminders do).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from cooperation import urusan as urusan_codes
from cooperation.models import Kind, Stage
from tenants.models import Membership, Tenant

from . import selectors
from . import stages as stage_labels
from .monitoring_selectors import dormancy_period, reported_since
from .periods import Period


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
class Dashboard:
    total: int
    by_kind: list[Bar]
    by_stage: list[Bar]
    by_urusan: list[Bar]
    by_year: list[Bar]
    expiring_soon: int
    expiring_days: int
    active: int
    dormant: int
    dormancy_period: Period


def dashboard(
    *,
    today: datetime.date,
    tenant: Tenant | None = None,
    membership: Membership | None | object = selectors.WHOLE_REGISTER,
) -> Dashboard:
    """The figures of the agreements `membership` reads (a viewer's dossiers, a camat's area:
    tenants.policy.readable_agreements), with the stages as the region labels them."""
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
    expiring = selectors.register(
        filters=selectors.RegisterFilters(expiring_soon=True), membership=membership, today=today
    ).count()
    period = dormancy_period(today)
    carried_out = agreements.filter(
        cooperation__stage__in=(Stage.IMPLEMENTATION, Stage.MONITORING)
    ).annotate(reported=reported_since(period))
    activity = carried_out.aggregate(
        active=Count("pk", filter=Q(reported=True)), dormant=Count("pk", filter=Q(reported=False))
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
        expiring_soon=expiring,
        expiring_days=selectors.EXPIRING_SOON_DAYS,
        active=activity["active"],
        dormant=activity["dormant"],
        dormancy_period=period,
    )
