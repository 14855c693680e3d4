"""A region's status and the indexes.

Searches hide the documents of every region that is not active at query time (search/api.py:
hidden_regions), so a suspended region, or one being deleted, leaves the results and the facet
counts the moment its status changes, whatever an index holds. Here the indexes catch up:

- a status change (suspended, being deleted, restored, reactivated) records outbox work for
  each of the region's documents, so Elasticsearch rebuilds them from their source as they are
  now (a region being deleted has no public listings: its documents are removed there; a
  restored one gets them back). The PostgreSQL index keeps them, hidden, so a restored region
  is found again at once;
- a region purged for good (`tenants.signals.region_deleting`) leaves both indexes: its rows
  of the PostgreSQL index go in the purge's transaction, and the outbox removes them from
  Elasticsearch."""

from __future__ import annotations

from django.db import transaction

from .models import IndexTask, SearchDocument


def _documents_of(region_code: str) -> list[tuple[str, int]]:
    return list(
        SearchDocument.objects.filter(region_code=region_code).values_list("doc_type", "object_id")
    )


def reindex_region(region_code: str) -> int:
    """Record outbox work for every indexed document of the region (inside the caller's
    transaction); the worker applies it after the commit."""
    documents = _documents_of(region_code)
    IndexTask.objects.bulk_create(
        IndexTask(doc_type=doc_type, object_id=object_id) for doc_type, object_id in documents
    )
    if documents:
        from .index import enqueue_apply

        transaction.on_commit(enqueue_apply)
    return len(documents)


def on_tenant_saved(sender, *, instance, created: bool, update_fields=None, **kwargs) -> None:
    if created or not instance.region_id or not update_fields or "status" not in update_fields:
        return
    reindex_region(instance.region_id)


def on_region_deleting(sender, *, region, **kwargs) -> None:
    count = reindex_region(region.code)
    if count:
        SearchDocument.objects.filter(region_code=region.code).delete()
