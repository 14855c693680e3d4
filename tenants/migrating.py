"""Keeping 552 schemas migrated without paying 552 times for Django's migration machinery.

`migrate_schemas --tenant` runs the whole `migrate` command once per schema: it loads the
migration graph, reads the schema's `django_migrations`, renders project state and sends
`post_migrate`, about 0.1 s per schema even when there is nothing to do (a minute with every
region onboarded, on every `make run`). Two shortcuts, both falling back to that command:

- **The no-op check** (`missing_migrations`): every schema's `django_migrations` is compared with
  the migration graph in one SQL query (a UNION ALL over the schemas, each branch an anti-join
  against the graph's nodes), so only the schemas that lack something are migrated at all.
  Every schema is expected to record every node of the graph, as `migrate_schemas` leaves it:
  tenant schemas record the shared apps' migrations too (the router makes them no-ops there),
  and the public schema records the tenant apps' ones.
- **Replaying the SQL** (`migrate_tenant_schemas`): the schemas that miss the same migrations
  form a group. Each missing migration is rendered to SQL once, in one schema of the group
  (`Migration.apply(collect_sql=True)`, what `sqlmigrate` does), and replayed in every schema of
  the group with the search path set, together with its `django_migrations` row, each schema in
  its own transaction. A migration that does not reduce to SQL in a tenant app (`RunPython`), a
  non-atomic one, or one whose SQL differs between two schemas of the group (Django introspected
  something that differs, such as constraint names of clones against migrated schemas) goes
  through the normal executor instead, and so does any schema where the replay fails.

The template schema keeps going through the normal executor (`ensure_template`); it is one schema
and it is what regions are cloned from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django_tenants.utils import get_public_schema_name

from core.tenancy import connection

Node = tuple[str, str]


def migration_nodes() -> frozenset[Node]:
    """Every node of the migration graph, read from disk (not cached: settings may change the
    migration modules, as the scale benchmark does)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def tenant_app_labels() -> frozenset[str]:
    names = set(settings.TENANT_APPS) - set(settings.SHARED_APPS)
    return frozenset(
        config.label
        for config in apps.get_app_configs()
        if config.name in names or config.label in names
    )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def missing_migrations(
    schemas: list[str], nodes: frozenset[Node] | None = None
) -> dict[str, set[Node]]:
    """The graph nodes each schema lacks, for the schemas that lack any, in one query (plus one
    for which schemas have a `django_migrations` table at all: a schema without one, or without
    the schema itself, lacks everything)."""
    nodes = migration_nodes() if nodes is None else nodes
    if not schemas:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
            "WHERE c.relname = 'django_migrations' AND c.relkind IN ('r', 'p') "
            "AND n.nspname = ANY(%s)",
            [list(schemas)],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        result = {schema: set(nodes) for schema in schemas if schema not in with_table}
        checked = [schema for schema in schemas if schema in with_table]
        if checked and nodes:
            ordered = sorted(nodes)
            branches = " UNION ALL ".join(
                f"SELECT %s, e.app, e.name FROM expected e WHERE NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {_q(schema)}.django_migrations m "
                "WHERE m.app = e.app AND m.name = e.name)"
                for schema in checked
            )
            expected = (
                "WITH expected(app, name) AS MATERIALIZED "
                "(SELECT * FROM unnest(%s::text[], %s::text[])) "
            )
            query = expected + branches  # noqa: S608 -- quoted schema names
            cursor.execute(
                query,
                [[app for app, _ in ordered], [name for _, name in ordered], *checked],
            )
            for schema, app, name in cursor.fetchall():
                result.setdefault(schema, set()).add((app, name))
    return result


def region_schemas() -> list[str]:
    """Every tenant schema except the public one (the template included)."""
    from .models import Tenant

    return list(
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


@dataclass
class MigrationReport:
    checked: int = 0
    up_to_date: int = 0
    replayed: dict[str, list[str]] = field(default_factory=dict)  # schema -> migrations
    executor: list[str] = field(default_factory=list)  # schemas given to migrate_schemas

    def __str__(self) -> str:
        return (
            f"{self.checked} schemas checked, {self.up_to_date} up to date, "
            f"{len(self.replayed)} brought up to date by replaying SQL, "
            f"{len(self.executor)} by migrate_schemas"
        )


def _replayable(migration, tenant_labels: frozenset[str]) -> bool:
    if not migration.atomic:
        return False
    if migration.app_label not in tenant_labels:
        return True  # the router makes every operation a no-op in a tenant schema
    return all(_reduces_to_sql(operation) for operation in migration.operations)


def _reduces_to_sql(operation) -> bool:
    inner = getattr(operation, "database_operations", None)  # SeparateDatabaseAndState
    if inner is not None:
        return all(_reduces_to_sql(op) for op in inner)
    return operation.reduces_to_sql


def _render(migration, state: ProjectState, schema: str) -> tuple[list[str], ProjectState]:
    """The migration's SQL as rendered in `schema`, and the project state after it."""
    connection.set_schema(schema)
    with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
        new_state = migration.apply(state.clone(), editor, collect_sql=True)
    statements = [
        sql for sql in editor.collected_sql if sql.strip() and not sql.lstrip().startswith("--")
    ]
    return statements, new_state


def _recorded_names(migration) -> list[Node]:
    # What MigrationExecutor.record_migration and check_replacements leave behind for a squash.
    if migration.replaces:
        return [*migration.replaces, (migration.app_label, migration.name)]
    return [(migration.app_label, migration.name)]


def _replay(schema: str, statements: list[str], records: list[Node]) -> None:
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL search_path = {_q(schema)}, public")
        for sql in statements:
            cursor.execute(sql)
        for app, name in records:
            cursor.execute(
                f"INSERT INTO {_q(schema)}.django_migrations (app, name, applied) "  # noqa: S608
                "SELECT %s, %s, now() WHERE NOT EXISTS (SELECT 1 FROM "
                f"{_q(schema)}.django_migrations WHERE app = %s AND name = %s)",
                [app, name, app, name],
            )


def _run_executor(schemas: list[str], verbosity: int) -> None:
    for schema in schemas:
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=schema,
            interactive=False,
            verbosity=verbosity,
        )
    connection.set_schema_to_public()


def migrate_tenant_schemas(
    schemas: list[str] | None = None, *, verbosity: int = 0, replay: bool = True
) -> MigrationReport:
    """Bring the tenant schemas (by default every tenant's but the public one) up to date:
    nothing but one query when they are; otherwise replay each missing migration's SQL, or run
    `migrate_schemas` where that is not safe."""
    schemas = region_schemas() if schemas is None else list(schemas)
    nodes = migration_nodes()
    report = MigrationReport(checked=len(schemas))
    missing = missing_migrations(schemas, nodes)
    report.up_to_date = len(schemas) - len(missing)
    if not missing:
        return report
    groups: dict[frozenset[Node], list[str]] = {}
    for schema in schemas:
        if missing.get(schema):
            groups.setdefault(frozenset(missing[schema]), []).append(schema)
    tenant_labels = tenant_app_labels()
    fallback: list[str] = []
    try:
        for lacking, group in groups.items():
            # A single schema, or one that lacks everything (a new or never migrated schema, or
            # no schema at all): the normal executor.
            if not replay or len(group) < 2 or lacking == nodes:
                fallback += group
                continue
            fallback += _replay_group(group, lacking, tenant_labels, report)
    finally:
        connection.set_schema_to_public()
    if fallback:
        report.executor = sorted(set(fallback))
        _run_executor(report.executor, verbosity)
    return report


def _replay_group(
    group: list[str], lacking: frozenset[Node], tenant_labels: frozenset[str], report
) -> list[str]:
    """Replay the group's missing migrations; return the schemas left for the executor."""
    connection.set_schema(group[0])
    executor = MigrationExecutor(connection)  # reads group[0]'s django_migrations
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connection.set_schema_to_public()
    recorded = {node for migration, _ in plan for node in _recorded_names(migration)}
    if (
        not plan
        or any(backwards for _, backwards in plan)
        or not lacking <= recorded  # squashes and replacements: the executor's business
        or not all(_replayable(migration, tenant_labels) for migration, _ in plan)
    ):
        return group
    try:
        state = executor.loader.project_state((plan[0][0].app_label, plan[0][0].name), at_end=False)
    except Exception:  # noqa: BLE001 -- cannot render: leave it to the normal executor
        return group
    remaining = list(group)
    failed: list[str] = []
    for migration, _ in plan:
        try:
            statements, next_state = _render(migration, state, remaining[0])
            if len(remaining) > 1:
                # Rendered in a second schema too: SQL that depends on introspection (constraint
                # names) must not be replayed where it would mean something else.
                other, _ = _render(migration, state, remaining[-1])
                if other != statements:
                    return failed + remaining
        except Exception:  # noqa: BLE001 -- the executor will report it properly
            return failed + remaining
        finally:
            connection.set_schema_to_public()
        state = next_state
        records = _recorded_names(migration)
        still: list[str] = []
        for schema in remaining:
            try:
                _replay(schema, statements, records)
            except DatabaseError:
                failed.append(schema)
                continue
            report.replayed.setdefault(schema, []).append(f"{migration.app_label}.{migration.name}")
            still.append(schema)
        remaining = still
        if not remaining:
            break
    return failed
