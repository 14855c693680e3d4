"""Tasks whose worker died are run again, once.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when the
task returns. A worker killed in between (SIGKILL, out of memory, the machine lost) leaves it
RUNNING for ever: nothing retries it. Here, while a worker runs a task it holds a PostgreSQL
advisory lock named after the task, on a connection of its own (`held`); PostgreSQL releases
the lock the moment that process's connection goes, however it died. `recover_stale_tasks` (run
by every worker every SWEEP_SECONDS, see core/management/commands/db_worker.py, and by
`manage.py recover_tasks`) finds RUNNING tasks older than a grace period whose lock it can take:
their worker is gone, so they go back to READY and the next worker runs them again. A task lost
MAX_RUNS times is marked FAILED instead (a task that kills its worker every time must not loop).

Running a task again must not do it twice. Tasks that keep their own state say how to undo a
half-done run before the retry (`on_requeue`; the region export's is in tenants/recovery.py:
its row goes back from RUNNING to PENDING and a partial archive is removed); the search outbox
and reindex rebuild documents from their sources, so a second run changes nothing.

The lock connection must reach PostgreSQL directly (JEJARING_TASK_LOCK_DATABASE_URL, set by
scripts/cluster.sh and docker-compose.yml), never through PgBouncer in transaction mode: a session
lock belongs to one server connection, and a transaction pooler gives the worker's next statement
(the unlock, the sweep's probe) to another, so a dead worker's lock could outlive it (its task
never recovered) or a live worker's lock be taken by its own server connection again (its task
run twice). Without that variable the lock connection uses the default database, which under
JEJARING_DB_POOLER=transaction is the pooler: an error is logged then. The connection prepares no
statements (`prepare_threshold=None`), so even a misdirected one does not fail with
DuplicatePreparedStatement: psycopg prepares a statement after it ran five times, under the same
name on every connection, and a pooler hands connections' statements to shared servers.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

import environ
import psycopg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

LOCK_CLASS = 0x4A4A  # the advisory locks' first key: "JJ"
MAX_RUNS = 3
SWEEP_SECONDS = float(os.environ.get("JEJARING_TASK_SWEEP_SECONDS", "30"))


class WorkerLost(Exception):
    """Recorded on a task whose worker died MAX_RUNS times while running it."""


_hooks: dict[str, Callable[[list, dict], None]] = {}


def on_requeue(task_path: str):
    """Register `fn(args, kwargs)`, run (in the requeueing transaction) before a task of
    `task_path` whose worker died is run again."""

    def register(fn):
        _hooks[task_path] = fn
        return fn

    return register


def grace() -> timedelta:
    """How long after its start a task may be taken for lost: the worker takes its lock a few
    milliseconds after claiming it."""
    return timedelta(seconds=float(os.environ.get("JEJARING_TASK_STALE_GRACE_SECONDS", "30")))


def _connect() -> psycopg.Connection:
    url = os.environ.get("JEJARING_TASK_LOCK_DATABASE_URL")
    if url:
        params = environ.Env.db_url_config(url)
    else:
        params = settings.DATABASES["default"]
        if getattr(settings, "JEJARING_DB_POOLER", "") == "transaction":
            logger.error(
                "The tasks' liveness locks are session locks: set JEJARING_TASK_LOCK_DATABASE_URL "
                "to PostgreSQL itself, not the transaction-mode pooler the default database uses."
            )
    return psycopg.connect(
        dbname=params["NAME"],
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
        # No automatically prepared statements (see the module's docstring).
        prepare_threshold=None,
        application_name="jejaring task lock",
    )


_KEY = "hashtext(%s)"


@contextmanager
def held(task_id, connection: psycopg.Connection):
    """Hold the task's liveness lock on `connection` (the worker's own) while it runs."""
    connection.execute(f"SELECT pg_advisory_lock({LOCK_CLASS}, {_KEY})", [str(task_id)])
    try:
        yield
    finally:
        try:
            connection.execute(f"SELECT pg_advisory_unlock({LOCK_CLASS}, {_KEY})", [str(task_id)])
        except psycopg.Error:
            logger.warning("Could not release the lock of task %s", task_id, exc_info=True)


def recover_stale_tasks(*, now=None) -> dict[str, list[str]]:
    """Requeue (or, after MAX_RUNS, fail) the RUNNING tasks whose worker is gone."""
    now = now or timezone.now()
    candidates = list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - grace()
        ).values_list("pk", flat=True)
    )
    done: dict[str, list[str]] = {"requeued": [], "failed": []}
    if not candidates:
        return done
    # A connection of this sweep's own: a session never sees its own locks as taken.
    with _connect() as probe:
        for pk in candidates:
            row = probe.execute(
                f"SELECT pg_try_advisory_lock({LOCK_CLASS}, {_KEY})", [str(pk)]
            ).fetchone()
            if row is None or not row[0]:
                continue  # its worker is alive and running it (or no answer: leave it be)
            try:
                outcome = _requeue(pk, now)
                if outcome:
                    done[outcome].append(str(pk))
            finally:
                probe.execute(f"SELECT pg_advisory_unlock({LOCK_CLASS}, {_KEY})", [str(pk)])
    if done["requeued"] or done["failed"]:
        logger.warning("Tasks whose worker died: %s", done)
    return done


def _requeue(pk, now) -> str | None:
    with transaction.atomic():
        row = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=TaskResultStatus.RUNNING)
            .first()
        )
        if row is None:
            return None
        if len(row.worker_ids) >= MAX_RUNS:
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            row.traceback = (
                f"The worker running this task died {len(row.worker_ids)} times "
                f"(workers {', '.join(row.worker_ids)}); not retried again."
            )
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            return "failed"
        hook = _hooks.get(row.task_path)
        if hook is not None:
            hook(row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {}))
        row.status = TaskResultStatus.READY
        row.started_at = None
        row.save(update_fields=["status", "started_at"])
        return "requeued"
