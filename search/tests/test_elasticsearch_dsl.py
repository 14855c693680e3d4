"""The Elasticsearch backend without a server: its mapping and analysis settings, the query
and aggregations it sends, how it reads a response, and that search falls back to PostgreSQL
within a bounded time when the server is unreachable or failing."""

from __future__ import annotations

import time
from datetime import date

import pytest
from elasticsearch.dsl import Search
from elasticsearch.dsl.response import Response

from search import api
from search.backends import elastic
from search.query import Filters, build_request


def test_the_mapping_carries_the_indonesian_analyzer_and_the_synonyms():
    body = elastic.build_index("jejaring-listings-x", ["tempe, tempeh", "wijen, sesame"]).to_dict()
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["jejaring_indonesian"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": [
            "lowercase",
            "asciifolding",
            "jejaring_indonesian_stop",
            "jejaring_indonesian_stemmer",
        ],
    }
    assert analysis["analyzer"]["jejaring_indonesian_synonyms"]["filter"] == [
        "lowercase",
        "asciifolding",
        "jejaring_synonyms",
        "jejaring_indonesian_stop",
        "jejaring_indonesian_stemmer",
    ]
    assert analysis["filter"]["jejaring_synonyms"] == {
        "type": "synonym_graph",
        "synonyms": ["tempe, tempeh", "wijen, sesame"],
        "lenient": True,
    }
    assert analysis["filter"]["jejaring_indonesian_stemmer"] == {
        "type": "stemmer",
        "language": "indonesian",
    }
    properties = body["mappings"]["properties"]
    assert properties["title"] == {
        "type": "text",
        "analyzer": "jejaring_indonesian",
        "search_analyzer": "jejaring_indonesian_synonyms",
    }
    assert properties["location"] == {"type": "geo_point"}
    for keyword in ("kind", "sector", "urusan", "region_code", "province_code", "region_kind"):
        assert properties[keyword] == {"type": "keyword"}


def test_the_query_filters_facets_highlights_and_sorts():
    request = build_request(
        text="tempe'; DROP --",
        filters=Filters(province=("35",), kind=("product", "need")),
        sort="distance",
        near="65.71",
        page=2,
    )
    body = elastic.build_search(
        request, origin=(3.3, 117.6), today=date(2026, 11, 24), index="i"
    ).to_dict()
    bool_query = body["query"]["bool"]
    should = bool_query["must"][0]["bool"]["should"]
    # Only the words travel: no query_string, nothing a parser could read as syntax.
    assert should[0]["multi_match"]["query"] == "tempe drop"
    assert should[1]["multi_match"]["fuzziness"] == "AUTO"
    assert should[1]["multi_match"]["analyzer"] == "jejaring_indonesian"
    assert "query_string" not in str(body)
    assert {"terms": {"province_code": ["35"]}} in bool_query["filter"]
    assert {"terms": {"kind": ["product", "need"]}} in bool_query["filter"]
    assert {"range": {"valid_until": {"gte": "2026-11-24"}}} in bool_query["filter"]
    assert set(body["aggs"]) == {"province", "region", "region_kind", "kind", "sector", "urusan"}
    assert body["aggs"]["region"] == {"terms": {"field": "region_code", "size": 600}}
    assert body["sort"] == [
        {"_geo_distance": {"location": {"lat": 3.3, "lon": 117.6}, "order": "asc", "unit": "km"}}
    ]
    assert (body["from"], body["size"]) == (20, 20)
    assert body["highlight"]["pre_tags"] == ["\u27e6"]


def test_an_empty_query_matches_everything_by_recency():
    body = elastic.build_search(
        build_request(text="!!!"), origin=None, today=date(2026, 1, 1), index="i"
    ).to_dict()
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["sort"][0] == {"published_at": {"order": "desc"}}


def test_a_response_becomes_results_with_safe_highlights():
    request = build_request(text="tempe")
    raw = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "max_score": 2.0,
            "hits": [
                {
                    "_index": "i",
                    "_id": "listing-1",
                    "_score": 2.0,
                    "_source": {"object_id": 1, "title": "Tempe <b>Sanan</b>", "body": "x"},
                    "highlight": {"title": ["\u27e6Tempe\u27e7 <b>Sanan</b>"]},
                }
            ],
        },
        "aggregations": {
            name: {"buckets": [{"key": "35", "doc_count": 1}]}
            for name in ("province", "region", "region_kind", "kind", "sector", "urusan")
        },
    }
    results = elastic.parse_response(request, Response(Search(), raw), backend="elasticsearch")
    assert results.total == 1
    assert results.hits[0].object_id == 1
    assert results.hits[0].title_html == "<mark>Tempe</mark> &lt;b&gt;Sanan&lt;/b&gt;"
    assert results.facets["province"][0].code == "35"


@pytest.mark.django_db
def test_search_answers_from_postgresql_while_elasticsearch_is_down(settings, monkeypatch):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    elastic_client = __import__("search.client", fromlist=["get_client"])
    elastic_client.get_client.cache_clear()
    monkeypatch.setattr(api, "_elasticsearch_down_until", 0.0)
    started = time.monotonic()
    results = api.search_listings(build_request(text="tempe"))
    assert time.monotonic() - started < elastic.SEARCH_TIMEOUT_S + 1
    assert results.backend == "postgresql"
    assert results.notices == ["fallback"]
    # The next searches do not wait for the dead server again (cool-down).
    started = time.monotonic()
    assert api.search_listings(build_request(text="tempe")).notices == ["fallback"]
    assert time.monotonic() - started < 0.5
    elastic_client.get_client.cache_clear()


@pytest.mark.django_db
def test_a_hung_server_is_given_up_on_within_the_bound(settings, monkeypatch):
    """A server that accepts the connection and never answers."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.getsockname()[1]}"
    from search.client import get_client

    get_client.cache_clear()
    monkeypatch.setattr(api, "_elasticsearch_down_until", 0.0)
    started = time.monotonic()
    results = api.search_listings(build_request(text="tempe"))
    elapsed = time.monotonic() - started
    server.close()
    get_client.cache_clear()
    assert results.backend == "postgresql" and results.notices == ["fallback"]
    assert elastic.SEARCH_TIMEOUT_S - 0.2 < elapsed < elastic.SEARCH_TIMEOUT_S + 1.5
