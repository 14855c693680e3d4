"""Reads of the public registry, for the web pages and the API alike: the list's filters, its
facet counts (one grouped query), the status computed from the term, the change feed's cursor.

The status is never stored: it is a condition on the indexed `term_end` and `terminated` for a
given day (`status_q`), so it cannot go stale overnight and needs no nightly job.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils import timezone

from cooperation import urusan as urusan_codes
from cooperation.models import Kind

from .models import PublishedAgreement, Status

SEARCH_CONFIG = "public.indonesian_unaccent"
EXPIRING_DAYS = 90
PAGE_SIZE = 25
MAX_VALUES = 20  # per filter: a URL cannot ask for more
PARTNER_FACET_SIZE = 25
REGION_FACET_SIZE = 40

SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-signed_on", "-id"),
    "oldest": ("signed_on", "id"),
    "term_end": ("term_end", "id"),
    "title": ("title", "id"),
}
DEFAULT_SORT = "newest"
FACETS = ("status", "kind", "urusan", "year", "province", "region", "partner")

_REGION_CODE = re.compile(r"^\d{2}(\.\d{2})?$")
_PROVINCE_CODE = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class RegistryFilters:
    """The list's filters; every field is a tuple of accepted values (empty: no filter)."""

    q: str = ""
    province: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    partner: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    urusan: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    status: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def key(self) -> str:
        """A stable text of the filters (cache keys)."""
        parts = [f"q={self.q}"]
        for name in FACETS:
            parts.append(f"{name}={','.join(sorted(map(str, getattr(self, name))))}")
        return "&".join(parts)

    @property
    def active(self) -> bool:
        return bool(self.q) or any(getattr(self, name) for name in FACETS)


def _values(params, name: str, valid) -> tuple:
    seen: list = []
    for raw in params.getlist(name)[:MAX_VALUES]:
        value = valid(raw.strip())
        if value is not None and value not in seen:
            seen.append(value)
    return tuple(seen)


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 1945 <= int(raw) <= 2200 else None


def filters_from(params) -> RegistryFilters:
    """The filters a query string asks for; unknown values are dropped, never an error (a
    shared URL from an older version still opens)."""
    return RegistryFilters(
        q=(params.get("q") or "").strip()[:200],
        province=_values(params, "province", lambda v: v if _PROVINCE_CODE.match(v) else None),
        region=_values(params, "region", lambda v: v if _REGION_CODE.match(v) else None),
        partner=_values(params, "partner", lambda v: v[:200] or None),
        kind=_values(params, "kind", lambda v: v if v in Kind.values else None),
        urusan=_values(params, "urusan", lambda v: v if v in urusan_codes.NAMES else None),
        year=_values(params, "year", _year),
        status=_values(params, "status", lambda v: v if v in Status.values else None),
    )


def sort_from(params) -> str:
    sort = params.get("sort") or DEFAULT_SORT
    return sort if sort in SORTS else DEFAULT_SORT


# --- Status ------------------------------------------------------------------------------------


def _limits(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(days=EXPIRING_DAYS)


def status_q(status: str, today: datetime.date) -> Q:
    """The records with `status` on `today`, as a condition on indexed columns."""
    start, soon = _limits(today)
    live = Q(terminated=False)
    return {
        Status.TERMINATED: Q(terminated=True),
        Status.EXPIRED: live & Q(term_end__lt=start),
        Status.EXPIRING: live & Q(term_end__gte=start, term_end__lte=soon),
        Status.IN_FORCE: live & (Q(term_end__isnull=True) | Q(term_end__gt=soon)),
    }[status]


def status_expression(today: datetime.date) -> Case:
    return Case(
        *(When(status_q(s, today), then=Value(s.value)) for s in Status),
        output_field=CharField(),
    )


def status_of(*, terminated: bool, term_end: datetime.date | None, today: datetime.date) -> str:
    start, soon = _limits(today)
    if terminated:
        return Status.TERMINATED
    if term_end is None or term_end > soon:
        return Status.IN_FORCE
    return Status.EXPIRED if term_end < start else Status.EXPIRING


# --- The list ----------------------------------------------------------------------------------


def published(filters: RegistryFilters, *, today: datetime.date | None = None) -> QuerySet:
    """The published records matching `filters` (unordered)."""
    today = today or timezone.localdate()
    records = PublishedAgreement.objects.all()
    if filters.q:
        records = records.filter(
            search=SearchQuery(filters.q, search_type="websearch", config=SEARCH_CONFIG)
        )
    if filters.province:
        records = records.filter(province_codes__overlap=list(filters.province))
    if filters.region:
        records = records.filter(region_codes__overlap=list(filters.region))
    if filters.partner:
        records = records.filter(partner_names__overlap=list(filters.partner))
    if filters.kind:
        records = records.filter(kind__in=filters.kind)
    if filters.urusan:
        records = records.filter(urusan__overlap=list(filters.urusan))
    if filters.year:
        records = records.filter(signed_year__in=filters.year)
    if filters.status:
        condition = Q()
        for status in filters.status:
            condition |= status_q(status, today)
        records = records.filter(condition)
    return records


LIST_FIELDS = (
    "id",
    "title",
    "kind",
    "instrument",
    "urusan",
    "parties_text",
    "signed_on",
    "term_start",
    "term_end",
    "terminated",
    "document_count",
)


def page_of(
    filters: RegistryFilters, *, sort: str = DEFAULT_SORT, page: int = 1, today=None
) -> list[dict]:
    """One page of the list, as plain rows (cacheable); the total comes with the facets."""
    offset = (max(page, 1) - 1) * PAGE_SIZE
    records = published(filters, today=today).order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    return list(records.values(*LIST_FIELDS)[offset : offset + PAGE_SIZE])


_FACET_SQL = """
SELECT key, count(*) FROM (
    SELECT facet_keys::text[] || ('status:' || {status}) AS keys FROM ({inner}) AS filtered
) AS f, unnest(f.keys) AS key
GROUP BY key
"""
TOP = {"region": REGION_FACET_SIZE, "partner": PARTNER_FACET_SIZE}


def facet_counts(filters: RegistryFilters, *, today=None) -> dict[str, dict[str, int]]:
    """Counts per value of every facet within the filtered records, in ONE query and one pass:
    each record's `facet_keys` plus its status, unnested and grouped (the statuses add up to
    the total). Regions and partners: the most frequent ones."""
    today = today or timezone.localdate()
    inner = (
        published(filters, today=today)
        .order_by()
        .annotate(s=status_expression(today))
        .values("s", "facet_keys")
    )
    sql, params = inner.query.sql_with_params()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(_FACET_SQL.format(inner=sql, status="s"), params)
        for key, count in cursor.fetchall():
            facet, _sep, value = key.partition(":")
            if facet in counts:
                counts[facet][value] = count
    for facet, size in TOP.items():
        best = sorted(counts[facet].items(), key=lambda item: (-item[1], item[0]))[:size]
        counts[facet] = dict(best)
    return counts


def total_of(counts: dict[str, dict[str, int]]) -> int:
    return sum(counts["status"].values())


# --- The change feed ---------------------------------------------------------------------------


def encode_cursor(modified_at: datetime.datetime, pk: int) -> str:
    raw = f"{modified_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    """The position a cursor names, or None for a cursor that is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        moment = datetime.datetime.fromisoformat(stamp)
        return (moment, int(pk)) if moment.tzinfo else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def changes_after(position: tuple[datetime.datetime, int] | None, *, limit: int) -> QuerySet:
    """Published records in the order of their last change, after `position`. Records are
    stamped under one lock from the database's clock (publishing.py), so a record that becomes
    visible later never carries an earlier stamp than one already served."""
    records = PublishedAgreement.objects.order_by("modified_at", "id")
    if position is not None:
        moment, pk = position
        records = records.filter(Q(modified_at__gt=moment) | Q(modified_at=moment, id__gt=pk))
    return records[:limit]
