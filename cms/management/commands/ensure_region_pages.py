from django.core.management.base import BaseCommand

from cms.pages import ensure_region_page
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Give every region on the platform its section of the public portal (idempotent)."

    def handle(self, *args, **options):
        created = 0
        for tenant in Tenant.objects.regions().filter(region__public_page__isnull=True):
            ensure_region_page(tenant.region)
            created += 1
        if options["verbosity"] > 1 or created:
            self.stdout.write(f"{created} region page(s) created.")
