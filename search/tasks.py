"""Background work of the search indexes (the worker runs it; the scheduler retries it)."""

from __future__ import annotations

from django_tasks import task

from . import index


@task()
def apply_outbox_task() -> dict:
    return index.apply_outbox()


@task()
def rebuild_for_synonyms_task() -> dict:
    """Rebuild Elasticsearch's index, so its analyzer carries the synonyms as they are now
    (the PostgreSQL index needs nothing: it reads them at every search)."""
    from . import api

    if not api.elasticsearch_enabled():
        return {}
    return index.reindex(backends=[api.primary_backend()])
