# Runs in every region's schema (and the template). Both columns have a constant default, which
# PostgreSQL (11+) stores in the catalogue: adding them rewrites no table. No index: a region's
# archive is small and is always read filtered by the reader's rule.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="restricted",
            field=models.BooleanField(default=False, verbose_name="restricted"),
        ),
        migrations.AddField(
            model_name="document",
            name="uploaded_by_opd",
            field=models.CharField(blank=True, default="", max_length=150),
        ),
    ]
