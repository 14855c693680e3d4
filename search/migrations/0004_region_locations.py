"""Region coordinates as data. This migration loaded the 240 seats that GeoNames' larger places
gave; 0009_region_locations_every_region now loads every region's seat (from
tenants/data/region-coordinates/), on new installations and existing ones alike, so this one
does nothing any more (its file, with a few wrong matches, is gone)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]

    operations = []
