"""django-tasks-db's `db_worker`, which also runs again the tasks whose worker died
(core/task_recovery.py). This command takes the library's name (core is listed before
django_tasks_db in INSTALLED_APPS), so `make run`, `make cluster` and compose start it unchanged.

Each task runs while the worker holds the task's liveness lock on a connection of its own; a
thread sweeps every SWEEP_SECONDS (and once at start) for RUNNING tasks whose lock is free.
A database outage no longer ends the worker: it waits for PostgreSQL to come back."""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands import db_worker as base

from core import task_recovery

logger = logging.getLogger(__name__)


class RecoveringWorker(base.Worker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock_connection = None

    def run(self) -> None:
        # The library's loop lets a database error end the worker (and with it `make run`):
        # while PostgreSQL restarts, wait for it instead.
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if not self.running:
                    return None
                logger.warning("Database unavailable (%s); trying again in 1 s", exc)
                connections.close_all()
                time.sleep(1)

    def run_task(self, db_task_result) -> None:
        if self._lock_connection is None or self._lock_connection.closed:
            self._lock_connection = task_recovery._connect()
        with task_recovery.held(db_task_result.id, self._lock_connection):
            super().run_task(db_task_result)


def _sweep_forever(stop: threading.Event) -> None:
    while True:
        try:
            task_recovery.recover_stale_tasks()
        except Exception:  # a database outage: try again at the next sweep
            logger.warning("Sweep for lost tasks failed", exc_info=True)
        finally:
            connections.close_all()
        if stop.wait(task_recovery.SWEEP_SECONDS):
            return


class Command(base.Command):
    help = base.Command.help + " Tasks whose worker died are run again (core/task_recovery.py)."

    def handle(self, *args, **options):
        base.Worker = RecoveringWorker  # the library's handle() builds its Worker by this name
        stop = threading.Event()
        sweeper = threading.Thread(target=_sweep_forever, args=(stop,), daemon=True)
        sweeper.start()
        close_old_connections()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
