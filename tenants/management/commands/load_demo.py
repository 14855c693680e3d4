from django.core.management.base import BaseCommand

from tenants.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo regions and accounts (idempotent; keeps existing data)."

    def handle(self, *args, **options):
        load_demo(stdout=self.stdout)
