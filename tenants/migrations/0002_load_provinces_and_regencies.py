from django.db import migrations


def load(apps, schema_editor):
    from tenants.registry import TENANT_LEVELS, upsert_level

    Region = apps.get_model("tenants", "Region")
    for level in TENANT_LEVELS:
        upsert_level(Region, level)


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
