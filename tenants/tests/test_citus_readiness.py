"""What Citus schema-based sharding (docker-compose.yml's `citus` profile, docs/scaling.md) needs
of Jejaring's schema, checked on the real migrated database: each region's schema is moved whole
to one worker node, so no foreign key may cross between a region's schema and any other schema
(tenant tables reference the public tables with db_constraint=False), keys are bigint, and the
public tables that may stay local to the coordinator (cache, sessions, task queue) are referenced
by no other table."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from tenants.models import Tenant

pytestmark = pytest.mark.django_db

# Written often, read by key, referenced by nothing: they may stay on the coordinator instead of
# being copied to every node as reference tables.
COORDINATOR_LOCAL = (
    "django_session",
    "jejaring_cache",
    "jejaring_counters",
    "django_tasks_database_dbtaskresult",
)


def region_schemas() -> list[str]:
    schemas = list(
        Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
    )
    assert settings.JEJARING_TEMPLATE_SCHEMA in schemas
    assert len(schemas) >= 3  # the template, Kota Malang, Kota Batu
    return schemas


def cross_schema_foreign_keys(schemas: list[str]) -> list[str]:
    """Foreign keys from or to one of `schemas` whose two tables are in different schemas."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT src_ns.nspname || '.' || src.relname || ' -> '
                   || dst_ns.nspname || '.' || dst.relname || ' (' || con.conname || ')'
            FROM pg_constraint con
            JOIN pg_class src ON src.oid = con.conrelid
            JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
            JOIN pg_class dst ON dst.oid = con.confrelid
            JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
            WHERE con.contype = 'f'
              AND (src_ns.nspname = ANY(%s) OR dst_ns.nspname = ANY(%s))
              AND src_ns.nspname <> dst_ns.nspname
            ORDER BY 1
            """,
            [schemas, schemas],
        )
        return [row[0] for row in cursor.fetchall()]


def test_no_foreign_key_crosses_a_region_schemas_boundary():
    assert cross_schema_foreign_keys(region_schemas()) == []


def test_the_check_finds_a_key_into_the_public_schema(malang):
    # As a tenant model with a plain ForeignKey to a public model would create it.
    with connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{malang.schema_name}".workspace_document ADD CONSTRAINT '
            "citus_probe FOREIGN KEY (area_id) REFERENCES public.tenants_region (code) NOT VALID"
        )
    assert cross_schema_foreign_keys(region_schemas()) == [
        f"{malang.schema_name}.workspace_document -> public.tenants_region (citus_probe)"
    ]


def test_region_tables_have_bigint_keys():
    """Citus wants big integer keys (a region's rows may move between nodes; no overflow).
    Generated keys only: a singleton's fixed key (agreements' reminder settings, id 1) is not."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name, c.data_type
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage k
              ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
            JOIN information_schema.columns c
              ON c.table_schema = k.table_schema AND c.table_name = k.table_name
             AND c.column_name = k.column_name
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = ANY(%s)
              AND (c.column_default LIKE 'nextval%%' OR c.is_identity = 'YES')
            """,
            [region_schemas()],
        )
        keys = cursor.fetchall()
    assert keys, "no generated primary key found in the region schemas"
    # django_migrations' own id is Django's (an integer serial): Citus copies it like any row.
    narrow = [
        name
        for name, kind in keys
        if kind != "bigint" and not name.endswith("django_migrations.id")
    ]
    assert narrow == []


def test_coordinator_local_tables_are_referenced_by_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT src.relname || ' -> ' || dst.relname
            FROM pg_constraint con
            JOIN pg_class src ON src.oid = con.conrelid
            JOIN pg_class dst ON dst.oid = con.confrelid
            JOIN pg_namespace ns ON ns.oid = dst.relnamespace
            WHERE con.contype = 'f' AND ns.nspname = 'public' AND dst.relname = ANY(%s)
              AND src.relname <> dst.relname
            """,
            [list(COORDINATOR_LOCAL)],
        )
        assert cursor.fetchall() == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
            [list(COORDINATOR_LOCAL)],
        )
        assert cursor.fetchone()[0] == len(COORDINATOR_LOCAL)
