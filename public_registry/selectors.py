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
from django.db import connection, transaction
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


def _number(raw: str) -> bool:
    """Digits 0-9 only: str.isdigit() also takes superscripts and other scripts' digits, which
    int() refuses."""
    return raw.isascii() and raw.isdigit()


def _year(raw: str) -> int | None:
    return int(raw) if _number(raw) and 1945 <= int(raw) <= 2200 else None


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
    conditions: dict[str, Q] = {
        Status.TERMINATED: Q(terminated=True),
        Status.EXPIRED: live & Q(term_end__lt=start),
        Status.EXPIRING: live & Q(term_end__gte=start, term_end__lte=soon),
        Status.IN_FORCE: live & (Q(term_end__isnull=True) | Q(term_end__gt=soon)),
    }
    return conditions[status]


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
    """Counts per value of every facet within the filtered records (the statuses add up to the
    total). Regions and partners: the most frequent ones.

    - The unfiltered list (the registry's front page, and the set that grows with the
      platform) counts from the facet counts table (`counted_facets`): a few hundred rows,
      whatever the number of records.
    - A filtered list counts its own records, exactly, in ONE query and one pass over them
      (`records_facets`): a region's or province's list, a word, a kind reads only what it
      shows, through the filters' indexes."""
    today = today or timezone.localdate()
    if filters.active:
        counts = records_facets(filters, today=today)
    else:
        counts = counted_facets(today=today)
    for facet, size in TOP.items():
        best = sorted(counts[facet].items(), key=lambda item: (-item[1], item[0]))[:size]
        counts[facet] = dict(best)
    return counts


def records_facets(filters: RegistryFilters, *, today) -> dict[str, dict[str, int]]:
    """Every facet's counts over the filtered records themselves: each record's `facet_keys`
    plus its status, unnested and grouped in one pass (all values, untrimmed)."""
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
    return counts


# Pending changes of the counts table folded into its totals by the reader that finds more.
FOLD_AT = 500
_FOLD_LOCK = 0x70756663  # "pufc": one folder at a time; the others do not wait (try-lock)


def fold_facets() -> bool:
    """Fold the pending changes (`FacetDelta`) into the totals (`FacetTotal`) in one
    transaction: deleted and added together, so every reader sees either both or neither.
    Changes of publications still running are not visible to it and stay for the next fold.
    Only one fold runs at a time; another reader skips it (returns False)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_FOLD_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            "WITH folded AS (DELETE FROM public_registry_facetdelta RETURNING key, n) "
            "INSERT INTO public_registry_facettotal AS t (key, n) "
            "SELECT key, sum(n) FROM folded GROUP BY key ORDER BY key "
            "ON CONFLICT (key) DO UPDATE SET n = t.n + EXCLUDED.n"
        )
        cursor.execute("DELETE FROM public_registry_facettotal WHERE n = 0")
    return True


def counted_facets(*, today) -> dict[str, dict[str, int]]:
    """Every facet's counts over all published records, from the counts table (totals plus
    the pending changes: exact, whatever has been folded). The status is not a stored key (it
    moves with the date): the table counts live records by the month their term ends, so
    expired = the months before this one + this month's records that ended before today,
    expiring = the records ending in the next EXPIRING_DAYS, both read from the live records'
    term-end index (at most four months of records), in force = the rest."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) > %s FROM public_registry_facetdelta", [FOLD_AT])
        if cursor.fetchone()[0]:
            fold_facets()
        cursor.execute(
            "SELECT key, sum(n) FROM (SELECT key, n FROM public_registry_facettotal "
            "UNION ALL SELECT key, n FROM public_registry_facetdelta) AS c "
            "GROUP BY key HAVING sum(n) <> 0"
        )
        rows = cursor.fetchall()
        start, soon = _limits(today)
        month = start.replace(day=1)
        cursor.execute(
            "SELECT count(*) FILTER (WHERE term_end < %s), count(*) FILTER (WHERE term_end >= %s)"
            " FROM public_registry_publishedagreement"
            " WHERE NOT terminated AND term_end >= %s AND term_end <= %s",
            [start, start, month, soon],
        )
        ended_this_month, expiring = cursor.fetchone()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = terminated = expired = 0
    this_month = month.strftime("%Y-%m")
    for key, count in rows:
        facet, _sep, value = key.partition(":")
        if facet == "end":
            total += count
            if value == "terminated":
                terminated = count
            elif value != "open" and value < this_month:
                expired += count
        elif facet in counts:
            counts[facet][value] = int(count)
    expired += ended_this_month
    statuses = {
        Status.IN_FORCE.value: total - terminated - expired - expiring,
        Status.EXPIRING.value: expiring,
        Status.EXPIRED.value: expired,
        Status.TERMINATED.value: terminated,
    }
    counts["status"] = {status: int(n) for status, n in statuses.items() if n}
    return counts


def total_of(counts: dict[str, dict[str, int]]) -> int:
    return sum(counts["status"].values())


def facet_counts_of(facet: str) -> list[tuple[str, int]]:
    """One facet's counts over everything published (e.g. "urusan", "kind", "year"), from the
    counts table (totals plus pending changes: exact), reading only that facet's keys (a
    range of the totals' primary key), most first."""
    low, high = f"{facet}:", f"{facet};"  # ";" follows ":": every key of the facet between
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key, sum(n) FROM (SELECT key, n FROM public_registry_facettotal "
            "WHERE key >= %s AND key < %s UNION ALL SELECT key, n FROM public_registry_facetdelta"
            " WHERE key >= %s AND key < %s) AS c GROUP BY key HAVING sum(n) <> 0",
            [low, high, low, high],
        )
        rows = [(key[len(low) :], int(n)) for key, n in cursor.fetchall()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


_PAIR_FOLD_LOCK = 0x70757072  # "pupr"


def fold_pairs() -> bool:
    """Fold the pending pair changes into their totals (as fold_facets does for the facets)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_PAIR_FOLD_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            "WITH folded AS (DELETE FROM public_registry_pairdelta RETURNING key, n) "
            "INSERT INTO public_registry_pairtotal AS t (key, n) "
            "SELECT key, sum(n) FROM folded GROUP BY key ORDER BY key "
            "ON CONFLICT (key) DO UPDATE SET n = t.n + EXCLUDED.n"
        )
        cursor.execute("DELETE FROM public_registry_pairtotal WHERE n = 0")
    return True


def top_pairs(limit: int) -> list[tuple[str, str, int]]:
    """The `limit` pairs of regions with the most published agreements together, most first
    (then by codes): (code, code, agreements). Exact without reading every pair: the pending
    changes are folded when many have gathered; the k keys still pending are summed exactly,
    and every other key's count is its total, so the answer lies among the totals' first
    limit + k rows (their count index) and the pending keys."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) > %s FROM public_registry_pairdelta", [FOLD_AT])
        if cursor.fetchone()[0]:
            fold_pairs()
        cursor.execute(
            "WITH pending AS (SELECT key, sum(n) AS n FROM public_registry_pairdelta GROUP BY key),"
            " candidates AS ((SELECT key FROM public_registry_pairtotal ORDER BY n DESC, key"
            " LIMIT %s + (SELECT count(*) FROM pending)) UNION SELECT key FROM pending)"
            " SELECT c.key, coalesce(t.n, 0) + coalesce(p.n, 0) AS n FROM candidates c"
            " LEFT JOIN public_registry_pairtotal t USING (key) LEFT JOIN pending p USING (key)"
            " WHERE coalesce(t.n, 0) + coalesce(p.n, 0) > 0 ORDER BY n DESC, c.key LIMIT %s",
            [limit, limit],
        )
        rows = cursor.fetchall()
    return [(*key.split("|", 1), int(n)) for key, n in rows]  # type: ignore[misc]


# --- The change feed ---------------------------------------------------------------------------
#
# A record's place in the feed is (feed_xid, feed_seq): the id of the transaction that last
# published it and a sequence's number, the order within that transaction (a database trigger,
# migration 0005; a sequence never waits). Transaction ids are handed out in order but commits
# happen in any order, so the feed serves only records whose transaction is older than the
# oldest one still running (pg_snapshot_xmin of the reader's snapshot): every transaction below
# that line has committed or rolled back, and any transaction that writes later gets a larger
# id. A cursor therefore never passes a record that becomes visible later. A long transaction
# anywhere in the cluster delays the feed (never skips); a changed record moves to the end.
# A reader inside a writing transaction (tests; never a feed request, which writes nothing)
# also sees its own transaction's records.


def encode_cursor(feed_xid: int, feed_seq: int) -> str:
    raw = f"x{feed_xid}|{feed_seq}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int] | None:
    """The position a cursor names, or None for a cursor that is not one of ours. A cursor of
    the earlier feed (a moment and an id) starts again from the beginning: the mirror reads
    every record once more rather than miss one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        if stamp.startswith("x") and _number(stamp[1:]) and _number(pk):
            return int(stamp[1:]), int(pk)
        moment = datetime.datetime.fromisoformat(stamp)
        return (0, 0) if moment.tzinfo and _number(pk) else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def changes_after(position: tuple[int, int] | None, *, limit: int) -> QuerySet:
    """Published records in the order of the transactions that last published them, after
    `position`, only those every older transaction has finished with (see above)."""
    records = PublishedAgreement.objects.extra(
        where=[
            "(feed_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
            " OR feed_xid = pg_current_xact_id_if_assigned()::text::bigint)"
        ]
    ).order_by("feed_xid", "feed_seq")
    if position is not None:
        xid, seq = position
        records = records.filter(Q(feed_xid__gt=xid) | Q(feed_xid=xid, feed_seq__gt=seq))
    return records[:limit]
