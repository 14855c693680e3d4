from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name

from tenants.migrating import migrate_tenant_schemas, migration_nodes, missing_migrations
from tenants.provisioning import ensure_public_tenant, ensure_template


class Command(BaseCommand):
    help = (
        "Bring the platform up to date in one process: migrate the public schema, create the cache "
        "table, create or update the public tenant and its domain and the template schema that new "
        "regions are cloned from, then migrate every region's schema and make sure each region "
        "has its section of the public portal. Idempotent. When nothing changed it only checks, "
        "in one query over every schema's django_migrations (tenants/migrating.py)."
    )

    def handle(self, *args, **options):
        verbosity = max(0, options["verbosity"] - 1)
        if missing_migrations([get_public_schema_name()], migration_nodes()):
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        call_command("createcachetable", verbosity=verbosity)
        public = ensure_public_tenant()
        ensure_template(verbosity=verbosity)
        report = migrate_tenant_schemas(verbosity=verbosity)
        if verbosity:
            self.stdout.write(f"Tenant schemas: {report}.")
        # Regions that joined before the portal had a section per region get theirs now.
        call_command("ensure_region_pages", verbosity=verbosity)
        self.stdout.write(
            f"Platform at {public.get_primary_domain().domain}; template and regions migrated."
        )
