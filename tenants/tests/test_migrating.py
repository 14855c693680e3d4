"""The fast paths of tenants/migrating.py: the no-op check over every schema in one query, and
replaying a new tenant migration's SQL in every schema, with the normal executor as fallback."""

import itertools
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

import tenants.migrating as migrating
from tenants.migrating import migrate_tenant_schemas, migration_nodes, missing_migrations

pytestmark = pytest.mark.django_db

SCHEMAS = ["tenant_template", "kota_malang", "kota_batu"]
_packages = itertools.count()

NEW_MIGRATION = """from django.db import migrations, models


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("workspace", "{leaf}")]
    operations = [
        migrations.AddField(
            "document", "catatan_uji", models.CharField(max_length=20, default="", db_index=True)
        ),
        {extra}
    ]
"""


@pytest.fixture
def new_tenant_migration(tmp_path, settings, monkeypatch):
    """A scratch copy of the workspace app's migrations plus one that adds a column, selected by
    MIGRATION_MODULES (the real app is never touched). Returns a function taking the extra
    operations' source."""
    from workspace import migrations as real

    def make(extra: str = "") -> tuple[str, str]:
        (leaf,) = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("workspace")
        package = f"scratch_workspace_migrations_{next(_packages)}"
        target = tmp_path / package
        target.mkdir()
        for path in Path(real.__file__).parent.glob("*.py"):
            shutil.copy(path, target / path.name)
        name = "9001_catatan_uji"
        (target / f"{name}.py").write_text(
            NEW_MIGRATION.format(leaf=leaf[1], extra=extra), encoding="utf-8"
        )
        monkeypatch.syspath_prepend(str(tmp_path))
        settings.MIGRATION_MODULES = {"workspace": package}
        return ("workspace", name)

    return make


def _has_column(schema: str, column: str = "catatan_uji") -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'workspace_document' AND column_name = %s",
            [schema, column],
        )
        return cursor.fetchone() is not None


def _recorded(schema: str, node) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT 1 FROM "{schema}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
            list(node),
        )
        return cursor.fetchone() is not None


def _forget(schema: str, node) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',  # noqa: S608
            list(node),
        )


def test_up_to_date_schemas_lack_nothing():
    assert missing_migrations(["public", *SCHEMAS]) == {}
    report = migrate_tenant_schemas()
    assert report.checked >= 3 and report.up_to_date == report.checked
    assert not report.replayed and not report.executor


def test_the_check_finds_the_one_schema_lacking_a_migration_and_brings_it_up_to_date():
    node = ("sessions", "0001_initial")  # a shared app's: only its record in a tenant schema
    _forget("kota_batu", node)
    assert missing_migrations(["public", *SCHEMAS]) == {"kota_batu": {node}}
    report = migrate_tenant_schemas()
    assert report.executor == ["kota_batu"]
    assert _recorded("kota_batu", node)
    assert missing_migrations(SCHEMAS) == {}


def test_a_schema_without_migrations_table_or_schema_lacks_everything():
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "kosong_uji"')
    missing = missing_migrations(["kota_malang", "kosong_uji", "tidak_ada"])
    assert missing == {"kosong_uji": set(migration_nodes()), "tidak_ada": set(migration_nodes())}


def test_a_new_tenant_migration_is_replayed_in_every_schema_and_recorded(new_tenant_migration):
    node = new_tenant_migration()
    missing = missing_migrations(SCHEMAS)
    assert missing == {schema: {node} for schema in SCHEMAS}
    report = migrate_tenant_schemas()
    assert report.executor == []
    assert set(report.replayed) >= set(SCHEMAS)
    for schema in SCHEMAS:
        assert report.replayed[schema] == ["workspace.9001_catatan_uji"]
        assert _has_column(schema) and _recorded(schema, node)
    assert not _has_column("public")
    with connection.cursor() as cursor:  # the index came along (deferred SQL)
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'kota_batu' "
            "AND tablename = 'workspace_document' AND indexdef LIKE '%%catatan_uji%%'"
        )
        assert cursor.fetchone()[0] == 2  # the index and its LIKE variant
    assert missing_migrations(SCHEMAS) == {}
    assert migrate_tenant_schemas().up_to_date == len(migrating.region_schemas())


def test_a_migration_with_python_code_goes_through_the_normal_executor(new_tenant_migration):
    node = new_tenant_migration("migrations.RunPython(noop),")
    report = migrate_tenant_schemas(SCHEMAS)
    assert report.replayed == {}
    assert report.executor == sorted(SCHEMAS)
    for schema in SCHEMAS:
        assert _has_column(schema) and _recorded(schema, node)


def test_a_schema_where_the_replay_fails_is_migrated_by_the_executor(
    new_tenant_migration, monkeypatch
):
    node = new_tenant_migration()
    replay = migrating._replay

    def failing_in_batu(schema, statements, records):
        if schema == "kota_batu":
            raise DatabaseError("simulated")
        replay(schema, statements, records)

    monkeypatch.setattr(migrating, "_replay", failing_in_batu)
    report = migrate_tenant_schemas(SCHEMAS)
    assert report.executor == ["kota_batu"]
    assert set(report.replayed) == {"tenant_template", "kota_malang"}
    for schema in SCHEMAS:
        assert _has_column(schema) and _recorded(schema, node)


def test_bootstrap_only_checks_when_nothing_changed(monkeypatch):
    from django_tenants.management.commands import migrate_schemas

    runs = []
    monkeypatch.setattr(
        migrate_schemas.Command, "handle", lambda self, *args, **options: runs.append(options)
    )
    call_command("bootstrap_platform")
    assert runs == []


def test_bootstrap_migrates_public_and_region_schemas_that_lack_something():
    # The tenant app's newest migration: in public, only its record.
    (shared_record,) = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes(
        "workspace"
    )
    tenant_record = ("sessions", "0001_initial")
    _forget("public", shared_record)
    _forget("kota_malang", tenant_record)
    call_command("bootstrap_platform")
    assert _recorded("public", shared_record)
    assert _recorded("kota_malang", tenant_record)
    assert missing_migrations(["public", *SCHEMAS]) == {}
