"""Typo tolerance as Elasticsearch's `fuzziness: AUTO` (search/spelling.py): fuzzystrmatch's
levenshtein_less_equal in the public schema (created from this SHARED app, like pg_trgm in
0001), and the vocabulary indexed by (first letter, length) instead of by trigrams, which miss
swapped letters and short words."""

import django.db.models.functions.text
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_synonym_region"),
    ]

    operations = [
        CreateExtension("fuzzystrmatch"),
        migrations.RemoveIndex(model_name="searchterm", name="search_term_trgm"),
        migrations.AddIndex(
            model_name="searchterm",
            index=models.Index(
                django.db.models.functions.text.Left("word", 1),
                django.db.models.functions.text.Length("word"),
                name="search_term_first_length",
            ),
        ),
    ]
