"""Search benchmark: BENCH_LISTINGS (100,000 unless set) published listings across every
province, kabupaten and kota, generated in the database as search documents of their own type
(so they never mix with real listings, and removed afterwards), then searches of every kind with
all six facet counts on the PostgreSQL backend, one client, warm cache. Prints per-kind p95 and
one JSON object on its last line.

The listings are marketplace/samples.py's (its themes, adjectives and sentences), written by one
INSERT ... SELECT over generate_series: each document's text vector is put together from the
vectors of its parts (theme, adjective, place, sentences), which is the vector of its whole text
(tsvector concatenation shifts the positions of the right part past the left's), so a million
rows load in minutes where the indexer's one-by-one path would take an hour.

Kinds of query (their frequencies hold at any size: the themes are drawn uniformly):
  rare      a region's name: about one listing in 550 (fewer matches than the counting cap
            at 100,000 and at 1,000,000)
  middling  a theme's word: one listing in 18 (55,000 matches at 1M)
  common    words in half to nearly all listings ("daerah", "produk", "tempe")
  typo      misspelt middling words, corrected against the vocabulary
  filter    no words, one facet filter each (province, region, kind, sector, urusan, region kind)
  word_filter  a word and a filter together
  distance  sorted by distance from a region, with and without words

BENCH_KEEP=1 keeps the generated listings at the end and reuses them on the next run when their
count is BENCH_LISTINGS (iterating at a million without generating it each time).
BENCH_ROUNDS (10) is how often each query is timed.

`python bench/run.py search` runs on the configured database (DATABASE_URL), so the test
cluster and a database of one's own do as well as the project's."""

from __future__ import annotations

import json
import os
import statistics
import time
from datetime import timedelta

LISTINGS = int(os.environ.get("BENCH_LISTINGS", 100_000))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 10))
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
DOC_TYPE = "bench"
NEAR = "35.73"  # Kota Malang
QUERIES: dict[str, list[tuple[str, dict, dict]]] = {
    "rare": [
        ("mempawah", {}, {}),
        ("sanggau", {}, {}),
        ("tolikara", {}, {}),
        ("kota tegal", {}, {}),
    ],
    "middling": [
        ("wijen", {}, {}),
        ("kopi robusta", {}, {}),
        ("garam", {}, {}),
        ("puskesmas keliling", {}, {}),
        ("lahan industri", {}, {}),
    ],
    "common": [
        ("daerah", {}, {}),
        ("kerja sama", {}, {}),
        ("produk", {}, {}),
        ("tempe", {}, {}),
        ("tempeh", {}, {}),  # a synonym of tempe
    ],
    "typo": [
        ("keripk", {}, {}),
        ("wjien", {}, {}),
        ("robsuta", {}, {}),
        ("sampha", {}, {}),
    ],
    "filter": [
        ("", {}, {}),
        ("", {"province": ("61",)}, {}),
        ("", {"region": ("35.73",)}, {}),
        ("", {"kind": ("potential",)}, {}),
        ("", {"sector": ("B",)}, {}),
        ("", {"urusan": ("1.02",)}, {}),
        ("", {"region_kind": ("provinsi",)}, {}),
        ("", {"province": ("35", "36")}, {}),
    ],
    "word_filter": [
        ("batik", {"province": ("35",)}, {}),
        ("wisata", {"kind": ("potential",)}, {}),
        ("rumput laut", {"region_kind": ("kabupaten",)}, {}),
        ("garam", {"sector": ("B",)}, {}),
        ("daerah", {"region": ("35.73",)}, {}),
    ],
    "distance": [
        ("", {}, {"sort": "distance", "near": NEAR}),
        ("wijen", {}, {"sort": "distance", "near": NEAR}),
        ("daerah", {}, {"sort": "distance", "near": NEAR}),
        ("", {"province": ("35",)}, {"sort": "distance", "near": NEAR}),
    ],
}

_PARTS_SQL = """
CREATE TEMP TABLE bench_theme ON COMMIT DROP AS
    SELECT i::int, theme, sector, urusan, kind, to_tsvector(%(cfg)s, theme) AS tv
    FROM unnest(%(themes)s::text[], %(sectors)s::text[], %(urusan)s::text[], %(kinds)s::text[])
        WITH ORDINALITY AS t(theme, sector, urusan, kind, i);
CREATE TEMP TABLE bench_adj ON COMMIT DROP AS
    SELECT i::int, adj, to_tsvector(%(cfg)s, adj) AS tv
    FROM unnest(%(adjectives)s::text[]) WITH ORDINALITY AS t(adj, i);
CREATE TEMP TABLE bench_sentence ON COMMIT DROP AS
    SELECT i::int, s, to_tsvector(%(cfg)s, s) AS tv
    FROM unnest(%(sentences)s::text[]) WITH ORDINALITY AS t(s, i);
CREATE TEMP TABLE bench_perm ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY a.i, b.i, c.i))::int AS i, a.i AS a, b.i AS b, c.i AS c
    FROM bench_sentence a, bench_sentence b, bench_sentence c
    WHERE a.i <> b.i AND b.i <> c.i AND a.i <> c.i;
CREATE TEMP TABLE bench_place ON COMMIT DROP AS
    SELECT (i - 1)::int AS i, code, name, kind, lat, lon, to_tsvector(%(cfg)s, name) AS tv
    FROM unnest(%(codes)s::text[], %(names)s::text[], %(rkinds)s::text[],
        %(lats)s::float8[], %(lons)s::float8[]) WITH ORDINALITY AS t(code, name, kind, lat, lon, i);
"""
_INSERT_SQL = """
INSERT INTO search_searchdocument (doc_type, object_id, title, body, places, language, kind,
    sector, urusan, region_code, province_code, region_kind, area_code, published_at,
    valid_from, valid_until, latitude, longitude, search_vector)
SELECT %(doc_type)s, r.id, t.theme || ' ' || a.adj || ' ' || p.name,
    s1.s || ' ' || s2.s || ' ' || s3.s || ' ' || t.theme || ' dari ' || p.name || '.',
    p.name, 'id', t.kind, t.sector, t.urusan, p.code, split_part(p.code, '.', 1), p.kind, '',
    %(start)s::timestamptz + make_interval(mins => r.m), NULL, %(today)s::date + r.v,
    p.lat, p.lon,
    setweight(t.tv || a.tv || p.tv, 'A')
    || setweight(s1.tv || s2.tv || s3.tv || t.tv || to_tsvector(%(cfg)s, 'dari') || p.tv, 'B')
    || setweight(p.tv, 'C')
FROM (
    SELECT id, 1 + floor(random() * %(n_themes)s)::int AS ti,
        1 + floor(random() * %(n_adjectives)s)::int AS ai,
        1 + floor(random() * 120)::int AS pi, floor(random() * 525600)::int AS m,
        1 + floor(random() * 364)::int AS v
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS id
) r
JOIN bench_theme t ON t.i = r.ti
JOIN bench_adj a ON a.i = r.ai
JOIN bench_perm pm ON pm.i = r.pi
JOIN bench_sentence s1 ON s1.i = pm.a
JOIN bench_sentence s2 ON s2.i = pm.b
JOIN bench_sentence s3 ON s3.i = pm.c
JOIN bench_place p ON p.i = r.id %% %(n_places)s
"""


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def generate(regions, count: int, *, doc_type: str = DOC_TYPE, batch: int = 100_000) -> None:
    """`count` listings of `doc_type` over `regions` ((code, name, kind, (lat, lon) or None)),
    deterministic (setseed), in batches of `batch` rows, with their words in the vocabulary."""
    from django.db import connection, transaction
    from django.utils import timezone

    from marketplace.samples import ADJECTIVES, SENTENCES, THEMES
    from search.backends.postgres import _WORDS_SQL, CONFIG

    parts = {
        "cfg": CONFIG,
        "themes": [t[0] for t in THEMES],
        "sectors": [t[1] for t in THEMES],
        "urusan": [t[2] for t in THEMES],
        "kinds": [str(t[3]) for t in THEMES],
        "adjectives": ADJECTIVES,
        "sentences": SENTENCES,
        "codes": [r[0] for r in regions],
        "names": [r[1] for r in regions],
        "rkinds": [r[2] for r in regions],
        "lats": [r[3][0] if r[3] else None for r in regions],
        "lons": [r[3][1] if r[3] else None for r in regions],
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
        for statement in filter(str.strip, _PARTS_SQL.split(";")):
            cursor.execute(statement, parts)
        for first in range(1, count + 1, batch):
            cursor.execute(
                _INSERT_SQL,
                {
                    "cfg": CONFIG,
                    "doc_type": doc_type,
                    "start": timezone.now() - timedelta(days=365),
                    "today": timezone.localdate(),
                    "n_themes": len(THEMES),
                    "n_adjectives": len(ADJECTIVES),
                    "n_places": len(regions),
                    "first": first,
                    "last": min(count, first + batch - 1),
                },
            )
            print(f"  generated {min(count, first + batch - 1):,} listings", flush=True)
        words = [t[0] for t in THEMES] + ADJECTIVES + SENTENCES + [r[1] for r in regions]
        cursor.executemany(_WORDS_SQL, [[" ".join(words)]])


def _delete() -> None:
    """One statement (the ORM's delete goes by batches of primary keys)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchdocument WHERE doc_type = %s", [DOC_TYPE])


def main() -> None:
    from django.db import connection

    from search.backends.postgres import PostgresBackend, max_counted
    from search.models import RegionLocation, SearchDocument
    from search.query import Filters, build_request
    from tenants.models import Region

    points = {loc.region_id: (loc.latitude, loc.longitude) for loc in RegionLocation.objects.all()}
    regions = [
        (r.code, r.full_name, r.kind, points.get(r.code))
        for r in Region.objects.autonomous().order_by("code")
    ]
    origin = points.get(NEAR)
    backend = PostgresBackend()
    existing = SearchDocument.objects.filter(doc_type=DOC_TYPE).count()
    try:
        started = time.monotonic()
        if existing != LISTINGS:
            _delete()
            generate(regions, LISTINGS)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
            cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
            table_mb = cursor.fetchone()[0] / 2**20
        load_s = time.monotonic() - started

        def timed(text: str, filters: dict, options: dict) -> tuple[float, int | str]:
            request = build_request(text=text, filters=Filters(**filters), **options)
            near = origin if request.sort == "distance" else None
            t0 = time.perf_counter()
            results = backend.search(request, origin=near, doc_type=DOC_TYPE)
            ms = (time.perf_counter() - t0) * 1000
            return ms, f"{results.total}+" if results.capped else results.total

        for queries in QUERIES.values():  # warm up
            for text, filters, options in queries:
                timed(text, filters, options)
        load_before = _loadavg()
        samples: dict[str, list[float]] = {kind: [] for kind in QUERIES}
        matches: dict[str, int | str] = {}
        for _ in range(ROUNDS):
            for kind, queries in QUERIES.items():
                for text, filters, options in queries:
                    ms, total = timed(text, filters, options)
                    samples[kind].append(ms)
                    label = " ".join(
                        [text or "-", *(f"{k}={'|'.join(v)}" for k, v in filters.items())]
                    )
                    matches[label + (" (distance)" if options else "")] = total
        everything = [ms for values in samples.values() for ms in values]
        print(json.dumps({"load_s": round(load_s, 1), "matches": matches}), flush=True)
        print(
            json.dumps(
                {
                    "listings": SearchDocument.objects.filter(doc_type=DOC_TYPE).count(),
                    "regions": len(regions),
                    "table_mb": round(table_mb),
                    "searches": len(everything),
                    "p50_ms": round(statistics.median(everything), 1),
                    "p95_ms": round(_p(everything, 0.95), 1),
                    "p95_ms_by_kind": {k: round(_p(v, 0.95), 1) for k, v in samples.items()},
                    "max_ms_by_kind": {k: round(max(v), 1) for k, v in samples.items()},
                    "facets": 6,
                    "max_counted": max_counted(),
                    "loadavg_before": load_before,
                    "loadavg_after": _loadavg(),
                }
            )
        )
    finally:
        if not KEEP:
            _delete()
            with connection.cursor() as cursor:
                backend.rebuild_vocabulary(cursor)
