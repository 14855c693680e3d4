"""Every region on the map: the seats of all 546 provinces, kabupaten and kota, from
tenants/data/region-coordinates/region_coordinates.csv (written by `manage.py
match_region_coordinates`, search/geo.py; sources, method and licences in the README beside it).

A location may now come from geografis rather than GeoNames (no GeoNames id), and says which and
how. `load` makes the table equal to the file: it runs on new installations (after 0004, whose
240 GeoNames rows it corrects and completes) and on existing ones (`bootstrap_platform` applies
it); a region the file no longer places loses its row rather than keep a wrong one. The test
session's `committed_platform` calls it again after a flush."""

import csv
from pathlib import Path

from django.db import migrations, models

CSV = (
    Path(__file__).resolve().parent.parent.parent
    / "tenants"
    / "data"
    / "region-coordinates"
    / "region_coordinates.csv"
)


def load(apps, schema_editor):
    Region = apps.get_model("tenants", "Region")
    RegionLocation = apps.get_model("search", "RegionLocation")
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    known = set(
        Region.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)
    )
    wanted = [
        RegionLocation(
            region_id=row["code"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            place_name=row["place"],
            geonames_id=int(row["geonames_id"]) if row["geonames_id"] else None,
            source=row["source"],
            method=row["method"],
        )
        for row in rows
        if row["code"] in known
    ]
    RegionLocation.objects.exclude(region_id__in=known).delete()
    RegionLocation.objects.bulk_create(
        wanted,
        update_conflicts=True,
        unique_fields=["region"],
        update_fields=["latitude", "longitude", "place_name", "geonames_id", "source", "method"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_facet_newest_indexes"),
        ("tenants", "0002_load_provinces_and_regencies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="regionlocation",
            name="geonames_id",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="regionlocation",
            name="source",
            field=models.CharField(
                choices=[("geonames", "GeoNames"), ("geografis", "geografis")],
                default="geonames",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="regionlocation",
            name="method",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
