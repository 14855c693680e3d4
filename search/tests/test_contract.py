"""One contract for every search backend: the same documents, the same questions, the same
answers. PostgreSQL always runs; Elasticsearch runs when ELASTICSEARCH_URL points at a server
(`make test` has none; docker compose runs one)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone as dj_timezone

from search.backends.postgres import PostgresBackend
from search.documents import IndexDocument
from search.models import Synonym
from search.query import Filters, build_request

pytestmark = pytest.mark.django_db

MALANG = (-7.98, 112.63)


def doc(object_id: int, title: str, body: str = "", **kw) -> IndexDocument:
    today = dj_timezone.localdate()
    values = {
        "doc_type": "listing",
        "object_id": object_id,
        "title": title,
        "body": body or title,
        "places": "Kota Malang Jawa Timur",
        "language": "id",
        "kind": "product",
        "sector": "C",
        "urusan": "3.31",
        "region_code": "35.73",
        "province_code": "35",
        "region_kind": "kota",
        "area_code": "",
        "published_at": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=object_id),
        "valid_from": None,
        "valid_until": today + timedelta(days=30),
        "latitude": MALANG[0],
        "longitude": MALANG[1],
    }
    values.update(kw)
    return IndexDocument(**values)


CORPUS = [
    doc(1, "Tempe Sanan", "Tempe kedelai dari sentra Sanan, Purwantoro, Blimbing."),
    doc(
        2,
        "Kebutuhan tempe untuk Tarakan",
        "Kami membutuhkan pasokan tempe.",
        kind="need",
        region_code="65.71",
        province_code="65",
        places="Kota Tarakan Kalimantan Utara",
        latitude=3.30,
        longitude=117.63,
        sector="G",
        urusan="3.30",
    ),
    doc(
        3,
        "Biji wijen Sidoarjo",
        "Biji wijen melimpah dari petani Sidoarjo.",
        region_code="35.15",
        region_kind="kabupaten",
        places="Kabupaten Sidoarjo Jawa Timur",
        sector="A",
        urusan="3.27",
        latitude=-7.45,
        longitude=112.72,
    ),
    doc(
        4,
        "Wisata Kota Batu",
        "Paket wisata petik apel dan agrowisata.",
        kind="potential",
        region_code="35.79",
        places="Kota Batu Jawa Timur",
        sector="I",
        urusan="3.26",
        latitude=-7.87,
        longitude=112.52,
    ),
    doc(
        5,
        "Pelayanan kesehatan keliling",
        "Inovasi layanan puskesmas keliling.",
        kind="practice",
        sector="Q",
        urusan="1.02",
    ),
    # Not visible: its validity ended yesterday / starts tomorrow.
    doc(6, "Tempe kedaluwarsa", valid_until=date.today() - timedelta(days=1)),
    doc(7, "Tempe masa depan", valid_from=date.today() + timedelta(days=1)),
]


def backends():
    yield pytest.param(PostgresBackend, id="postgresql")
    yield pytest.param(
        "elasticsearch",
        id="elasticsearch",
        marks=[
            pytest.mark.elasticsearch,
            pytest.mark.skipif(
                not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL"
            ),
        ],
    )


@pytest.fixture(params=list(backends()))
def backend(request, settings):
    if request.param == "elasticsearch":
        from search.backends.elastic import ElasticsearchBackend

        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{os.getpid()}"
        instance = ElasticsearchBackend()
        instance.rebuild(iter(CORPUS), doc_type="listing")
        yield instance
        from search.backends.elastic import alias_name
        from search.client import get_client

        get_client().indices.delete(index=f"{alias_name()}-*", ignore_unavailable=True)
        return
    instance = request.param()
    instance.rebuild(iter(CORPUS), doc_type="listing")
    yield instance


def ask(backend, text="", origin=None, **kw):
    return backend.search(build_request(text=text, **kw), origin=origin)


def ids(results) -> list[int]:
    return [hit.object_id for hit in results.hits]


def test_indonesian_stemming_finds_inflected_words(backend):
    # "layanan kesehatan" ~ "Pelayanan kesehatan" (layan, sehat)
    assert ids(ask(backend, "layanan sehat")) == [5]


def test_synonyms_from_the_table_find_the_other_word(backend):
    assert Synonym.objects.filter(words__contains="tempeh").exists()
    assert set(ids(ask(backend, "tempeh"))) == {1, 2}
    assert set(ids(ask(backend, "sesame"))) == {3}


def test_a_typo_is_forgiven(backend):
    assert set(ids(ask(backend, "tempee"))) == {1, 2}


def test_matches_are_highlighted_and_escaped(backend):
    hit = ask(backend, "wijen").hits[0]
    assert "<mark>wijen</mark>" in hit.title_html.lower()
    assert "<mark>" in hit.snippet_html


def test_expired_and_not_yet_valid_documents_never_appear(backend):
    found = ids(ask(backend, "tempe")) + ids(ask(backend, ""))
    assert 6 not in found and 7 not in found


def test_facets_count_every_facet_and_filters_combine(backend):
    results = ask(backend, "")
    assert results.total == 5
    facets = {name: {v.code: v.count for v in values} for name, values in results.facets.items()}
    assert facets == {
        "province": {"35": 4, "65": 1},
        "region": {"35.73": 2, "65.71": 1, "35.15": 1, "35.79": 1},
        "region_kind": {"kota": 4, "kabupaten": 1},
        "kind": {"product": 2, "need": 1, "potential": 1, "practice": 1},
        "sector": {"C": 1, "G": 1, "A": 1, "I": 1, "Q": 1},
        "urusan": {"3.31": 1, "3.30": 1, "3.27": 1, "3.26": 1, "1.02": 1},
    }
    both = ask(backend, "tempe", filters=Filters(province=("35",), kind=("product", "need")))
    assert ids(both) == [1]
    assert {v.code: v.count for v in both.facets["kind"]} == {"product": 1}


def test_sort_by_recency_and_by_distance(backend):
    assert ids(ask(backend, "", sort="recent")) == [5, 4, 3, 2, 1]
    near_tarakan = ask(backend, "tempe", origin=(3.30, 117.63), sort="distance", near="65.71")
    assert ids(near_tarakan) == [2, 1]
    assert near_tarakan.hits[0].distance_km == 0.0
    assert 1350 < near_tarakan.hits[1].distance_km < 1400  # Tarakan to Malang: ~1,370 km


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "!!!???...",
        "'; DROP TABLE search_searchdocument; --",
        "tempe' OR '1'='1",
        'title:tempe AND body:(wijen OR "x") ~2 ^3 \\ /regex/ *',
        "tempe & | ! ( ) : * <-> <2>",
        "x" * 10_000,
        "tempe " * 500,
        "\x00\x01tempe\u200b",
        "𝓽𝓮𝓶𝓹𝓮 🫘",
    ],
    ids=[
        "empty",
        "spaces",
        "punctuation",
        "sql",
        "sql-or",
        "lucene",
        "tsquery",
        "long",
        "many-words",
        "control",
        "unicode",
    ],
)
def test_pathological_queries_get_an_answer(backend, text):
    results = ask(backend, text)
    assert results.total >= 0 and isinstance(results.hits, list)
    assert len(results.request.text) <= 200
    assert len(results.request.words) <= 8


def test_pathological_queries_say_what_happened(backend):
    assert ask(backend, "!!!").notices == ["no_words"]
    assert ask(backend, "!!!").total == 5  # punctuation only: everything, and it says so
    assert "truncated" in ask(backend, "x" * 500).notices
    assert "too_many_words" in ask(backend, " ".join(f"w{i}" for i in range(20))).notices
    # The injection attempt searched for its words and found nothing, the table is intact.
    assert ask(backend, "'; DROP TABLE search_searchdocument; --").total == 0
    assert ask(backend, "").total == 5
