"""PostgreSQL extensions and the Indonesian text search configuration, created from a SHARED app
so they land in the public schema (created from a tenant app they would land in the first
tenant's schema and break every later tenant)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_CONFIG = """
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'indonesian_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION public.indonesian_unaccent (COPY = pg_catalog.indonesian);
        ALTER TEXT SEARCH CONFIGURATION public.indonesian_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, indonesian_stem;
    END IF;
END $$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(
            CREATE_CONFIG, "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.indonesian_unaccent"
        ),
    ]
