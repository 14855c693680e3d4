"""The pairs of regions that cooperate, counted as publications write (issue 19): the platform
overview's top pairs no longer pair every record's regions after each publication.
`PairDelta` gets one row per pair whose count a statement changed (statement-level triggers
over the transition tables, as migration 0005 does for the facet counts); `PairTotal` holds
the folded sums (selectors.top_pairs)."""

from django.db import migrations, models

# A record's pairs: each two of its regions once, the smaller code first.
PAIRS = (
    "LATERAL (SELECT DISTINCT x.c || '|' || y.c AS k FROM unnest(r.region_codes) AS x(c), "
    "unnest(r.region_codes) AS y(c) WHERE x.c < y.c) AS p"
)

PAIRS_SQL = f"""
CREATE FUNCTION public_registry_count_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public_registry_pairdelta (key, n)
        SELECT p.k, count(*) FROM new_rows r, {PAIRS} GROUP BY p.k;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public_registry_pairdelta (key, n)
        SELECT p.k, -count(*) FROM old_rows r, {PAIRS} GROUP BY p.k;
    ELSE
        INSERT INTO public_registry_pairdelta (key, n)
        SELECT k, sum(d) FROM (
            SELECT p.k, 1 AS d FROM new_rows r, {PAIRS}
            UNION ALL SELECT p.k, -1 FROM old_rows r, {PAIRS}
        ) AS changes GROUP BY k HAVING sum(d) <> 0;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER public_registry_pairs_inserted AFTER INSERT ON public_registry_publishedagreement
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_pairs();
CREATE TRIGGER public_registry_pairs_updated AFTER UPDATE ON public_registry_publishedagreement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_pairs();
CREATE TRIGGER public_registry_pairs_deleted AFTER DELETE ON public_registry_publishedagreement
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_pairs();
CREATE FUNCTION public_registry_pairs_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public_registry_pairdelta;
    DELETE FROM public_registry_pairtotal;
    RETURN NULL;
END $$;
CREATE TRIGGER public_registry_pairs_truncated AFTER TRUNCATE
    ON public_registry_publishedagreement
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_pairs_truncated();
INSERT INTO public_registry_pairtotal (key, n)
    SELECT p.k, count(*) FROM public_registry_publishedagreement r, {PAIRS} GROUP BY p.k;
"""

UNDO_SQL = """
DROP TRIGGER public_registry_pairs_inserted ON public_registry_publishedagreement;
DROP TRIGGER public_registry_pairs_updated ON public_registry_publishedagreement;
DROP TRIGGER public_registry_pairs_deleted ON public_registry_publishedagreement;
DROP FUNCTION public_registry_count_pairs();
DROP TRIGGER public_registry_pairs_truncated ON public_registry_publishedagreement;
DROP FUNCTION public_registry_pairs_truncated();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('public_registry', '0006_year_signed_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='PairDelta',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=32)),
                ('n', models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='PairTotal',
            fields=[
                ('key', models.CharField(max_length=32, primary_key=True, serialize=False)),
                ('n', models.IntegerField()),
            ],
            options={
                'indexes': [models.Index(models.OrderBy(models.F('n'), descending=True), models.F('key'), name='pubreg_pair_top')],
            },
        ),
        migrations.RunSQL(PAIRS_SQL, UNDO_SQL),
    ]
