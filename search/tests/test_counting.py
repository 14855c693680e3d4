"""The PostgreSQL backend counts and ranks at most max_counted() matches, the most recently
published first: beyond it the total and the facets are lower bounds over those, the results
say so, and the hits are the best of them. Below it everything is exact (test_contract.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from search.backends.postgres import PostgresBackend
from search.query import Filters, build_request

from .test_contract import doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings):
    settings.JEJARING_SEARCH_MAX_COUNTED = 3
    instance = PostgresBackend()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    documents = [
        # Oldest first: 1 holds the word in its title (the best match), 5 is the newest.
        doc(1, "Tempe Sanan", "Tempe tempe tempe.", published_at=start),
        doc(2, "Kopi", "Ada tempe.", published_at=start + timedelta(days=1), kind="need"),
        doc(3, "Beras", "Ada tempe.", published_at=start + timedelta(days=2)),
        doc(4, "Garam", "Ada tempe.", published_at=start + timedelta(days=3), region_code="35.79"),
        doc(5, "Tempe Batu", "Tempe.", published_at=start + timedelta(days=4), region_code="35.79"),
    ]
    instance.rebuild(iter(documents), doc_type="listing")
    return instance


def ask(backend, text="", **kw):
    return backend.search(build_request(text=text, **kw), origin=None)


def test_beyond_the_cap_counts_are_over_the_newest_matches_and_say_so(backend):
    results = ask(backend, "tempe")
    assert results.capped and results.total == 3
    facets = {name: {v.code: v.count for v in values} for name, values in results.facets.items()}
    assert facets["region"] == {"35.79": 2, "35.73": 1}  # documents 5, 4 and 3
    assert sum(facets["kind"].values()) == 3
    # Ranked among the counted ones only: 5 (title) first, 1 is not among them.
    ids = [hit.object_id for hit in results.hits]
    assert ids[0] == 5 and sorted(ids) == [3, 4, 5]


def test_at_or_below_the_cap_everything_is_exact(backend):
    results = ask(backend, "tempe", filters=Filters(region=("35.73",)))
    assert not results.capped and results.total == 3
    assert [hit.object_id for hit in results.hits][0] == 1  # the best match wins again
    assert ask(backend, "kopi").total == 1 and not ask(backend, "kopi").capped


def test_recent_and_no_words_are_capped_the_same_way(backend):
    results = ask(backend, "", sort="recent")
    assert results.capped and [hit.object_id for hit in results.hits] == [5, 4, 3]


def test_the_page_says_more_than(settings, malang, make_listing, client_for):
    settings.JEJARING_SEARCH_MAX_COUNTED = 1
    settings.LANGUAGE_CODE = "en"
    make_listing(malang, title="Tempe Sanan")
    make_listing(malang, title="Keripik tempe")
    html = client_for(None).get("/pasar/", {"q": "tempe"}).content.decode()
    assert "More than 1 listings found" in html
