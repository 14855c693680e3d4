"""The test session's database, built once and cloned from a PostgreSQL template afterwards.

Building the session's database (Django's and Wagtail's migrations, the template schema that
regions are cloned from, 91,000 rows of the region registry, two provisioned regions) costs a
minute or two. It depends only on the migrations, the registry's data files, the provisioning
code and the pinned packages, so its result is saved as a template database named after a
fingerprint of those files; a later session creates its database with `CREATE DATABASE ...
TEMPLATE` (a file copy: a few seconds) and runs on a fresh copy every time. Two test runs with
different DATABASE_URLs (two developers' checkouts, helpers in parallel) share the template and
never touch each other's copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PREFIX = "jejaring_template_"
# Templates of older fingerprints kept beside the newest (another checkout may still use one).
KEEP_TEMPLATES = 3

# What the built database depends on. Migrations and data files by pattern; the code that
# provisions regions and loads the registry by name; the pinned packages (their migrations).
FINGERPRINT_PATTERNS = (
    "*/migrations/*.py",
    "tenants/data/**/*",
    "search/data/**/*",
    "tenants/provisioning.py",
    "tenants/onboarding.py",
    "tenants/registry.py",
    "tenants/region_codes.py",
    "tenants/models.py",
    "conftest.py",
    "tests/db_template.py",
    "constraints.txt",
)


def fingerprint() -> str:
    digest = hashlib.sha256()
    files: set[Path] = set()
    for pattern in FINGERPRINT_PATTERNS:
        files.update(p for p in ROOT.glob(pattern) if p.is_file() and ".venv" not in p.parts)
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    # Which apps are installed decides which of those migrations run (an app's migrations may
    # be in the tree before the settings install it).
    digest.update(repr(settings.INSTALLED_APPS).encode())
    return digest.hexdigest()[:16]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SessionDatabase:
    """`set_up()` gives the session a fresh database: a clone of the saved template, or a new
    build saved as the template; `tear_down()` drops it."""

    def __init__(self, *, verbosity: int = 0):
        self.verbosity = verbosity
        self.connection = connections["default"]
        self.base_name = self.connection.settings_dict["NAME"]
        self.test_name = self.connection.creation._get_test_db_name()
        self.template = TEMPLATE_PREFIX + fingerprint()

    def _admin(self, sql: str, params=None):
        # A cursor on the maintenance database ("postgres"), outside any transaction.
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    @contextlib.contextmanager
    def _template_lock(self):
        import psycopg

        params = self.connection.get_connection_params()
        params["dbname"] = "postgres"
        key = int(hashlib.sha256(self.template.encode()).hexdigest()[:15], 16)
        with psycopg.connect(**params, autocommit=True) as lock:
            lock.execute("SELECT pg_advisory_lock(%s)", [key])
            try:
                yield
            finally:
                lock.execute("SELECT pg_advisory_unlock(%s)", [key])

    def _built_by(self, name: str) -> str | None:
        rows = self._admin(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        return rows[0][0] if rows else None

    def _exists(self, name: str) -> bool:
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", [name]))

    def _use(self, name: str) -> None:
        for conn in connections.all():
            conn.close()
        self.connection.settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name

    def set_up(self, *, populate: Callable[[], None], rebuild: bool = False) -> None:
        # One session at a time decides and builds: pytest-xdist's workers (and parallel runs)
        # starting together wait for the first one's template and clone it, instead of each
        # building its own. The lock is held by a connection of its own, outside the build's.
        with self._template_lock():
            # Under xdist, --create-db rebuilds once per run: the first worker to get here
            # builds, the others clone what it built (the template names the run that built it).
            run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
            if rebuild and run and self._built_by(self.template) == run:
                rebuild = False
            if (
                rebuild
                or os.environ.get("JEJARING_REBUILD_TEST_DB")
                or not self._exists(self.template)
            ):
                self._build(populate)
            else:
                self._clone()
        # The cache tables come from settings.CACHES, not from migrations: a template saved
        # before a cache was added lacks its table (idempotent, as in bootstrap_platform).
        from django.core.management import call_command

        call_command("createcachetable", verbosity=0)

    def _clone(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {quote(self.test_name)} WITH (FORCE)")
        self._admin(
            f"CREATE DATABASE {quote(self.test_name)} TEMPLATE {quote(self.template)} "
            "STRATEGY FILE_COPY"
        )
        self._use(self.test_name)

    def _build(self, populate: Callable[[], None]) -> None:
        from django.test.utils import setup_databases

        setup_databases(
            verbosity=self.verbosity, interactive=False, aliases={"default"}, serialized_aliases=()
        )
        populate()
        connection.set_schema_to_public()
        for conn in connections.all():
            conn.close()
        # Saved under a name of this process first, then renamed: two sessions building the same
        # fingerprint at once both succeed, one of them keeps its copy.
        scratch = f"{self.template}_{os.getpid()}"
        self._admin(f"DROP DATABASE IF EXISTS {quote(scratch)}")
        self._admin(
            f"CREATE DATABASE {quote(scratch)} TEMPLATE {quote(self.test_name)} STRATEGY FILE_COPY"
        )
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
        self._admin(f"COMMENT ON DATABASE {quote(scratch)} IS %s", [run])
        try:
            self._admin(f"DROP DATABASE IF EXISTS {quote(self.template)}")
            self._admin(f"ALTER DATABASE {quote(scratch)} RENAME TO {quote(self.template)}")
        except Exception:  # another session saved it first (or is cloning the old one)
            self._admin(f"DROP DATABASE IF EXISTS {quote(scratch)}")
        self._forget_old_templates()

    def _forget_old_templates(self) -> None:
        rows = self._admin(
            "SELECT d.datname FROM pg_database d "
            "WHERE d.datname LIKE %s AND d.datname <> %s "
            "ORDER BY d.oid DESC",
            [TEMPLATE_PREFIX + "%", self.template],
        )
        for (name,) in (rows or [])[KEEP_TEMPLATES - 1 :]:
            try:
                self._admin(f"DROP DATABASE IF EXISTS {quote(name)}")
            except Exception:  # noqa: S110 (in use by another session: a later run drops it)
                pass

    def tear_down(self) -> None:
        for conn in connections.all():
            conn.close()
        self._admin(f"DROP DATABASE IF EXISTS {quote(self.test_name)} WITH (FORCE)")


def align_region_sequences() -> None:
    """Set every sequence of every region schema (the template schema regions are cloned from
    is a tenant too) to one common value: the highest any of them has reached. The next row of
    each kind then gets the same primary key in every region, as in production."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH region_sequences AS (
                SELECT schemaname, sequencename, coalesce(last_value, 1) AS last_value
                FROM pg_sequences
                WHERE schemaname IN (
                    SELECT schema_name FROM public.tenants_tenant WHERE schema_name <> 'public'
                )
            )
            SELECT count(setval(format('%I.%I', schemaname, sequencename)::regclass,
                                (SELECT max(last_value) + 1 FROM region_sequences)))
            FROM region_sequences
            """
        )
