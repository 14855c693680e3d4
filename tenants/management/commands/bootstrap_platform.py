from django.core.management.base import BaseCommand

from tenants.provisioning import ensure_public_tenant, ensure_template


class Command(BaseCommand):
    help = (
        "Create (or update) the platform's public tenant and domain, and the migrated template "
        "schema that new regions are cloned from. Idempotent."
    )

    def handle(self, *args, **options):
        public = ensure_public_tenant()
        ensure_template(verbosity=max(0, options["verbosity"] - 1))
        self.stdout.write(
            f"Platform at {public.get_primary_domain().domain}; template schema ready."
        )
