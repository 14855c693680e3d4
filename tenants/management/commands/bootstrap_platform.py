from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.provisioning import ensure_public_tenant, ensure_template


class Command(BaseCommand):
    help = (
        "Bring the platform up to date in one process: migrate the public schema, create the cache "
        "table, create or update the public tenant and its domain and the template schema that new "
        "regions are cloned from, then migrate every region's schema and make sure each region "
        "has its section of the public portal. Idempotent."
    )

    def handle(self, *args, **options):
        verbosity = max(0, options["verbosity"] - 1)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        call_command("createcachetable", verbosity=verbosity)
        public = ensure_public_tenant()
        ensure_template(verbosity=verbosity)
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)
        # Regions that joined before the portal had a section per region get theirs now.
        call_command("ensure_region_pages", verbosity=verbosity)
        self.stdout.write(
            f"Platform at {public.get_primary_domain().domain}; template and regions migrated."
        )
