"""The PostgreSQL backend bounds what a search reads (issue 19): a recency window intersected
with the text's bitmap, the facets' newest-first indexes, JIT off. Every answer must be the one
the unbounded query gives (the planner's own plan over every match, no window): the same hits in
the same order on the first pages, the same total, "capped" and facet counts. Checked on a
generated sample (bench/search.py's listings over every region) with a small counting cap, so the
windows come into play, for words of each frequency, typos, filters without words and the
distance sort."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.search import generate
from search.backends import postgres
from search.backends.postgres import Plan, PostgresBackend
from search.models import RegionLocation
from search.query import Filters, build_request
from tenants.models import Region

pytestmark = pytest.mark.django_db

DOC_TYPE = "listing"
CAP = 60
NEAR = "35.73"

QUERIES = [
    # rare (a region's name: fewer matches than the cap)
    ("mempawah", {}, {}),
    ("kota tegal", {}, {}),
    # middling (a theme: one listing in 18, several times the cap)
    ("wijen", {}, {}),
    ("kopi robusta", {}, {}),
    ("garam", {}, {}),
    # common
    ("daerah", {}, {}),
    ("tempe", {}, {}),
    ("kerja sama", {}, {}),
    # typos, corrected against the vocabulary
    ("keripk", {}, {}),
    ("wjien", {}, {}),
    # filters without words, one and several values
    ("", {}, {}),
    ("", {"province": ("35",)}, {}),
    ("", {"province": ("35", "61")}, {}),
    ("", {"region": ("35.73",)}, {}),
    ("", {"sector": ("A",)}, {}),
    ("", {"kind": ("potential",)}, {}),
    ("", {"urusan": ("3.27",)}, {}),
    ("", {"region_kind": ("provinsi",)}, {}),
    # words and filters
    ("batik", {"province": ("35",)}, {}),
    ("wisata", {"kind": ("potential",)}, {}),
    ("garam", {"sector": ("B",)}, {}),  # every garam listing is of sector B
    ("rumput laut", {"region_kind": ("kabupaten",)}, {}),
    # the distance sort
    ("", {}, {"sort": "distance", "near": NEAR}),
    ("wijen", {}, {"sort": "distance", "near": NEAR}),
    ("", {"province": ("35",)}, {"sort": "distance", "near": NEAR}),
    # recency with words
    ("garam", {}, {"sort": "recent"}),
]


@pytest.fixture
def sample(settings):
    settings.JEJARING_SEARCH_MAX_COUNTED = CAP
    points = {loc.region_id: (loc.latitude, loc.longitude) for loc in RegionLocation.objects.all()}
    regions = [
        (r.code, r.full_name, r.kind, points.get(r.code))
        for r in Region.objects.autonomous().order_by("code")
    ]
    generate(regions, 6000, doc_type=DOC_TYPE)
    with connection.cursor() as cursor:
        # The statistics the windows are chosen from (ANALYZE sees this transaction's rows).
        cursor.execute("ANALYZE search_searchdocument")
    return points.get(NEAR)


def answer(results):
    return {
        "hits": [(h.object_id, round(h.score, 6), h.distance_km) for h in results.hits],
        "total": results.total,
        "capped": results.capped,
        "facets": {k: [(v.code, v.count) for v in values] for k, values in results.facets.items()},
        "corrected": results.corrected_words,
    }


def unbounded(monkeypatch):
    """The query as it reads every match: the planner's own plan, no window."""
    monkeypatch.setattr(PostgresBackend, "_plan", lambda self, *args, **kwargs: Plan("", 1, []))


def search(text, filters, options, origin, page=1):
    request = build_request(text=text, filters=Filters(**filters), page=page, **options)
    near = origin if options.get("sort") == "distance" else None
    return answer(PostgresBackend().search(request, origin=near))


@pytest.fixture
def windows(monkeypatch):
    """Records the windows each search tried (None: the query without one)."""
    tried: list = []
    original = Plan.windows

    def recording(self, cap):
        for since in original(self, cap):
            tried.append(since)
            yield since

    monkeypatch.setattr(Plan, "windows", recording)
    return tried


def test_bounded_answers_are_the_unbounded_ones(sample, windows, monkeypatch):
    bounded = {}
    for text, filters, options in QUERIES:
        for page in (1, 2):
            bounded[text, str(filters), str(options), page] = search(
                text, filters, options, sample, page
            )
    # The windows were used (the sample is large enough for them), and none of the answers
    # needed a retry beyond the second window.
    assert any(since is not None for since in windows)
    unbounded(monkeypatch)
    for text, filters, options in QUERIES:
        for page in (1, 2):
            expected = search(text, filters, options, sample, page)
            assert bounded[text, str(filters), str(options), page] == expected, (text, filters)
    # Words of each frequency: rare below the cap (exact counts), the others above it.
    assert not bounded["mempawah", "{}", "{}", 1]["capped"]
    assert bounded["wijen", "{}", "{}", 1]["capped"] and bounded["daerah", "{}", "{}", 1]["capped"]


def test_a_window_with_too_few_matches_is_widened(sample, windows, monkeypatch):
    """The estimate may be wrong (matches older than the documents on average): a window that
    holds too few matches is never taken as the answer."""
    monkeypatch.setattr(postgres, "WINDOW_MARGIN", 0.05)  # far too narrow a first window
    monkeypatch.setattr(postgres, "ENTRIES_PER_ROW", 1000)
    bounded = search("wijen", {}, {}, sample)
    assert len(windows) >= 2 and windows[0] is not None
    unbounded(monkeypatch)
    assert bounded == search("wijen", {}, {}, sample)


def test_rare_words_count_exactly(sample):
    """Below the cap the total and every facet count are those of all the matches."""
    results = search("mempawah", {}, {}, sample)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, count(*) FROM search_searchdocument WHERE doc_type = %s "
            "AND search_vector @@ plainto_tsquery('public.indonesian_unaccent', 'mempawah') "
            "GROUP BY kind",
            [DOC_TYPE],
        )
        kinds = dict(cursor.fetchall())
    assert results["total"] == sum(kinds.values()) > 0 and not results["capped"]
    assert dict(results["facets"]["kind"]) == kinds


@pytest.mark.parametrize(
    ("column", "index"),
    [
        ("province_code", "search_doc_province_newest"),
        ("region_kind", "search_doc_rkind_newest"),
        ("kind", "search_doc_kind_newest"),
        ("sector", "search_doc_sector_newest"),
        ("urusan", "search_doc_urusan_newest"),
        ("region_code", "search_doc_region_newest"),
    ],
)
def test_each_filter_has_a_newest_first_index(column, index):
    """ "The newest in province X" is an index scan in the counting order: no sort, no table
    scan, whatever the planner would prefer on a table this small."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            f"EXPLAIN SELECT object_id FROM search_searchdocument WHERE doc_type = 'listing' "  # noqa: S608
            f"AND {column} = 'x' ORDER BY published_at DESC, object_id DESC LIMIT 10"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan and "Sort" not in plan, plan
