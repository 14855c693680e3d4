"""Scale: every autonomous region (546) on one platform, in a scratch database.

Creates the database `jejaring_scale_bench` (BENCH_SCALE_DB) on the same PostgreSQL server as the
configured one, and drops it again at the end. Each step runs the real command in its own
process, with DATABASE_URL pointing at the scratch database:

1. `bootstrap_platform` on the empty database (fresh_bootstrap_s);
2. `onboard_regions --all`: every province, kabupaten and kota in one command (onboard_all_s;
   per-region medians of the first and the last 50: first50_median_s, last50_median_s);
3. `bootstrap_platform` with nothing to do, as every `make run` and `make test` does
   (noop_bootstrap_s, the median of 3 runs);
4. the baseline, `migrate_schemas --tenant` with nothing to do (noop_migrate_schemas_s; skipped
   with BENCH_SCALE_BASELINE=0);
5. a new tenant-app migration (a column with an index on workspace.Document, in a scratch copy
   of the workspace app's migrations under a temporary directory, selected by
   MIGRATION_MODULES; the real app is never touched) applied by `bootstrap_platform` to every
   schema (tenant_migration_s), then checked: every tenant schema has the column and records
   the migration.

Environment: BENCH_SCALE_DB, BENCH_SCALE_BASELINE (default 1), BENCH_SCALE_LIMIT (onboard only
this many regions, for trying the benchmark out; the targets are for all of them).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MIGRATIONS_PACKAGE = "jejaring_scale_bench_migrations"
BENCH_FIELD = "scale_bench_note"

MIGRATION_TEMPLATE = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workspace", "{leaf}")]
    operations = [
        migrations.AddField(
            "document",
            "{field}",
            models.CharField(max_length=50, default="", blank=True, db_index=True),
        ),
    ]
"""

# Run in a child process: the workspace app's migrations come from the scratch copy.
WITH_SCRATCH_MIGRATIONS = """
import os, sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {tmp!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
from django.conf import settings
settings.MIGRATION_MODULES = {{**settings.MIGRATION_MODULES, "workspace": {package!r}}}
django.setup()
from django.core.management import call_command
call_command("bootstrap_platform", verbosity=2)
"""


def _run(args: list[str], env: dict, label: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 -- our own commands
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"{label} failed (exit {result.returncode})")
    print(f"{label}: {seconds:.1f} s", flush=True)
    return seconds


def _manage(*args: str) -> list[str]:
    return [PYTHON, "manage.py", *args]


def _database_url(settings_dict: dict, name: str) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{name}"


def _scratch_migrations(tmp: Path) -> None:
    from django.db.migrations.loader import MigrationLoader

    from workspace import migrations as real

    package = tmp / MIGRATIONS_PACKAGE
    package.mkdir()
    for path in Path(real.__file__).parent.glob("*.py"):
        shutil.copy(path, package / path.name)
    (leaf,) = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("workspace")
    (package / "9999_scale_bench_column.py").write_text(
        MIGRATION_TEMPLATE.format(leaf=leaf[1], field=BENCH_FIELD), encoding="utf-8"
    )


def main() -> None:
    import psycopg
    from django.db import connection

    from tenants.models import Region

    name = os.environ.get("BENCH_SCALE_DB", "jejaring_scale_bench")
    baseline = os.environ.get("BENCH_SCALE_BASELINE", "1") != "0"
    limit = int(os.environ.get("BENCH_SCALE_LIMIT", "0"))
    url = _database_url(connection.settings_dict, name)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:  # autocommit: CREATE DATABASE runs outside transactions
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    figures: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="jejaring-scale-"))
    try:
        figures["fresh_bootstrap_s"] = _run(_manage("bootstrap_platform"), env, "bootstrap")
        timings = tmp / "timings.csv"
        onboard = ["onboard_regions", "--no-progress", "--timings", str(timings)]
        if limit:
            onboard += list(
                Region.objects.autonomous().order_by("code").values_list("code", flat=True)
            )[:limit]
        else:
            onboard.append("--all")
        figures["onboard_all_s"] = _run(_manage(*onboard), env, "onboard_regions")
        with timings.open(encoding="utf-8") as handle:
            per_region = [float(seconds) for _, seconds in csv.reader(handle)]
        figures["regions"] = len(per_region)
        figures["first50_median_s"] = statistics.median(per_region[:50])
        figures["last50_median_s"] = statistics.median(per_region[-50:])
        figures["last50_over_first50_ratio"] = (
            figures["last50_median_s"] / figures["first50_median_s"]
        )
        figures["per_region_max_s"] = max(per_region)
        with psycopg.connect(url) as db:
            figures["tenants"] = db.execute("SELECT count(*) FROM tenants_tenant").fetchone()[0]
        noop = [_run(_manage("bootstrap_platform"), env, "no-op bootstrap") for _ in range(3)]
        figures["noop_bootstrap_s"] = statistics.median(noop)
        if baseline:
            figures["noop_migrate_schemas_s"] = _run(
                _manage("migrate_schemas", "--tenant", "--verbosity", "0"),
                env,
                "no-op migrate_schemas --tenant (baseline)",
            )
        _scratch_migrations(tmp)
        script = WITH_SCRATCH_MIGRATIONS.format(
            root=str(ROOT), tmp=str(tmp), package=MIGRATIONS_PACKAGE
        )
        figures["tenant_migration_s"] = _run(
            [PYTHON, "-c", script], env, "new tenant migration, all schemas"
        )
        with psycopg.connect(url) as db:
            schemas = [
                row[0]
                for row in db.execute(
                    "SELECT schema_name FROM tenants_tenant WHERE schema_name <> 'public'"
                )
            ]
            with_column = db.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                "'workspace_document' AND column_name = %s AND table_schema = ANY(%s)",
                [BENCH_FIELD, schemas],
            ).fetchone()[0]
            recorded = sum(
                db.execute(
                    f'SELECT count(*) FROM "{schema}".django_migrations '  # noqa: S608
                    "WHERE app = 'workspace' AND name = '9999_scale_bench_column'"
                ).fetchone()[0]
                for schema in schemas
            )
        figures["tenant_migration_schemas"] = len(schemas)
        if with_column != len(schemas) or recorded != len(schemas):
            raise SystemExit(
                f"The new migration reached {with_column} schemas (recorded in {recorded}) "
                f"of {len(schemas)}."
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    print(
        json.dumps(
            {
                key: round(value, 3) if isinstance(value, float) else value
                for key, value in figures.items()
            }
        )
    )
