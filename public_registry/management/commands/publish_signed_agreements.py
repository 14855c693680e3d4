from django.core.management.base import BaseCommand

from public_registry.publishing import publish_all_signed


class Command(BaseCommand):
    help = (
        "Publish every signed agreement that has no public record yet (signed before the public "
        "registry existed). Idempotent."
    )

    def handle(self, *args, **options):
        count = publish_all_signed()
        self.stdout.write(f"{count} agreement(s) published.")
