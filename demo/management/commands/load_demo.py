from django.core.management.base import BaseCommand

from demo.loader import load


class Command(BaseCommand):
    help = (
        "Load the demo: regions and accounts of every role, then each feature's scenarios "
        "(idempotent; keeps existing data)."
    )

    def handle(self, *args, **options):
        load(stdout=self.stdout)
