"""Build the open-data files now (the worker does it every 15 minutes)."""

from django.core.management.base import BaseCommand

from opendata import building


class Command(BaseCommand):
    help = "Build the open-data files whose data changed (--force: all of them)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild every file.")

    def handle(self, *args, force: bool = False, **options):
        counts = building.refresh(force=force)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
