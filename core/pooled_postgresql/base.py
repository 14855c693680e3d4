"""django-tenants' PostgreSQL backend made safe behind a transaction-mode pooler (PgBouncer
`pool_mode = transaction`, RDS Proxy, ...). portal/settings selects it when
JEJARING_DB_POOLER=transaction; the default direct connection keeps django-tenants' backend.

The problem (django-tenants issues #732 and #1112): django-tenants sends `SET search_path` once
and then trusts the connection to keep it. Behind a transaction-mode pooler, "the connection" is
a different server connection for every transaction, so the next statement may run with another
client's search path: one region's rows read from, or written into, another region's schema.

The fix: the search path travels with the statements themselves, never as session state.

- Outside a transaction (autocommit), every statement is sent as one simple-protocol query
  string `SET LOCAL search_path = "<schema>", "public"; <statement>`. Django 5.2's psycopg 3
  backend binds parameters on the client (ClientCursor), so this is one `Query` message: one
  implicit transaction on one server connection, which the pooler never splits. `SET LOCAL`
  ends with that transaction, so nothing is left on the server connection for the next client.
  The cursor then moves past the SET's empty result (`nextset()`), so fetches, `rowcount` and
  `RETURNING` see the statement's own result.
- Inside a transaction (Django's `atomic`), the pooler keeps the server connection until COMMIT
  or ROLLBACK, so the path is set (`SET LOCAL`) by the transaction's first statement and again
  only when the schema changes within it (or after a `ROLLBACK TO SAVEPOINT`, which may have
  undone it). A statement that sets the search path itself (tenants/migrating.py does) is
  honoured for the rest of its transaction, as with django-tenants' own backend.
- `executemany` (psycopg pipelines it, one statement per message) runs in a transaction with the
  SET before it.

The pooler's other requirements are set here as well: no server-side cursors (a `DECLARE ...
WITH HOLD` cursor outlives its transaction: Django then fetches `.iterator()` chunks client-side),
no automatically prepared statements (`prepare_threshold=None`: PgBouncer 1.18 cannot route
them), client-side binding only. Advisory locks in the project are transaction-level
(`pg_advisory_xact_lock`); a session-level lock would be released by nobody, or by the wrong
client. Tested through a real PgBouncer in core/tests/test_pooler.py.
"""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
    Cursor as DjangoCursor,  # Django's client-side-binding cursor; its stubs omit it
)
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import quote_schema_name
from psycopg import pq
from psycopg.sql import SQL, Composable

# Statements that get no search path: transaction control (a prefixed `ROLLBACK TO SAVEPOINT`
# would not run in an aborted transaction) and commands that refuse to run inside a transaction
# block (a multi-statement query string is one).
_NO_PREFIX = re.compile(
    r"\s*(?:SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|START\s+TRANSACTION|END|ABORT|VACUUM"
    r"|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+SYSTEM|CLUSTER|CHECKPOINT"
    r"|(?:CREATE|DROP|REINDEX)\b[^;]*\bCONCURRENTLY)\b",
    re.IGNORECASE,
)
_ROLLBACK_TO = re.compile(r"\s*ROLLBACK\s+TO\b", re.IGNORECASE)


def _text(query) -> str:
    if isinstance(query, bytes):
        return query[:200].decode("utf-8", "replace")
    if isinstance(query, str):
        return query[:200]
    return ""  # a psycopg Composable: never transaction control in Django


class PooledCursor(DjangoCursor):
    """Django's client-side-binding cursor, carrying the search path with its statements."""

    # The DatabaseWrapper that made it (set by create_cursor); None for the cursors psycopg or
    # Django open on the raw connection (health checks, time zone): they run without one.
    pooled_wrapper: DatabaseWrapper | None = None

    def _search_path_prefix(self, query) -> str:
        wrapper = self.pooled_wrapper
        if wrapper is None:
            return ""
        conn = self.connection
        status = conn.info.transaction_status
        if conn.autocommit or status == pq.TransactionStatus.IDLE:
            # No transaction open: psycopg begins one before this statement (not in
            # autocommit), and whatever path an earlier transaction had set is gone.
            wrapper.path_in_transaction = None
        text = _text(query)
        if _ROLLBACK_TO.match(text):
            # The SET LOCAL issued after that savepoint is undone with it.
            wrapper.path_in_transaction = None
        if _NO_PREFIX.match(text) or status == pq.TransactionStatus.INERROR:
            # Transaction control, or an aborted transaction where only a rollback can run.
            return ""
        wanted = wrapper.search_path_sql()
        if conn.autocommit:
            return wanted
        # In a transaction the pooler keeps one server connection until its end: the path
        # is set once, and again when the schema changes.
        if wrapper.path_in_transaction == wanted:
            return ""
        wrapper.path_in_transaction = wanted
        return wanted

    def execute(self, query, params=None, **kwargs):
        prefix = self._search_path_prefix(query)
        if not prefix:
            return super().execute(query, params, **kwargs)
        if params is not None:
            prefix = prefix.replace("%", "%%")
        if isinstance(query, Composable):
            query = SQL(prefix) + query
        elif isinstance(query, bytes):
            query = prefix.encode() + query
        else:
            query = prefix + query
        super().execute(query, params, **kwargs)
        # Past the SET's empty result to the statement's own.
        self.nextset()
        return self

    def executemany(self, query, params_seq, **kwargs):
        prefix = self._search_path_prefix(query)
        if not prefix:
            return super().executemany(query, params_seq, **kwargs)
        statement = prefix.rstrip("; ")
        if self.connection.autocommit:
            with self.connection.transaction():
                super().execute(statement)
                return super().executemany(query, params_seq, **kwargs)
        super().execute(statement)
        return super().executemany(query, params_seq, **kwargs)


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, settings_dict, *args, **kwargs):
        # A server-side cursor is a session object (WITH HOLD outside a transaction): the
        # pooler hands the next FETCH to another server connection.
        settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
        if settings_dict.get("OPTIONS", {}).get("server_side_binding"):
            raise ImproperlyConfigured(
                "core.pooled_postgresql needs client-side binding (it sends the search path in "
                "the statement's own query string): remove OPTIONS['server_side_binding']."
            )
        self.path_in_transaction = None
        self._path_sql_cache: tuple[tuple, str] | None = None
        super().__init__(settings_dict, *args, **kwargs)

    def get_connection_params(self):
        params = super().get_connection_params()
        params["cursor_factory"] = PooledCursor
        # psycopg prepares a statement after it ran a few times; PgBouncer 1.18 in transaction
        # mode cannot route prepared statements to the server connection that knows them.
        params["prepare_threshold"] = None
        return params

    def get_new_connection(self, conn_params):
        self.path_in_transaction = None
        return super().get_new_connection(conn_params)

    def create_cursor(self, name=None):
        if name:
            raise ImproperlyConfigured(
                "Server-side cursors cannot work behind a transaction-mode pooler."
            )
        cursor = super().create_cursor(name)
        cursor.pooled_wrapper = self
        return cursor

    def _handle_search_path(self, cursor=None):
        # The search path is sent with each statement (PooledCursor), never as session state.
        return

    def search_path_sql(self) -> str:
        if not self.schema_name:
            raise ImproperlyConfigured(
                "Database schema not set. Did you forget to call set_schema() or set_tenant()?"
            )
        key = (self.schema_name, self.include_public_schema)
        if self._path_sql_cache is None or self._path_sql_cache[0] != key:
            paths = self._get_cursor_search_paths()  # validates every name
            sql = "SET LOCAL search_path = {}; ".format(
                ", ".join(quote_schema_name(name) for name in paths)
            )
            self._path_sql_cache = (key, sql)
        return self._path_sql_cache[1]

    def close(self):
        self.path_in_transaction = None
        super().close()

    def commit(self):
        self.path_in_transaction = None
        super().commit()

    def rollback(self):
        self.path_in_transaction = None
        super().rollback()

    def savepoint_rollback(self, sid):
        try:
            super().savepoint_rollback(sid)
        finally:
            self.path_in_transaction = None
