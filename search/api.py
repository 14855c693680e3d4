"""Search, as the features and views call it: one interface, whichever backend answers.

With ELASTICSEARCH_URL set, Elasticsearch answers; while it is unreachable, slow (over
backends.elastic.SEARCH_TIMEOUT_S) or failing, the PostgreSQL index answers instead and the
results say so (Notice.FALLBACK). After a failure Elasticsearch is left alone for
`COOL_DOWN_S`, so a dead server costs one bounded wait, not one per search."""

from __future__ import annotations

import dataclasses
import logging
import time

from django.conf import settings

from tenants.models import Tenant

from .backends.postgres import PostgresBackend
from .models import RegionLocation
from .query import Filters, Notice, SearchRequest, SearchResults, Sort, build_request

logger = logging.getLogger(__name__)
COOL_DOWN_S = 30.0
_elasticsearch_down_until = 0.0


def elasticsearch_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def postgres_backend() -> PostgresBackend:
    return PostgresBackend()


def primary_backend():
    if elasticsearch_enabled():
        from .backends.elastic import ElasticsearchBackend

        return ElasticsearchBackend()
    return PostgresBackend()


def region_origin(code: str) -> tuple[float, float] | None:
    if not code:
        return None
    location = RegionLocation.objects.filter(region_id=code).first()
    return (location.latitude, location.longitude) if location else None


def hidden_regions() -> tuple[str, ...]:
    """The regions whose listings no search shows, on either backend: those the public may not
    see (the one rule, Tenant.objects.hidden_from_public: suspended, or being deleted). Read at
    every search (one indexed query over the tenants, a few rows), so a region leaves the
    results and the facet counts when its status changes, whatever either index still holds."""
    return tuple(
        Tenant.objects.hidden_from_public()
        .order_by("region_id")
        .values_list("region_id", flat=True)
    )


def search_listings(request: SearchRequest) -> SearchResults:
    """Public listings matching `request`, with all facet counts. Never raises for any input a
    person can type (search/query.py cleans it first)."""
    global _elasticsearch_down_until
    request = dataclasses.replace(request, hidden_regions=hidden_regions())
    origin = region_origin(request.near) if request.sort == Sort.DISTANCE else None
    extra = []
    if request.sort == Sort.DISTANCE and origin is None:
        extra.append(Notice.NEAR_UNKNOWN)
    backend = primary_backend()
    if backend.name == "elasticsearch":
        if time.monotonic() < _elasticsearch_down_until:
            backend = postgres_backend()
            extra.append(Notice.FALLBACK)
        else:
            try:
                results = backend.search(request, origin=origin)
            except Exception:  # any failure of the server: answer from PostgreSQL
                logger.warning("Elasticsearch failed; answering from PostgreSQL", exc_info=True)
                _elasticsearch_down_until = time.monotonic() + COOL_DOWN_S
                backend = postgres_backend()
                extra.append(Notice.FALLBACK)
            else:
                results.notices.extend(extra)
                return results
    results = backend.search(request, origin=origin)
    results.notices.extend(extra)
    return results


__all__ = ["Filters", "SearchRequest", "SearchResults", "Sort", "build_request", "search_listings"]
