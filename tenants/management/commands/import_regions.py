from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from tenants.models import Region
from tenants.region_codes import AREA_LEVELS, LEVELS, TENANT_LEVELS, count_rows, upsert_level


class Command(BaseCommand):
    help = (
        "Import kecamatan and desa/kelurahan (and refresh provinces and kabupaten/kota) from the "
        "shipped idn-area-data files. Idempotent: re-running updates names, creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--level",
            choices=[*LEVELS, "all"],
            default="all",
            help="Import one level only (default: all four, top down).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, level, no_progress, **options):
        levels = [*TENANT_LEVELS, *AREA_LEVELS] if level == "all" else [level]
        total = 0
        with transaction.atomic():
            for name in levels:
                with tqdm(
                    total=count_rows(name),
                    desc=name,
                    unit=" wilayah",
                    disable=no_progress,
                    file=self.stderr._out,
                ) as bar:
                    total += upsert_level(Region, name, on_batch=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} regions imported; the registry holds {Region.objects.count()}."
            )
        )
