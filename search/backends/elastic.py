"""The Elasticsearch backend (when ELASTICSEARCH_URL is set), through the DSL inside the
elasticsearch 9 client (`elasticsearch.dsl`): a Document class whose text fields use an
Indonesian analyzer (standard tokenizer, lower case, ASCII folding, Indonesian stop words and
stemmer) and, at search time, the synonyms of search.models.Synonym (synonym_graph); queries,
filters, highlights and aggregations.

The index is versioned behind an alias: `reindex` builds a new index and moves the alias in one
step, so searches never see a half-built index, and a changed synonym list takes effect."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.utils import timezone
from elasticsearch import NotFoundError, helpers
from elasticsearch.dsl import Date, Document, GeoPoint, Index, Keyword, Long, Q, Search, Text

from ..client import get_client
from ..documents import IndexDocument
from ..query import FACETS, PAGE_SIZE, FacetValue, Hit, SearchRequest, SearchResults, Sort
from ..spelling import PREFIX_LENGTH
from ..synonyms import elasticsearch_rules
from .base import CLOSE, OPEN, clean_text, marked_html

INDEX_ANALYZER = "jejaring_indonesian"
SEARCH_ANALYZER = "jejaring_indonesian_synonyms"
FIELDS = {
    "province": "province_code",
    "region": "region_code",
    "region_kind": "region_kind",
    "kind": "kind",
    "sector": "sector",
    "urusan": "urusan",
}
# Enough buckets for every region (552) in the region facet.
FACET_SIZE = 600
# A search waits at most this long for the server before the PostgreSQL index answers instead.
SEARCH_TIMEOUT_S = 1.5


def alias_name() -> str:
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX_PREFIX', 'jejaring')}-listings"


class ListingIndexDocument(Document):
    """One public listing in Elasticsearch (the mirror of search.models.SearchDocument)."""

    doc_type = Keyword()
    object_id = Long()
    title = Text(analyzer=INDEX_ANALYZER, search_analyzer=SEARCH_ANALYZER)
    body = Text(analyzer=INDEX_ANALYZER, search_analyzer=SEARCH_ANALYZER)
    places = Text(analyzer=INDEX_ANALYZER, search_analyzer=SEARCH_ANALYZER)
    language = Keyword()
    kind = Keyword()
    sector = Keyword()
    urusan = Keyword()
    region_code = Keyword()
    province_code = Keyword()
    region_kind = Keyword()
    area_code = Keyword()
    published_at = Date()
    valid_from = Date()
    valid_until = Date()
    location = GeoPoint()

    @classmethod
    def from_document(cls, doc: IndexDocument) -> ListingIndexDocument:
        location = (
            {"lat": doc.latitude, "lon": doc.longitude}
            if doc.latitude is not None and doc.longitude is not None
            else None
        )
        return cls(
            meta={"id": f"{doc.doc_type}-{doc.object_id}"},
            doc_type=doc.doc_type,
            object_id=doc.object_id,
            title=clean_text(doc.title),
            body=clean_text(doc.body),
            places=clean_text(doc.places),
            language=doc.language,
            kind=doc.kind,
            sector=doc.sector,
            urusan=doc.urusan,
            region_code=doc.region_code,
            province_code=doc.province_code,
            region_kind=doc.region_kind,
            area_code=doc.area_code,
            published_at=doc.published_at,
            valid_from=doc.valid_from,
            valid_until=doc.valid_until,
            location=location,
        )


def analysis(synonyms: list[str]) -> dict:
    """The analysis settings: Indonesian at index time; with the synonyms at search time
    (synonym_graph is a search-time filter, so changing synonyms needs no reindex of text...
    but a new index, as analysis settings are fixed when an index is created)."""
    filters = {
        "jejaring_indonesian_stop": {"type": "stop", "stopwords": "_indonesian_"},
        "jejaring_indonesian_stemmer": {"type": "stemmer", "language": "indonesian"},
        "jejaring_synonyms": {"type": "synonym_graph", "synonyms": synonyms, "lenient": True},
    }
    base = ["lowercase", "asciifolding"]
    tail = ["jejaring_indonesian_stop", "jejaring_indonesian_stemmer"]
    return {
        "filter": filters,
        "analyzer": {
            INDEX_ANALYZER: {"type": "custom", "tokenizer": "standard", "filter": base + tail},
            SEARCH_ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": [*base, "jejaring_synonyms", *tail],
            },
        },
    }


def build_index(name: str, synonyms: list[str] | None = None) -> Index:
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=0,
        analysis=analysis(synonyms if synonyms is not None else elasticsearch_rules()),
    )
    index.document(ListingIndexDocument)
    return index


def build_search(
    request: SearchRequest,
    *,
    origin: tuple[float, float] | None,
    today: date,
    index: str | None = None,
    using=None,
    doc_type: str = "listing",
) -> Search:
    """The whole request as one Search object (its `to_dict()` is the JSON sent)."""
    search = Search(using=using, index=index or alias_name()).extra(track_total_hits=True)
    filters = [
        Q("term", doc_type=doc_type),
        Q("range", valid_until={"gte": today.isoformat()}),
        Q(
            "bool",
            should=[
                Q("bool", must_not=[Q("exists", field="valid_from")]),
                Q("range", valid_from={"lte": today.isoformat()}),
            ],
            minimum_should_match=1,
        ),
    ]
    for name, values in request.filters.items():
        filters.append(Q("terms", **{FIELDS[name]: list(values)}))
    if request.published_after is not None:
        filters.append(Q("range", published_at={"gt": request.published_after.isoformat()}))
    if request.hidden_regions:
        # Regions that are not active leave the results at once; the outbox removes their
        # documents from the index as well (search/region_sync.py).
        filters.append(Q("bool", must_not=[Q("terms", region_code=list(request.hidden_regions))]))
    if request.words:
        text = " ".join(request.words)
        fields = ["title^3", "body", "places^0.5"]
        # Exact words with their synonyms, or (ranked lower) the words with typos forgiven,
        # analysed without the synonym graph (fuzzy queries over a graph are refused): AUTO is
        # no edit below 3 letters, one from 3, two from 6, a swap of neighbouring letters one
        # edit, the first letter as typed (search/spelling.py, the PostgreSQL backend's rule).
        must = Q(
            "bool",
            should=[
                Q("multi_match", query=text, fields=fields, operator="and", boost=2),
                Q(
                    "multi_match",
                    query=text,
                    fields=fields,
                    operator="and",
                    fuzziness="AUTO",
                    fuzzy_transpositions=True,
                    prefix_length=PREFIX_LENGTH,
                    analyzer=INDEX_ANALYZER,
                ),
            ],
            minimum_should_match=1,
        )
    else:
        must = Q("match_all")
    search = search.query(Q("bool", must=[must], filter=filters))
    for name in FACETS:
        search.aggs.bucket(name, "terms", field=FIELDS[name], size=FACET_SIZE)
    search = (
        search.highlight_options(pre_tags=[OPEN], post_tags=[CLOSE], encoder="default")
        .highlight("title", number_of_fragments=0)
        .highlight("body", fragment_size=160, number_of_fragments=2)
    )
    sort = request.sort
    if sort == Sort.DISTANCE and origin is None:
        sort = Sort.RELEVANCE
    if sort == Sort.RELEVANCE and not request.words:
        sort = Sort.RECENT
    if sort == Sort.RELEVANCE:
        search = search.sort("_score", {"published_at": {"order": "desc"}})
    elif sort == Sort.RECENT:
        search = search.sort({"published_at": {"order": "desc"}}, {"object_id": {"order": "desc"}})
    else:
        search = search.sort(
            {
                "_geo_distance": {
                    "location": {"lat": origin[0], "lon": origin[1]},
                    "order": "asc",
                    "unit": "km",
                }
            }
        )
    return search[request.offset : request.offset + PAGE_SIZE]


def parse_response(request: SearchRequest, response, *, backend: str) -> SearchResults:
    """A DSL Response into the backends' common SearchResults."""
    hits = []
    for hit in response:
        highlight = getattr(hit.meta, "highlight", None)
        title = " ".join(highlight.title) if highlight and "title" in highlight else None
        body = " … ".join(highlight.body) if highlight and "body" in highlight else None
        distance = None
        if request.sort == Sort.DISTANCE and getattr(hit.meta, "sort", None):
            distance = round(float(hit.meta.sort[0]), 1)
        hits.append(
            Hit(
                object_id=int(hit.object_id),
                score=float(hit.meta.score or 0),
                title_html=marked_html(title if title is not None else hit.title),
                snippet_html=marked_html(body if body is not None else hit.body[:240]),
                distance_km=distance,
            )
        )
    facets = {
        name: [
            FacetValue(bucket.key, bucket.doc_count)
            for bucket in getattr(response.aggregations, name).buckets
        ]
        for name in FACETS
    }
    return SearchResults(
        request=request,
        hits=hits,
        total=int(response.hits.total.value),
        facets=facets,
        backend=backend,
        notices=list(request.notices),
    )


class ElasticsearchBackend:
    name = "elasticsearch"

    def search(
        self, request: SearchRequest, *, origin: tuple[float, float] | None
    ) -> SearchResults:
        client = get_client().options(request_timeout=SEARCH_TIMEOUT_S, max_retries=0)
        search = build_search(request, origin=origin, today=timezone.localdate(), using=client)
        return parse_response(request, search.execute(), backend=self.name)

    def apply(
        self, *, upserts: Iterable[IndexDocument], deletions: Iterable[tuple[str, int]]
    ) -> None:
        actions = [
            {
                **ListingIndexDocument.from_document(doc).to_dict(include_meta=True),
                "_index": alias_name(),
            }
            for doc in upserts
        ]
        actions += [
            {"_op_type": "delete", "_index": alias_name(), "_id": f"{doc_type}-{object_id}"}
            for doc_type, object_id in deletions
        ]
        if not actions:
            return
        client = get_client()
        if not client.indices.exists_alias(name=alias_name()):
            self._create_index(client)
        # A delete of a document the index never had is not an error.
        _, errors = helpers.bulk(client, actions, raise_on_error=False, refresh=False)
        real = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if real:
            raise RuntimeError(f"Elasticsearch refused {len(real)} documents: {real[:3]}")

    def _create_index(self, client) -> str:
        name = f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"
        build_index(name).create(using=client)
        client.indices.put_alias(index=name, name=alias_name())
        return name

    def rebuild(self, documents: Iterable[IndexDocument], *, doc_type: str) -> int:
        client = get_client()
        name = f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"
        build_index(name).create(using=client)
        count = 0

        def actions():
            nonlocal count
            for doc in documents:
                count += 1
                yield {
                    **ListingIndexDocument.from_document(doc).to_dict(include_meta=True),
                    "_index": name,
                }

        helpers.bulk(client, actions(), chunk_size=1000, request_timeout=60)
        client.indices.refresh(index=name)
        try:
            old = list(client.indices.get_alias(name=alias_name()))
        except NotFoundError:
            old = []
        client.indices.update_aliases(
            actions=[{"remove": {"index": i, "alias": alias_name()}} for i in old]
            + [{"add": {"index": name, "alias": alias_name()}}]
        )
        for index in old:
            client.indices.delete(index=index, ignore_unavailable=True)
        return count
