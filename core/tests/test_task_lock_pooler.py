"""The tasks' liveness-lock connection (core/task_recovery._connect) and a transaction pooler.

Through a real PgBouncer in transaction mode (scripts/pgbouncer.sh, the pool smaller than the
clients), two lock connections run the worker's and the sweep's statements over and over: psycopg
would prepare them after five runs under the same name on each connection, and the pooler would
hand both names to one server connection (DuplicatePreparedStatement) or a name to a server that
never saw it. The lock connection prepares nothing, so this works; the session locks themselves
still need PostgreSQL directly (JEJARING_TASK_LOCK_DATABASE_URL), which is logged as an error when
the default database is the pooler and that variable is unset."""

from __future__ import annotations

import logging

import pytest
from django.db import connections

from core import task_recovery
from core.tests.test_pooler import pgbouncer  # noqa: F401 -- the module's PgBouncer fixture

pytestmark = pytest.mark.django_db


def test_the_lock_connection_prepares_no_statement_a_pooler_would_mix_up(
    pgbouncer,  # noqa: F811
    monkeypatch,
):
    db = connections["default"].settings_dict
    monkeypatch.setenv(
        "JEJARING_TASK_LOCK_DATABASE_URL",
        f"postgres://{db['USER']}@127.0.0.1:{pgbouncer}/{db['NAME']}",
    )
    first, second = task_recovery._connect(), task_recovery._connect()
    try:
        assert first.prepare_threshold is None
        # Each connection runs the worker's lock and unlock and the sweep's probe well past
        # psycopg's threshold (5), interleaved so both meet the pool's few server connections.
        for number in range(12):
            for connection in (first, second):
                with task_recovery.held(f"probe-{number}", connection):
                    pass
                connection.execute(
                    f"SELECT pg_try_advisory_lock({task_recovery.LOCK_CLASS}, hashtext(%s))",
                    [f"probe-{number}"],
                )
                connection.execute(
                    f"SELECT pg_advisory_unlock({task_recovery.LOCK_CLASS}, hashtext(%s))",
                    [f"probe-{number}"],
                )
    finally:
        first.close()
        second.close()


def test_a_lock_connection_through_the_transaction_pooler_is_logged(settings, monkeypatch, caplog):
    monkeypatch.delenv("JEJARING_TASK_LOCK_DATABASE_URL", raising=False)
    settings.JEJARING_DB_POOLER = "transaction"
    with caplog.at_level(logging.ERROR, logger="core.task_recovery"):
        task_recovery._connect().close()
    assert "JEJARING_TASK_LOCK_DATABASE_URL" in caplog.text

    caplog.clear()
    settings.JEJARING_DB_POOLER = ""
    with caplog.at_level(logging.ERROR, logger="core.task_recovery"):
        task_recovery._connect().close()
    assert caplog.text == ""
