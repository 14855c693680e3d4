# SQL here is assembled from this module's constants and "%s" placeholders only; every value a
# person typed is a bound parameter (S608 does not see the difference).
# ruff: noqa: S608
"""The PostgreSQL backend, the embedded default: full text with the `indonesian` configuration
(unaccented, `public.indonesian_unaccent`, created by search/migrations/0001) over the
search_searchdocument table and its GIN index, synonyms expanded in the query, misspelt words
corrected against the index's vocabulary within Elasticsearch's `fuzziness: AUTO`
(search/spelling.py; fuzzystrmatch's levenshtein_less_equal), highlights by ts_headline, and
all the facet counts in one scan of the matches (GROUPING SETS)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from ..documents import IndexDocument
from ..query import (
    FACETS,
    PAGE_SIZE,
    FacetValue,
    Filters,
    Hit,
    SearchRequest,
    SearchResults,
    Sort,
)
from ..spelling import PREFIX_LENGTH, max_edits, osa_distance, transpositions
from ..synonyms import expansions, fold
from .base import CLOSE, OPEN, clean_text, marked_html

CONFIG = "public.indonesian_unaccent"
TABLE = "search_searchdocument"
COLUMNS = {
    "province": "province_code",
    "region": "region_code",
    "region_kind": "region_kind",
    "kind": "kind",
    "sector": "sector",
    "urusan": "urusan",
}
# A misspelt word is searched as itself or as the closest words of the vocabulary (the fewest
# edits away, within spelling.max_edits), at most this many of them.
MAX_CORRECTIONS = 3
# A search counts (total and facets) and ranks at most this many matches, the most recently
# published first; beyond it the results say "more than" (SearchResults.capped). A word in
# nearly every listing ("daerah") would otherwise cost a scan, a rank and six counts of the
# whole index per search. Setting: JEJARING_SEARCH_MAX_COUNTED.
MAX_COUNTED = 2_000
# See PostgresBackend._plan.
WALK_COST = 3
# See Plan.windows: a window is chosen to hold about WINDOW_MARGIN times the cap of matches;
# when it held too few (the matches are older than the documents on average), the next one is
# WINDOW_GROWTH times wider, until a window would cover WINDOW_MAX of the documents, then none.
WINDOW_MARGIN = 2
WINDOW_GROWTH = 8
WINDOW_MAX = 0.5
ENTRIES_PER_ROW = 10


@dataclass(frozen=True)
class Plan:
    """PostgresBackend._plan's answer: the access path ("walk", "bitmap", or "" for the
    planner's own), the planner's estimate of the matches, and the published_at histogram
    (ascending; empty before the table is first analysed)."""

    access: str
    estimate: float
    bounds: list

    def windows(self, cap: int) -> Iterator[datetime | None]:
        """The moments to read from, the narrowest window first, and at last None (no
        window): each holds at least the fraction of the documents that would hold
        WINDOW_MARGIN x (cap + 1) matches by the estimate."""
        fraction = WINDOW_MARGIN * (cap + 1) / max(self.estimate, 1)
        last = len(self.bounds) - 1
        while last >= 2 and fraction < WINDOW_MAX:
            # At least `fraction` of the histogram's buckets lie at or after bounds[i].
            yield self.bounds[int(last * (1 - fraction))]
            fraction *= WINDOW_GROWTH
        yield None


def max_counted() -> int:
    return int(getattr(settings, "JEJARING_SEARCH_MAX_COUNTED", MAX_COUNTED))


_VECTOR_SQL = (
    f"setweight(to_tsvector('{CONFIG}', %(title)s), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', %(body)s), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', %(places)s), 'C')"
)
_UPSERT_SQL = f"""
INSERT INTO {TABLE} (doc_type, object_id, title, body, places, language, kind, sector, urusan,
    region_code, province_code, region_kind, area_code, published_at, valid_from, valid_until,
    latitude, longitude, search_vector)
VALUES (%(doc_type)s, %(object_id)s, %(title)s, %(body)s, %(places)s, %(language)s, %(kind)s,
    %(sector)s, %(urusan)s, %(region_code)s, %(province_code)s, %(region_kind)s, %(area_code)s,
    %(published_at)s, %(valid_from)s, %(valid_until)s, %(latitude)s, %(longitude)s,
    {_VECTOR_SQL})
ON CONFLICT (doc_type, object_id) DO UPDATE SET
    title = EXCLUDED.title, body = EXCLUDED.body, places = EXCLUDED.places,
    language = EXCLUDED.language, kind = EXCLUDED.kind, sector = EXCLUDED.sector,
    urusan = EXCLUDED.urusan, region_code = EXCLUDED.region_code,
    province_code = EXCLUDED.province_code, region_kind = EXCLUDED.region_kind,
    area_code = EXCLUDED.area_code, published_at = EXCLUDED.published_at,
    valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,
    latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
    search_vector = EXCLUDED.search_vector
"""
# The vocabulary grows with each document (words of 3 to 64 letters, unstemmed, unaccented);
# a rebuild recomputes it, dropping the words no document holds any more.
_WORDS_SQL = """
INSERT INTO search_searchterm (word)
SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector('simple', public.unaccent(%s)))) w
WHERE length(w) BETWEEN 3 AND 64 AND w !~ '^[0-9]+$'
ON CONFLICT DO NOTHING
"""


def _params(doc: IndexDocument) -> dict:
    return {
        "doc_type": doc.doc_type,
        "object_id": doc.object_id,
        "title": clean_text(doc.title)[:200],
        "body": clean_text(doc.body),
        "places": clean_text(doc.places),
        "language": doc.language,
        "kind": doc.kind,
        "sector": doc.sector,
        "urusan": doc.urusan,
        "region_code": doc.region_code,
        "province_code": doc.province_code,
        "region_kind": doc.region_kind,
        "area_code": doc.area_code or "",
        "published_at": doc.published_at,
        "valid_from": doc.valid_from,
        "valid_until": doc.valid_until,
        "latitude": doc.latitude,
        "longitude": doc.longitude,
    }


class PostgresBackend:
    name = "postgresql"

    # --- Writing ---------------------------------------------------------------------------

    def apply(
        self, *, upserts: Iterable[IndexDocument], deletions: Iterable[tuple[str, int]]
    ) -> None:
        upserts, deletions = list(upserts), list(deletions)
        with transaction.atomic(), connection.cursor() as cursor:
            for doc_type in {d for d, _ in deletions}:
                ids = [i for d, i in deletions if d == doc_type]
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE doc_type = %s AND object_id = ANY(%s)",
                    [doc_type, ids],
                )
            if upserts:
                cursor.executemany(_UPSERT_SQL, [_params(doc) for doc in upserts])
                cursor.executemany(
                    _WORDS_SQL, [[f"{doc.title} {doc.body} {doc.places}"] for doc in upserts]
                )

    def rebuild(self, documents: Iterable[IndexDocument], *, doc_type: str) -> int:
        """In one transaction: searches keep seeing the old index until it commits."""
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE doc_type = %s", [doc_type])
            batch: list[dict] = []
            for doc in documents:
                if doc.doc_type != doc_type:
                    raise ValueError(f"A {doc.doc_type!r} document in a {doc_type!r} rebuild.")
                batch.append(_params(doc))
                if len(batch) >= 1000:
                    cursor.executemany(_UPSERT_SQL, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(_UPSERT_SQL, batch)
                count += len(batch)
            self.rebuild_vocabulary(cursor)
        return count

    def rebuild_vocabulary(self, cursor) -> None:
        cursor.execute("DELETE FROM search_searchterm")
        cursor.execute(
            f"""
            INSERT INTO search_searchterm (word)
            SELECT word FROM ts_stat($$SELECT to_tsvector('simple',
                public.unaccent(title || ' ' || body || ' ' || places)) FROM {TABLE}$$)
            WHERE length(word) BETWEEN 3 AND 64 AND word !~ '^[0-9]+$'
            ON CONFLICT DO NOTHING
            """
        )

    # --- Searching -------------------------------------------------------------------------

    def search(
        self, request: SearchRequest, *, origin: tuple[float, float] | None, doc_type="listing"
    ) -> SearchResults:
        today = timezone.localdate()
        with connection.cursor() as cursor:
            synonyms = expansions(request.words)
            # A word with synonyms is understood as it is; others may be misspelt.
            corrected = self._corrections(
                cursor, tuple(w for w in request.words if not synonyms.get(w))
            )
            tsquery, tsparams = self._tsquery(request.words, synonyms, corrected)
            where, params = self._where(doc_type, today, request, tsquery, tsparams)
            # Each condition alone (a word with its alternatives, a filter), for the planner's
            # estimate of the matches (see _plan).
            base, base_params = self._where(
                doc_type, today, dataclasses.replace(request, filters=Filters()), "", []
            )
            conditions = [
                (f"{base} AND d.search_vector @@ {part}", [*base_params, *part_params])
                for part, part_params in (
                    self._tsquery((word,), synonyms, corrected) for word in request.words
                )
            ] + [
                (f"{base} AND d.{COLUMNS[name]} = ANY(%s)", [*base_params, list(values)])
                for name, values in request.filters.items()
            ]
            facets, total, capped, hits = self._matches(
                cursor, request, where, params, tsquery, tsparams, origin, conditions
            )
            hits = self._highlight(cursor, doc_type, hits, tsquery, tsparams)
        return SearchResults(
            request=request,
            hits=hits,
            total=total,
            facets=facets,
            backend=self.name,
            notices=list(request.notices),
            corrected_words=tuple(w for found in corrected.values() for w in found),
            capped=capped,
        )

    def _corrections(self, cursor, words: tuple[str, ...]) -> dict[str, list[str]]:
        """{misspelt word: the vocabulary's closest words} for the words the index does not
        hold: the words at the fewest edits (spelling.osa_distance) within spelling.max_edits,
        sharing the first letter. The candidates are read through the vocabulary's index on
        (first letter, length), a slice of the vocabulary (which grows with the language of the
        listings, not with their number); fuzzystrmatch filters them in the database (a
        Levenshtein distance within the edits, or within one edit of the word with two
        neighbouring letters swapped), and the exact distance is computed here for the few
        that remain."""
        candidates = {w: fold(w) for w in words if max_edits(fold(w)) and not fold(w).isdigit()}
        if not candidates:
            return {}
        cursor.execute(
            "SELECT word FROM search_searchterm WHERE word = ANY(%s)", [list(candidates.values())]
        )
        known = {row[0] for row in cursor.fetchall()}
        corrected: dict[str, list[str]] = {}
        for word, folded in candidates.items():
            if folded in known:
                continue
            edits = max_edits(folded)
            # The word with one swap, and with two (a swap is one edit).
            swapped = transpositions(folded)
            twice = [t for s in swapped for t in transpositions(s) if t != folded]
            cursor.execute(
                "SELECT word FROM search_searchterm "
                f"WHERE left(word, {PREFIX_LENGTH}) = %s AND length(word) BETWEEN %s AND %s AND ("
                "public.levenshtein_less_equal(word, %s, %s) <= %s OR word = ANY(%s) OR ("
                "%s AND public.levenshtein_less_equal(word, %s, 3) <= 3 AND EXISTS ("
                "SELECT 1 FROM unnest(%s::text[]) s "
                "WHERE public.levenshtein_less_equal(word, s, 1) <= 1)))",
                [
                    folded[:PREFIX_LENGTH],
                    len(folded) - edits,
                    len(folded) + edits,
                    folded,
                    edits,
                    edits,
                    swapped + twice if edits >= 2 else swapped,
                    edits >= 2,
                    folded,
                    swapped,
                ],
            )
            scored = sorted(
                (osa_distance(folded, row[0]), abs(len(row[0]) - len(folded)), row[0])
                for row in cursor.fetchall()
            )
            scored = [s for s in scored if s[0] <= edits]
            if scored:
                closest = scored[0][0]
                corrected[word] = [w for d, _, w in scored if d == closest][:MAX_CORRECTIONS]
        return corrected

    def _tsquery(self, words, synonyms, corrected) -> tuple[str, list]:
        """Each word OR its synonyms OR its correction; the words AND-ed. Every word is a bound
        parameter of plainto_tsquery, which reads no operators."""
        if not words:
            return "", []
        parts, params = [], []
        for word in words:
            alternatives = [word, *synonyms.get(word, [])]
            alternatives.extend(corrected.get(word, []))
            parts.append(
                "(" + " || ".join([f"plainto_tsquery('{CONFIG}', %s)"] * len(alternatives)) + ")"
            )
            params.extend(alternatives)
        return "(" + " && ".join(parts) + ")", params

    def _where(self, doc_type, today: date, request, tsquery, tsparams) -> tuple[str, list]:
        clauses = [
            "d.doc_type = %s",
            "d.valid_until >= %s",
            "(d.valid_from IS NULL OR d.valid_from <= %s)",
        ]
        params: list = [doc_type, today, today]
        if tsquery:
            clauses.append(f"d.search_vector @@ {tsquery}")
            params.extend(tsparams)
        for name, values in request.filters.items():
            clauses.append(f"d.{COLUMNS[name]} = ANY(%s)")
            params.append(list(values))
        if request.hidden_regions:
            clauses.append("NOT (d.region_code = ANY(%s))")
            params.append(list(request.hidden_regions))
        if request.published_after is not None:
            clauses.append("d.published_at > %s")
            params.append(request.published_after)
        return " AND ".join(clauses), params

    def _plan(self, cursor, where, params, conditions=(), *, words: bool) -> Plan:
        """How to find the newest max_counted() + 1 matches without reading the others, from
        the planner's estimate of how many matches there are (one EXPLAIN, no rows read).

        - The access path, for a search with words: "walk" the newest-first index while the
          matches are dense (a common word: the walk stops after a little more than the cap),
          "bitmap" through the full-text index otherwise (a rarer word: fewer rows read, and
          no text matched row by row). Without words the planner chooses among the facets'
          newest-first indexes (search_doc_<facet>_newest), which it does well.
        - The recency window: with many more matches than the cap, only the documents
          published since a moment chosen so that about WINDOW_MARGIN times the cap of the
          matches are newer (from the published_at histogram of the table's statistics,
          assuming the matches spread over time like the documents) are read: the bitmap of
          the text is intersected with the newest-first index's range (BitmapAnd), so the
          table is read for about WINDOW_MARGIN x cap rows instead of every match. Whether
          the window held enough matches is checked on the answer (see _matches), never
          assumed."""
        # The planner multiplies the selectivities of the conditions as if they were
        # independent; words of one phrase ("kopi robusta") or a word and its sector are not,
        # and the product can be 20 times too low (a window too wide, or none, and every
        # match read). No search has more matches than its rarest condition alone: that is
        # the estimate used, asked in the same EXPLAIN (one branch of a UNION ALL each). Too
        # high an estimate only costs a wider window's retry.
        queries = [(where, params), *(conditions if len(conditions) > 1 else [])]
        cursor.execute(
            "EXPLAIN (FORMAT JSON) "
            + " UNION ALL ".join(f"(SELECT 1 FROM {TABLE} d WHERE {w})" for w, _ in queries),
            [value for _, p in queries for value in p],
        )
        plan = cursor.fetchone()[0]
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
        rows = [p["Plan Rows"] for p in plan["Plans"]] if len(queries) > 1 else [plan["Plan Rows"]]
        estimate = max(min(rows[1:] or rows), 1)
        cursor.execute(
            "SELECT c.reltuples, s.histogram_bounds::text::timestamptz[] FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stats s ON "
            "s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = 'published_at' "
            "WHERE c.oid = %s::regclass",
            [TABLE],
        )
        documents, bounds = cursor.fetchone()
        documents = max(documents or 0, 1)
        cap = max_counted()
        # The walk reads about cap * documents / estimate rows, each dearer (random, text
        # matched) than a bitmap's row: WALK_COST of them.
        walk = cap * documents / estimate * WALK_COST
        access = "" if not words else ("walk" if walk < estimate else "bitmap")
        # A window costs an index entry for each document in it (WINDOW_MARGIN x cap x
        # documents / estimate of them) to save reading the matches outside it from the
        # table, each ENTRIES_PER_ROW times dearer than an entry: with a few thousand
        # matches more than the cap, reading them all is cheaper.
        window = WINDOW_MARGIN * (cap + 1) * documents / estimate / ENTRIES_PER_ROW
        if access == "walk" or window > estimate - WINDOW_MARGIN * (cap + 1):
            bounds = []
        return Plan(access, estimate, sorted(bounds or []))

    def _matches(self, cursor, request, where, params, tsquery, tsparams, origin, conditions):
        """One statement, one pass over the matches: the facets' counts, the total and the
        page of hits. It reads at most max_counted() + 1 matches, the most recently published
        first; with more, the counts are over those, the results say so (`capped`) and the
        hits are the best of those. Only the counted matches are ranked, their text vectors
        read by row address (ctid) after the cut."""
        cap = max_counted()
        columns = [COLUMNS[name] for name in FACETS]
        if origin is not None:
            distance = (
                "CASE WHEN d.latitude IS NULL THEN NULL ELSE 2 * 6371 * asin(sqrt("
                "power(sin(radians(d.latitude - %s) / 2), 2) + cos(radians(%s)) * "
                "cos(radians(d.latitude)) * power(sin(radians(d.longitude - %s) / 2), 2))) END"
            )
            distance_params = [origin[0], origin[0], origin[1]]
        else:
            distance, distance_params = "NULL::float", []
        sort = request.sort
        if sort == Sort.DISTANCE and origin is None:
            sort = Sort.RELEVANCE
        if sort == Sort.RELEVANCE and not tsquery:
            sort = Sort.RECENT
        if sort == Sort.RELEVANCE:
            ranked = (
                f"SELECT c.*, ts_rank(r.search_vector, {tsquery}) AS score FROM counted c "
                f"JOIN {TABLE} r ON r.ctid = c.tid"
            )
            rank_params = list(tsparams)
        else:
            ranked, rank_params = "SELECT c.*, 0::real AS score FROM counted c", []
        order = {
            Sort.RELEVANCE: "score DESC, published_at DESC, object_id DESC",
            Sort.RECENT: "published_at DESC, object_id DESC",
            Sort.DISTANCE: "distance ASC NULLS LAST, published_at DESC, object_id DESC",
        }[sort]
        no_facets = ", ".join(["NULL"] * len(columns))
        sql = f"""
            WITH matches AS MATERIALIZED (
                SELECT d.ctid AS tid, {", ".join(f"d.{c}" for c in columns)}, d.published_at,
                    d.object_id, {distance} AS distance,
                    row_number() OVER (ORDER BY d.published_at DESC, d.object_id DESC) AS n
                FROM {TABLE} d WHERE {where} {{window}}
                ORDER BY d.published_at DESC, d.object_id DESC LIMIT %s
            ), counted AS MATERIALIZED (SELECT * FROM matches WHERE n <= %s)
            SELECT 1, {", ".join(columns)}, count(*), NULL::bigint, NULL::real, NULL::float
            FROM counted GROUP BY GROUPING SETS ({", ".join(f"({c})" for c in columns)})
            UNION ALL
            SELECT 2, {no_facets}, (SELECT count(*) FROM matches), NULL, NULL, NULL
            UNION ALL
            (SELECT 3, {no_facets}, NULL, object_id, score, distance FROM ({ranked}) h
             ORDER BY {order} LIMIT %s OFFSET %s)
            """

        def sql_params(since: datetime | None) -> list:
            window = [] if since is None else [since]
            return [
                *distance_params,
                *params,
                *window,
                cap + 1,
                cap,
                *rank_params,
                PAGE_SIZE,
                request.offset,
            ]

        with transaction.atomic():
            # jit: milliseconds-long statements whose estimate can pass jit_above_cost;
            # compiling them costs more (~90 ms) than it saves (scripts/db.sh turns it off
            # for the cluster as well). A walk stops at the cap by itself (no window).
            # Before the EXPLAIN, whose estimates a parallel plan would divide per worker.
            cursor.execute(
                "SELECT set_config('jit', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true)"
            )
            plan = self._plan(cursor, where, params, conditions, words=bool(tsquery))
            off = []
            if plan.access == "walk":
                off += ["enable_bitmapscan", "enable_seqscan"]
            elif plan.access == "bitmap":
                off += ["enable_indexscan", "enable_seqscan"]
            if off:  # SET LOCAL, in one round trip
                cursor.execute(
                    "SELECT " + ", ".join(["set_config(%s, 'off', true)"] * len(off)), off
                )
            for since in plan.windows(cap):
                cursor.execute(
                    sql.replace("{window}", "" if since is None else "AND d.published_at >= %s"),
                    sql_params(since),
                )
                rows = cursor.fetchall()
                # A window is enough when it held more than the cap of matches: every match
                # outside it is older than every match in it, so the newest cap + 1 are the
                # same as without it. Otherwise the next, wider window (at last none).
                if since is None or _matched(rows, len(columns)) > cap:
                    break
        facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        hits = []
        matched = _matched(rows, len(columns))
        n = len(columns)
        for row in rows:
            if row[0] == 1:
                for name, value in zip(FACETS, row[1 : n + 1], strict=True):
                    if value is not None:
                        facets[name].append(FacetValue(value, row[n + 1]))
                        break
            elif row[0] == 2:
                continue
            else:
                hits.append(
                    Hit(
                        object_id=row[n + 2],
                        score=float(row[n + 3]),
                        title_html="",
                        snippet_html="",
                        distance_km=None if row[n + 4] is None else round(float(row[n + 4]), 1),
                    )
                )
        for name in FACETS:
            facets[name].sort(key=lambda f: (-f.count, f.code))
        return facets, min(matched, cap), matched > cap, hits

    def _highlight(self, cursor, doc_type, hits, tsquery, tsparams) -> list[Hit]:
        if not hits:
            return hits
        ids = [hit.object_id for hit in hits]
        if tsquery:
            options = f'StartSel="{OPEN}", StopSel="{CLOSE}"'
            cursor.execute(
                f"SELECT object_id, ts_headline('{CONFIG}', title, {tsquery}, %s), "
                f"ts_headline('{CONFIG}', body, {tsquery}, %s) FROM {TABLE} "
                "WHERE doc_type = %s AND object_id = ANY(%s)",
                [
                    *tsparams,
                    f"{options}, HighlightAll=true",
                    *tsparams,
                    f'{options}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "',
                    doc_type,
                    ids,
                ],
            )
            marked = {row[0]: (marked_html(row[1]), marked_html(row[2])) for row in cursor}
        else:
            cursor.execute(
                f"SELECT object_id, title, left(body, 240) FROM {TABLE} "
                "WHERE doc_type = %s AND object_id = ANY(%s)",
                [doc_type, ids],
            )
            marked = {row[0]: (escape(row[1]), escape(row[2])) for row in cursor}
        return [
            Hit(
                object_id=hit.object_id,
                score=hit.score,
                title_html=marked.get(hit.object_id, ("", ""))[0],
                snippet_html=marked.get(hit.object_id, ("", ""))[1],
                distance_km=hit.distance_km,
            )
            for hit in hits
        ]


def _matched(rows, n: int) -> int:
    """The count of matches read (at most the cap + 1) in _matches' answer."""
    return next((row[n + 1] for row in rows if row[0] == 2), 0)
