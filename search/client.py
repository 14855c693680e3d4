"""The Elasticsearch connection (optional): configured by ELASTICSEARCH_URL, bounded timeouts.

No server runs on a laptop by default; docker-compose runs Elasticsearch 9. Index definitions
(`elasticsearch.dsl.Document`) arrive with the search issue.
"""

from __future__ import annotations

import functools

from django.conf import settings
from elasticsearch import Elasticsearch


class SearchNotConfigured(RuntimeError):
    pass


@functools.cache
def get_client() -> Elasticsearch:
    if not settings.ELASTICSEARCH_URL:
        raise SearchNotConfigured("Set ELASTICSEARCH_URL to use Elasticsearch.")
    # Bounded: a hung server must not hang a request for the client's 10 s default.
    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2, max_retries=0)


def is_available() -> bool:
    """True when a server is configured and answers; never raises."""
    try:
        return bool(get_client().ping())
    except SearchNotConfigured:
        return False
