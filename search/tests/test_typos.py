"""Typo tolerance as Elasticsearch's `fuzziness: AUTO` with transpositions, on both backends:
no edit below 3 letters, one from 3, two from 6, two neighbouring letters swapped counting as
one edit, the first letter as typed. The PostgreSQL backend corrects a word against the
index's vocabulary; the Elasticsearch backend asks the server (its query is checked without
one; the contract runs against a server when ELASTICSEARCH_URL is set)."""

from __future__ import annotations

import os
from datetime import date

import pytest

from search.backends import elastic
from search.backends.postgres import PostgresBackend
from search.query import build_request
from search.spelling import max_edits, osa_distance, transpositions
from search.tests.test_contract import backends, doc

CORPUS = [
    doc(1, "Tempe Sanan", "Tempe kedelai dari sentra Sanan."),
    doc(2, "Keripik singkong", "Keripik singkong pedas dari Malang."),
    doc(3, "Kopi robusta Dampit", "Kopi robusta petik merah."),
    doc(4, "Teh hijau", "Daun teh hijau dari kebun Wonosari."),
    doc(5, "Sayuran organik", "Sayuran segar dari Batu."),
]


@pytest.fixture(params=list(backends()))
def corpus_backend(request, settings):
    if request.param == "elasticsearch":
        from search.backends.elastic import ElasticsearchBackend, alias_name
        from search.client import get_client

        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-typos-{os.getpid()}"
        instance = ElasticsearchBackend()
        instance.rebuild(iter(CORPUS), doc_type="listing")
        yield instance
        get_client().indices.delete(index=f"{alias_name()}-*", ignore_unavailable=True)
        return
    instance = request.param()
    instance.rebuild(iter(CORPUS), doc_type="listing")
    yield instance


def found(search_backend, text: str) -> set[int]:
    results = search_backend.search(build_request(text=text), origin=None)
    return {hit.object_id for hit in results.hits}


# --- The rule, without a database -----------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "edits"),
    [("a", 0), ("ko", 0), ("teh", 1), ("kopi", 1), ("tempe", 1), ("tempee", 2), ("keripik", 2)],
)
def test_fuzziness_auto_gives_the_edits_by_length(word, edits):
    assert max_edits(word) == edits


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("tmepe", "tempe", 1),  # two neighbouring letters swapped: one edit
        ("keripk", "keripik", 1),
        ("tempe", "tempe", 0),
        ("kopu", "kopi", 1),
        ("tmpee", "tempe", 2),
        ("syaurna", "sayuran", 2),  # two swaps
        ("syaurnaa", "sayuran", 3),
        ("ca", "abc", 3),  # optimal string alignment: no letter edited twice
    ],
)
def test_the_distance_counts_a_swap_as_one_edit(a, b, distance):
    assert osa_distance(a, b) == distance == osa_distance(b, a)


def test_swaps_keep_the_first_letter():
    assert transpositions("tmepe") == ["tempe", "tmpee", "tmeep"]
    assert transpositions("aab") == ["aba"]


# --- Both backends ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tmepe", {1}),  # swapped letters (the example)
        ("keripk", {2}),  # a letter left out of a 7-letter word
        ("kopu", {3}),  # 4 letters, one edit
        ("kpoi", {3}),  # 4 letters, a swap
        ("the", {4}),  # 3 letters, a swap ("teh")
        ("snetar", {1, 5}),  # 6 letters, two swaps ("sentra"; "segar" is two edits away too)
        ("sentxx", {1}),  # 6 letters, two letters replaced
        ("signknog", {2}),  # 8 letters, two swaps ("singkong")
        ("tmpee", set()),  # 5 letters, two edits: too far
        ("sxntxx", set()),  # 6 letters, three edits: too far
        ("signknogg", set()),  # 9 letters, three edits: too far
        ("th", set()),  # 2 letters: taken as typed
        ("rempe", set()),  # the first letter is taken as typed
        ("tmepe keripk", set()),  # every word must match (no listing has both)
        ("tmepe kedelai", {1}),
    ],
)
def test_typos_within_fuzziness_auto_are_forgiven(corpus_backend, text, expected):
    assert found(corpus_backend, text) == expected


@pytest.mark.django_db
def test_the_postgresql_backend_says_what_it_also_searched_for():
    postgres = PostgresBackend()
    postgres.rebuild(iter(CORPUS), doc_type="listing")
    results = postgres.search(build_request(text="tmepe kopi"), origin=None)
    assert results.corrected_words == ("tempe",)  # "kopi" is a known word: not corrected
    assert found(postgres, "tempe") == {1}


@pytest.mark.django_db
def test_a_word_published_later_is_a_correction_at_once():
    postgres = PostgresBackend()
    postgres.rebuild(iter(CORPUS), doc_type="listing")
    assert found(postgres, "rendnag") == set()
    postgres.apply(upserts=[doc(6, "Rendang daging", "Rendang khas Padang.")], deletions=[])
    assert found(postgres, "rendnag") == {6}


# --- The Elasticsearch query, without a server ---------------------------------------------------


def test_the_elasticsearch_query_asks_for_fuzziness_auto_with_transpositions():
    body = elastic.build_search(
        build_request(text="tmepe"), origin=None, today=date(2026, 12, 7), index="i"
    ).to_dict()
    should = body["query"]["bool"]["must"][0]["bool"]["should"]
    fuzzy = [q["multi_match"] for q in should if "fuzziness" in q["multi_match"]]
    assert len(fuzzy) == 1
    assert fuzzy[0]["query"] == "tmepe"
    assert fuzzy[0]["fuzziness"] == "AUTO"
    assert fuzzy[0]["fuzzy_transpositions"] is True
    assert fuzzy[0]["prefix_length"] == 1  # the first letter as typed, as on PostgreSQL
