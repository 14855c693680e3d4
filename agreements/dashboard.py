"""The register's dashboard: counts by kind, stage, urusan and year, the agreements expiring
soon, and active versus dormant ones, with bar charts drawn as SVG on the server (no script, no
CDN). A fixed number of queries, however many agreements there are.

"Dormant" is an agreement in force with nothing recorded in its history for the last
DORMANT_AFTER_DAYS days. When monitoring reports (monev) arrive it will mean "no monitoring
report in the last period", as the issue says; until then the history is the best evidence.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from cooperation import urusan as urusan_codes
from cooperation.models import Kind, Stage
from tenants.models import AuditEvent, Tenant

from . import selectors
from .models import Agreement
from .reporting import STATUS_STAGES, Status

DORMANT_AFTER_DAYS = 183


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
    dormant_days: int


def dashboard(*, today: datetime.date, tenant: Tenant | None = None) -> Dashboard:
    tenant = tenant or connection.tenant
    agreements = Agreement.objects.all()
    kinds = dict(agreements.values_list("cooperation__kind").annotate(n=Count("pk")).order_by())
    stages = dict(agreements.values_list("cooperation__stage").annotate(n=Count("pk")).order_by())
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
        filters=selectors.RegisterFilters(expiring_soon=True), today=today
    ).count()
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=DORMANT_AFTER_DAYS), datetime.time.min
        )
    )
    recent = AuditEvent.objects.filter(
        tenant=tenant,
        object_type=Agreement._meta.label_lower,
        object_id=Cast(OuterRef("pk"), CharField()),
        created_at__gte=since,
    )
    in_force = agreements.filter(cooperation__stage__in=STATUS_STAGES[Status.IN_FORCE]).annotate(
        recent=Exists(recent)
    )
    activity = in_force.aggregate(
        active=Count("pk", filter=Q(recent=True)), dormant=Count("pk", filter=Q(recent=False))
    )
    return Dashboard(
        total=sum(kinds.values()),
        by_kind=_bars([(str(label), kinds.get(v, 0), f"kind={v}") for v, label in Kind.choices]),
        by_stage=_bars(
            [(str(label), stages.get(v, 0), f"stage={v}") for v, label in Stage.choices]
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
        dormant_days=DORMANT_AFTER_DAYS,
    )
