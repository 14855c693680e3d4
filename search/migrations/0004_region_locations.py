"""Region coordinates as data: the seats matched in GeoNames (CC-BY 4.0) by
`manage.py match_region_coordinates` (search/geo.py). Regions without a sure match are listed in
search/data/region_coordinates_unmatched.csv and get no row."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "region_coordinates.csv"


def load(apps, schema_editor):
    Region = apps.get_model("tenants", "Region")
    RegionLocation = apps.get_model("search", "RegionLocation")
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    known = set(Region.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True))
    RegionLocation.objects.bulk_create(
        [
            RegionLocation(
                region_id=row["code"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                geonames_id=int(row["geonames_id"]),
                place_name=row["place"],
            )
            for row in rows
            if row["code"] in known
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
