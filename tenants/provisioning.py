"""Creating a region's schema fast: clone a migrated template schema.

Measured on the 2-core development machine (bench/provision.py, figures in the README): cloning
the template is several times faster than running the tenant migrations, because `migrate` has
to load and render the migration graph of every installed app (Wagtail's alone is hundreds of
migrations) even when the tenant schema itself is lean.

The template is a real tenant (`JEJARING_TEMPLATE_SCHEMA`, no region, no domain), so
`migrate_schemas` keeps it current like any other schema; provisioning refuses to clone a stale
template rather than producing a schema that claims migrations it lacks.

Rule for tenant-app migrations (a trap of cloning): a clone names unique constraints with
PostgreSQL's defaults, so a migration must never drop or rename a constraint by the name Django
generated. Use `RunSQL` with `IF EXISTS` for both names if that is ever needed.

The clone function is installed once, not per clone: django-tenants' `CloneSchema` drops and
re-creates its PL/pgSQL functions (4,000 lines) on every call. Each re-creation gets a new function
OID, and PostgreSQL's PL/pgSQL keeps the compiled copy of every OID it ran, with its cached plans,
for the life of the backend: about 11 MB per region, measured with `pg_backend_memory_contexts`,
so one process onboarding all 546 regions grew its backend past 3 GB (a fresh process was fast
again: the likely reason for each region being slower than the one before is that every catalog
invalidation, and a clone causes many, is checked against all those stale cached plans). The
installed function carries a version marker (a hash of django-tenants' SQL) in its comment; it is
re-created only when that marker differs (a new django-tenants release). Installed once, its
plans are cached, so it runs with custom plans only (see `ensure_clone_function`).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.clone import CLONE_SCHEMA_FUNCTION, CloneSchema
from django_tenants.utils import get_public_schema_name, schema_exists

from core.tenancy import connection

from .models import Domain, Tenant


class TemplateNotReady(RuntimeError):
    pass


def template_schema() -> str:
    return settings.JEJARING_TEMPLATE_SCHEMA


def ensure_public_tenant() -> Tenant:
    """The public schema's tenant row and the platform's domain (the base domain)."""
    public, _ = Tenant.objects.get_or_create(
        schema_name=get_public_schema_name(), defaults={"name": "Jejaring"}
    )
    Domain.objects.update_or_create(
        tenant=public, is_primary=True, defaults={"domain": settings.JEJARING_BASE_DOMAIN}
    )
    return public


def ensure_template(verbosity: int = 0) -> Tenant:
    """Create the template schema that new regions are cloned from, or bring it up to date.
    Does nothing (beyond one check) when it is already current."""
    template, _ = Tenant.objects.get_or_create(
        schema_name=template_schema(), defaults={"name": "Template ruang kerja"}
    )
    if not schema_exists(template.schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(template.schema_name)}")
    if template_missing_migrations():
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=template.schema_name,
            interactive=False,
            verbosity=verbosity,
        )
        connection.set_schema_to_public()
    return template


@functools.cache
def _migration_nodes() -> frozenset[tuple[str, str]]:
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def template_missing_migrations() -> set[tuple[str, str]]:
    if not schema_exists(template_schema()):
        return set(_migration_nodes())
    schema = connection.ops.quote_name(template_schema())  # a setting, quoted
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{schema}.django_migrations"])
        if cursor.fetchone()[0] is None:  # a schema created but never migrated
            return set(_migration_nodes())
        cursor.execute(f"SELECT app, name FROM {schema}.django_migrations")  # noqa: S608
        applied = set(cursor.fetchall())
    return set(_migration_nodes()) - applied


# Changes whenever django-tenants ships a different clone function, or the way it is installed
# here changes (hex and a version: safe to inline in SQL).
CLONE_FUNCTION_MARKER = (
    "jejaring clone_schema v2 " + hashlib.sha256(CLONE_SCHEMA_FUNCTION.encode()).hexdigest()[:16]
)
_CLONE_FUNCTION_LOCK = 0x4A454A41  # pg_advisory_xact_lock key: "JEJA"


def installed_clone_function_marker() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname = 'clone_schema'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def ensure_clone_function() -> bool:
    """Install django-tenants' clone function in the public schema unless this version is
    already there. One catalog query when it is; returns True when it (re-)created it."""
    if installed_clone_function_marker() == CLONE_FUNCTION_MARKER:
        return False
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Two processes provisioning their first region at once: the second waits here and
            # then sees the first one's function.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLONE_FUNCTION_LOCK])
            if installed_clone_function_marker() == CLONE_FUNCTION_MARKER:
                return False
            CloneSchema._create_clone_schema_function(_InstalledCloneSchema())
            signature = "public.clone_schema(text, text, public.cloneparms[])"
            # Created once, the function keeps its cached plans, and after five runs of a
            # statement PostgreSQL may switch it to a generic plan, blind to the schema names it
            # is given. For the catalog queries in this function those plans degrade with every
            # schema in the database: measured here, the third clone in one connection took
            # 30 s instead of 0.2 s with 274 regions. Custom plans keep each clone flat.
            cursor.execute(f"ALTER FUNCTION {signature} SET plan_cache_mode = force_custom_plan")
            cursor.execute(f"COMMENT ON FUNCTION {signature} IS '{CLONE_FUNCTION_MARKER}'")
    return True


class _InstalledCloneSchema(CloneSchema):
    """django-tenants' CloneSchema (its checks and its call), with the function installed once
    instead of dropped and re-created on every clone."""

    def _create_clone_schema_function(self):
        ensure_clone_function()


def clone_schema(schema_name: str) -> None:
    """Create `schema_name` as a copy of the template (tables, and the migration records)."""
    missing = template_missing_migrations()
    if missing:
        raise TemplateNotReady(
            f"The template schema {template_schema()!r} lacks {len(missing)} migration(s); "
            "run `python manage.py migrate_schemas --tenant` (or `make migrate`) first."
        )
    _InstalledCloneSchema().clone_schema(template_schema(), schema_name, "DATA")
    connection.set_schema_to_public()


def migrate_schema(schema_name: str) -> None:
    """The slower alternative, kept for the benchmark's baseline: CREATE SCHEMA + migrations."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    call_command(
        "migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0
    )
    connection.set_schema_to_public()


def drop_orphan_schema(schema_name: str) -> bool:
    """Drop a schema no tenant owns (left by a crash outside a transaction) so a retry works."""
    if schema_exists(schema_name) and not Tenant.objects.filter(schema_name=schema_name).exists():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema_name}" CASCADE')
        return True
    return False
