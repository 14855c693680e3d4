"""A year filter with the default sort (newest first) reads only that year's records."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('public_registry', '0005_feed_and_facet_counts'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='publishedagreement',
            name='pubreg_year',
        ),
        migrations.AddIndex(
            model_name='publishedagreement',
            index=models.Index(fields=['signed_year', 'signed_on', 'id'], name='pubreg_year_signed'),
        ),
    ]
