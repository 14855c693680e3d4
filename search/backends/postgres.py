# SQL here is assembled from this module's constants and "%s" placeholders only; every value a
# person typed is a bound parameter (S608 does not see the difference).
# ruff: noqa: S608
"""The PostgreSQL backend, the embedded default: full text with the `indonesian` configuration
(unaccented, `public.indonesian_unaccent`, created by search/migrations/0001) over the
search_searchdocument table and its GIN index, synonyms expanded in the query, misspelt words
corrected with pg_trgm against the index's vocabulary, highlights by ts_headline, and all the
facet counts in one scan of the matches (GROUPING SETS)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from ..documents import IndexDocument
from ..query import FACETS, PAGE_SIZE, FacetValue, Hit, SearchRequest, SearchResults, Sort
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
# A word is corrected to the closest word of the vocabulary at least this similar (pg_trgm):
# "tempee" -> "tempe" is 0.62, "tempat" -> "tempe" 0.44.
MIN_SIMILARITY = 0.45

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
            facets, total = self._facets(cursor, where, params)
            hits = self._hits(cursor, request, where, params, tsquery, tsparams, origin)
            hits = self._highlight(cursor, doc_type, hits, tsquery, tsparams)
        return SearchResults(
            request=request,
            hits=hits,
            total=total,
            facets=facets,
            backend=self.name,
            notices=list(request.notices),
            corrected_words=tuple(corrected.values()),
        )

    def _corrections(self, cursor, words: tuple[str, ...]) -> dict[str, str]:
        """{misspelt word: the vocabulary's closest word} for words the index does not hold."""
        candidates = {w: fold(w) for w in words if len(w) >= 4 and not w.isdigit()}
        if not candidates:
            return {}
        cursor.execute(
            "SELECT word FROM search_searchterm WHERE word = ANY(%s)", [list(candidates.values())]
        )
        known = {row[0] for row in cursor.fetchall()}
        corrected = {}
        for word, folded in candidates.items():
            if folded in known:
                continue
            cursor.execute(
                "SELECT word FROM search_searchterm WHERE word %% %s "
                "AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                [folded, folded, MIN_SIMILARITY, folded],
            )
            row = cursor.fetchone()
            if row:
                corrected[word] = row[0]
        return corrected

    def _tsquery(self, words, synonyms, corrected) -> tuple[str, list]:
        """Each word OR its synonyms OR its correction; the words AND-ed. Every word is a bound
        parameter of plainto_tsquery, which reads no operators."""
        if not words:
            return "", []
        parts, params = [], []
        for word in words:
            alternatives = [word, *synonyms.get(word, [])]
            if word in corrected:
                alternatives.append(corrected[word])
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
        return " AND ".join(clauses), params

    def _facets(self, cursor, where, params) -> tuple[dict[str, list[FacetValue]], int]:
        columns = [COLUMNS[name] for name in FACETS]
        sets = ", ".join(f"({c})" for c in columns)
        cursor.execute(
            f"SELECT {', '.join(columns)}, count(*) FROM {TABLE} d WHERE {where} "
            f"GROUP BY GROUPING SETS ({sets})",
            params,
        )
        facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        total = 0
        for row in cursor.fetchall():
            count = row[-1]
            for name, value in zip(FACETS, row[:-1], strict=True):
                if value is not None:
                    facets[name].append(FacetValue(value, count))
                    if name == "kind":
                        total += count
                    break
        for name in FACETS:
            facets[name].sort(key=lambda f: (-f.count, f.code))
        return facets, total

    def _hits(self, cursor, request, where, params, tsquery, tsparams, origin) -> list[Hit]:
        score = f"ts_rank(d.search_vector, {tsquery})" if tsquery else "0"
        score_params = list(tsparams) if tsquery else []
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
        order = {
            Sort.RELEVANCE: "score DESC, d.published_at DESC, d.object_id DESC",
            Sort.RECENT: "d.published_at DESC, d.object_id DESC",
            Sort.DISTANCE: "distance ASC NULLS LAST, d.published_at DESC, d.object_id DESC",
        }[sort]
        cursor.execute(
            f"SELECT d.object_id, {score} AS score, {distance} AS distance FROM {TABLE} d "
            f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
            [*score_params, *distance_params, *params, PAGE_SIZE, request.offset],
        )
        return [
            Hit(object_id=row[0], score=float(row[1]), title_html="", snippet_html="",
                distance_km=None if row[2] is None else round(float(row[2]), 1))
            for row in cursor.fetchall()
        ]

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
                    *tsparams, f"{options}, HighlightAll=true",
                    *tsparams, f"{options}, MaxWords=35, MinWords=15, MaxFragments=2, "
                    'FragmentDelimiter=" … "',
                    doc_type, ids,
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
