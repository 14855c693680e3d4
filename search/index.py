"""Keeping the indexes in step with the data.

`record_change` is called by an action, inside its transaction, for every write to an indexed
object. It updates the PostgreSQL index at once (same transaction: what is unpublished is out
of search when the write commits, and nothing is indexed if it rolls back) and records the same
work in the outbox (search.models.IndexTask). The worker applies the outbox to Elasticsearch
(`apply_outbox`), retrying with a growing delay while the server is down: the server never
misses an update, it only receives it late. `reindex` rebuilds everything from the sources."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import api
from .backends.postgres import PostgresBackend
from .documents import IndexDocument, source
from .models import IndexTask

logger = logging.getLogger(__name__)
BATCH = 500
MAX_DELAY = timedelta(hours=1)
KEEP_DONE = timedelta(days=7)


def record_change(*, doc_type: str, object_id: int) -> None:
    """Call inside the writing transaction, after the write."""
    doc = source(doc_type).build([object_id]).get(object_id)
    PostgresBackend().apply(
        upserts=[doc] if doc else [], deletions=[] if doc else [(doc_type, object_id)]
    )
    IndexTask.objects.create(doc_type=doc_type, object_id=object_id)
    transaction.on_commit(enqueue_apply)


def enqueue_apply() -> None:
    from .tasks import apply_outbox_task

    apply_outbox_task.enqueue()


def retry_delay(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s... up to an hour between tries."""
    return min(timedelta(seconds=10 * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def apply_outbox(*, now=None, backend=None, limit: int = BATCH) -> dict:
    """Apply the due outbox rows to the search server (idempotent: a document is rebuilt from
    its source as it is *now*, so applying a row twice, or two rows for one object, is
    harmless). Rows are locked while applied, so two workers never take the same ones."""
    now = now or timezone.now()
    if backend is None:
        backend = api.primary_backend() if api.elasticsearch_enabled() else None
    with transaction.atomic():
        tasks = list(
            IndexTask.objects.due(now).select_for_update(skip_locked=True).order_by("id")[:limit]
        )
        if not tasks:
            return {"applied": 0, "failed": 0}
        if backend is None:  # PostgreSQL only: the write already updated its index
            IndexTask.objects.filter(pk__in=[t.pk for t in tasks]).update(done_at=now)
            return {"applied": len(tasks), "failed": 0}
        try:
            for doc_type in {t.doc_type for t in tasks}:
                ids = sorted({t.object_id for t in tasks if t.doc_type == doc_type})
                docs = source(doc_type).build(ids)
                backend.apply(
                    upserts=list(docs.values()),
                    deletions=[(doc_type, i) for i in ids if i not in docs],
                )
        except Exception as exc:  # the server is down or refused: try again later
            logger.warning("Index outbox: %s", exc)
            for task in tasks:
                task.attempts += 1
                task.next_attempt_at = now + retry_delay(task.attempts)
                task.last_error = str(exc)[:1000]
            IndexTask.objects.bulk_update(tasks, ["attempts", "next_attempt_at", "last_error"])
            return {"applied": 0, "failed": len(tasks)}
        IndexTask.objects.filter(pk__in=[t.pk for t in tasks]).update(done_at=now)
    IndexTask.objects.filter(done_at__lt=now - KEEP_DONE).delete()
    return {"applied": len(tasks), "failed": 0}


def _documents(doc_type: str, progress: Callable[[int], None] | None) -> Iterator[IndexDocument]:
    src = source(doc_type)
    batch: list[int] = []

    def flush() -> Iterable[IndexDocument]:
        docs = src.build(batch)
        if progress:
            progress(len(batch))
        return [docs[i] for i in batch if i in docs]

    for object_id in src.all_ids():
        batch.append(object_id)
        if len(batch) >= 1000:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def reindex(
    *, doc_type: str = "listing", backends=None, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Rebuild each backend's index of `doc_type` from scratch (PostgreSQL always, and
    Elasticsearch when configured). The outbox rows pending before the rebuild are done."""
    started = timezone.now()
    if backends is None:
        backends = [PostgresBackend()]
        if api.elasticsearch_enabled():
            backends.append(api.primary_backend())
    counts = {}
    for backend in backends:
        counts[backend.name] = backend.rebuild(_documents(doc_type, progress), doc_type=doc_type)
    IndexTask.objects.pending().filter(doc_type=doc_type, created_at__lte=started).update(
        done_at=timezone.now()
    )
    return counts
