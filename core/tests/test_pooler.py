"""The platform behind a real PgBouncer in transaction mode (core/pooled_postgresql).

A PgBouncer (scripts/pgbouncer.sh, Debian's 1.18) is started on a free loopback port in front of
the test cluster with fewer server connections than clients. Threads, each with its own Django
connection through it, switch between regions and read and write: every answer is checked to be
its own region's. With the platform's pooled backend there must be no crossing in tens of
thousands of answers; with django-tenants' own backend the same load crosses (the test that shows
the check can fail)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from tenants.models import Tenant
from tests.tools import missing_tool
from workspace.models import Document

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POOL_SIZE = 3
CLIENTS = 12
POOLED = "core.pooled_postgresql"
STOCK = "django_tenants.postgresql_backend"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer():
    """PgBouncer in transaction mode, pool of POOL_SIZE, in front of the test database."""
    found = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None
    )
    if found is None and os.geteuid() != 0:
        missing_tool("PgBouncer", "sudo apt-get install pgbouncer")
    db = settings.DATABASES["default"]
    port = _free_port()
    name = f"pytest-{os.getpid()}"
    folder = tempfile.mkdtemp(prefix="jejaring-pgbouncer-")
    os.chmod(folder, 0o755)  # noqa: S103 (PgBouncer runs as `postgres` when root)
    env = {
        **os.environ,
        "PGBOUNCER_PORT": str(port),
        "PGBOUNCER_UPSTREAM_PORT": str(db["PORT"] or 5432),
        "PGBOUNCER_POOL_SIZE": str(POOL_SIZE),
        "PGBOUNCER_DIR": folder,
        "PGBOUNCER_AUTH": "trust",
        "PGBOUNCER_USER": db["USER"],
    }
    script = str(ROOT / "scripts" / "pgbouncer.sh")
    started = subprocess.run(  # noqa: S603 (the project's own script)
        [script, "start", name], env=env, capture_output=True, text=True, timeout=300
    )
    if started.returncode != 0:
        pytest.fail(f"PgBouncer did not start: {started.stdout}{started.stderr}")
    yield port
    subprocess.run(  # noqa: S603
        [script, "stop", name], env=env, capture_output=True, timeout=60
    )
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def through_pooler(pgbouncer):
    """A function that gives the calling thread a connection through the pooler with the given
    backend, under an alias of its own. It is not in settings.DATABASES (Django's test case
    refuses threads' connections to the aliases it knows): it is set into the thread's own
    connections, where the ORM's `.using(alias)` and `transaction.atomic(using=alias)` find it."""
    config = {**connections["default"].settings_dict}
    config.update(HOST="127.0.0.1", PORT=str(pgbouncer), OPTIONS={}, CONN_MAX_AGE=None)
    config.pop("DISABLE_SERVER_SIDE_CURSORS", None)

    def connect(engine: str, alias: str) -> BaseDatabaseWrapper:
        wrapper = load_backend(engine).DatabaseWrapper({**config, "ENGINE": engine}, alias)
        connections[alias] = wrapper
        return wrapper

    return connect


@pytest.fixture
def regions(db):
    """Three tenant schemas with the workspace's tables: two regions and the template."""
    schemas = list(
        Tenant.objects.filter(region_id__in=["35.73", "35.79"]).values_list(
            "schema_name", flat=True
        )
    )
    schemas.append(settings.JEJARING_TEMPLATE_SCHEMA)
    assert len(schemas) == 3
    yield schemas
    # The threads committed their rows (to the right schemas, or not): removed from every
    # schema through a connection of its own (the test's transaction would roll it back).
    db_settings = connections["default"].settings_dict
    with psycopg.connect(
        dbname=db_settings["NAME"],
        user=db_settings["USER"],
        host="127.0.0.1",
        port=db_settings["PORT"],
        autocommit=True,
    ) as conn:
        for schema in schemas:
            conn.execute(
                f'DELETE FROM "{schema}".workspace_document WHERE title LIKE %s',  # noqa: S608
                ["probe:%"],
            )


@dataclass
class Tally:
    answers: int = 0
    crossings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(connect, engine, schemas, number, tally, stop_at, deadline, max_crossings):
    """One client: each round on the next region, an autocommit write read back by its key, a
    count of other regions' rows, and a transaction that updates, reads and checks its schema.
    Regions' keys collide (the sequences are aligned), so a read in the wrong schema finds
    another region's row with the same key, or none."""
    alias = f"pooler_{number}"
    conn = connect(engine, alias)
    documents = Document.objects.using(alias)
    answers, crossings, errors = 0, [], []
    round_ = 0
    try:
        while time.monotonic() < deadline and tally.answers < stop_at:
            if len(tally.crossings) >= max_crossings:
                break
            schema = schemas[(number + round_) % len(schemas)]
            round_ += 1
            conn.set_schema(schema)
            mine = f"probe:{schema}:"
            title = f"{mine}{number}:{round_}"
            try:
                doc = documents.create(title=title, original_name=schema, file="probe.pdf")
                seen = documents.filter(pk=doc.pk).values_list("title", flat=True).first()
                if seen != title:
                    crossings.append(f"{schema}: wrote {title!r}, read back {seen!r}")
                foreign = (
                    documents.filter(title__startswith="probe:")
                    .exclude(title__startswith=mine)
                    .values_list("title", flat=True)
                    .first()
                )
                if foreign is not None:
                    crossings.append(f"{schema}: holds another region's row {foreign!r}")
                with transaction.atomic(using=alias):
                    updated = documents.filter(pk=doc.pk, title=title).update(
                        original_name=f"{schema}!"
                    )
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT current_schema()")
                        current = cursor.fetchone()[0]
                    again = documents.filter(pk=doc.pk).values_list("original_name", flat=True)
                    again = again.first()
                if updated != 1 or current != schema or again != f"{schema}!":
                    crossings.append(
                        f"{schema}: in a transaction updated {updated}, schema {current}, "
                        f"read {again!r}"
                    )
                answers += 6
            except Exception as exc:  # noqa: BLE001 (a wrong schema may also raise)
                errors.append(f"{schema}: {type(exc).__name__}: {exc}".splitlines()[0])
                if len(errors) > 20:
                    break
            if round_ % 25 == 0:
                with tally.lock:
                    tally.answers += answers
                answers = 0
    finally:
        with tally.lock:
            tally.answers += answers
            tally.crossings.extend(crossings)
            tally.errors.extend(errors)
        conn.close()
        del connections[alias]


def _load(connect, engine, schemas, *, stop_at, seconds, max_crossings=10**9) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(connect, engine, schemas, number, tally, stop_at, deadline, max_crossings),
        )
        for number in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def _server_connections(pgbouncer_port: int) -> int:
    """How many PostgreSQL connections the pooler held for the test database at most."""
    db = connections["default"].settings_dict
    with psycopg.connect(
        dbname="pgbouncer",
        user=db["USER"],
        host="127.0.0.1",
        port=pgbouncer_port,
        autocommit=True,
        prepare_threshold=None,
        cursor_factory=psycopg.ClientCursor,
    ) as admin:
        rows = admin.execute("SHOW SERVERS").fetchall()
    return sum(1 for row in rows if row[2] == db["NAME"])


def test_no_region_reads_or_writes_another_regions_rows_behind_a_transaction_pooler(
    regions, through_pooler, pgbouncer
):
    started = time.monotonic()
    tally = _load(through_pooler, POOLED, regions, stop_at=24_000, seconds=55)
    elapsed = time.monotonic() - started
    assert tally.errors == [], tally.errors[:5]
    assert tally.crossings == [], tally.crossings[:5]
    # Tens of thousands of checked answers, not a handful.
    assert tally.answers >= 20_000, f"only {tally.answers} answers in {elapsed:.0f} s"
    print(f"{tally.answers} answers from {CLIENTS} clients in {elapsed:.1f} s, no crossing")
    # Fewer server connections than clients: transactions really shared them.
    assert 0 < _server_connections(pgbouncer) <= POOL_SIZE < CLIENTS


def test_without_the_pooled_backend_regions_cross(regions, through_pooler):
    """django-tenants' backend sets search_path once per connection: through the same pooler,
    the same load reads and writes other regions' rows (so the test above can fail)."""
    tally = _load(through_pooler, STOCK, regions, stop_at=6_000, seconds=20, max_crossings=5)
    assert tally.crossings or tally.errors, f"no crossing in {tally.answers} answers"


def test_pooled_backend_paths(regions, through_pooler):
    """What the load does not exercise: iterator() without server-side cursors, executemany,
    a rollback to a savepoint that undid a schema change, and a statement's own SET LOCAL
    search_path (tenants/migrating.py) honoured for the rest of its transaction."""
    alias = "pooler_paths"
    conn = through_pooler(POOLED, alias)
    documents = Document.objects.using(alias)
    first, second, template = regions
    try:
        conn.set_schema(first)
        documents.create(title=f"probe:{first}:a", original_name=first, file="a.pdf")
        conn.set_schema(second)
        documents.create(title=f"probe:{second}:a", original_name=second, file="a.pdf")
        assert [
            d.original_name for d in documents.filter(title__startswith="probe:").iterator()
        ] == [second]
        assert conn.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True

        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO workspace_document (title, file, original_name, uploaded_by_email,"
                " uploaded_by_opd, restricted, uploaded_at) VALUES (%s, 'b.pdf', %s, '', '',"
                " false, now())",
                [(f"probe:{second}:b{i}", second) for i in range(3)],
            )
        assert documents.filter(title__startswith=f"probe:{second}:b").count() == 3

        with transaction.atomic(using=alias):
            assert documents.filter(title__startswith="probe:").count() == 4
            try:
                with transaction.atomic(using=alias):
                    conn.set_schema(first)
                    assert documents.filter(title__startswith="probe:").count() == 1
                    raise RuntimeError
            except RuntimeError:
                pass
            # The savepoint's rollback undid the SET LOCAL to `first`; the wrapper still says
            # `first`, and the next statement must run there.
            assert list(
                documents.values_list("original_name", flat=True).filter(title__startswith="probe:")
            ) == [first]

        conn.set_schema_to_public()
        with transaction.atomic(using=alias), conn.cursor() as cursor:
            cursor.execute(f'SET LOCAL search_path = "{template}", public')
            cursor.execute("SELECT current_schema()")
            assert cursor.fetchone()[0] == template
        with conn.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            assert cursor.fetchone()[0] == "public"
    finally:
        conn.close()
        del connections[alias]


def test_two_schedulers_through_the_pooler_enqueue_each_due_job_once(through_pooler, monkeypatch):
    """`make cluster` starts two schedulers (core/schedule.py): each job's row is locked while
    it is decided (a row lock lasts one transaction, so it holds behind the pooler), and a job
    is enqueued once per interval however the two race."""
    from core import schedule
    from core.models import ScheduledJob

    enqueued: list[str] = []
    lock = threading.Lock()

    class FakeTask:
        def __init__(self, path):
            self.path = path

        def enqueue(self):
            time.sleep(0.002)  # a real enqueue writes a row: give the other scheduler a chance
            with lock:
                enqueued.append(self.path)

    prefix = f"pooler-test-{os.getpid()}"
    names = [f"{prefix}.job{i}" for i in range(5)]
    monkeypatch.setattr(schedule, "_jobs", {})
    monkeypatch.setattr(schedule, "import_string", FakeTask)
    for name in names:
        schedule.every(timedelta(hours=1), name)
    rounds = 30
    barrier = threading.Barrier(2)
    failures = []

    def scheduler(number):
        alias = f"scheduler_{number}"
        conn = through_pooler(POOLED, alias)
        original = connections["default"]
        try:
            # run_due uses the default connection: this thread's is the pooled one.
            connections["default"] = conn
            for _ in range(rounds):
                barrier.wait()
                schedule.run_due()
        except Exception as exc:  # noqa: BLE001
            failures.append(repr(exc))
            barrier.abort()
        finally:
            connections["default"] = original
            conn.close()
            del connections[alias]

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert sorted(enqueued) == sorted(names)
    finally:
        db = connections["default"].settings_dict
        with psycopg.connect(
            dbname=db["NAME"],
            user=db["USER"],
            host="127.0.0.1",
            port=db["PORT"],
            autocommit=True,
        ) as direct:
            direct.execute("DELETE FROM core_scheduledjob WHERE name LIKE %s", [prefix + "%"])
    assert not ScheduledJob.objects.filter(name__startswith=prefix).exists()
