"""Publications without a platform-wide lock, and facet counts that do not read every record.

- `feed_xid`, `feed_seq`: the change feed's position, the id of the transaction that last
  published a version and a sequence's number within it (set by a trigger; existing records
  keep 0 and come first, in id order).
- `FacetDelta`/`FacetTotal`: the counts of everything published per facet key, written by
  statement-level triggers as insert-only changes (publishing.py, models.FacetDelta).
"""

from django.db import migrations, models

FEED_SQL = """
CREATE SEQUENCE public_registry_feed_seq;
UPDATE public_registry_publishedagreement SET feed_seq = id;
SELECT setval('public_registry_feed_seq', greatest(max(id), 1))
    FROM public_registry_publishedagreement;
CREATE FUNCTION public_registry_feed_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.version IS DISTINCT FROM OLD.version
            OR NEW.modified_at IS DISTINCT FROM OLD.modified_at THEN
        NEW.feed_xid := pg_current_xact_id()::text::bigint;
        NEW.feed_seq := nextval('public_registry_feed_seq');
    ELSE
        NEW.feed_xid := OLD.feed_xid;
        NEW.feed_seq := OLD.feed_seq;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER public_registry_feed_xid BEFORE INSERT OR UPDATE
    ON public_registry_publishedagreement
    FOR EACH ROW EXECUTE FUNCTION public_registry_feed_xid();
"""

# A record's keys for the counts: its facet keys and the status part (the month a live
# record's term ends: the status itself moves with the date, selectors.facet_counts).
KEYS = (
    "unnest(r.facet_keys::text[] || CASE WHEN r.terminated THEN 'end:terminated' "
    "WHEN r.term_end IS NULL THEN 'end:open' ELSE 'end:' || to_char(r.term_end, 'YYYY-MM') END)"
)

COUNTS_SQL = f"""
CREATE FUNCTION public_registry_count_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public_registry_facetdelta (key, n)
        SELECT k, count(*) FROM new_rows r, {KEYS} AS k GROUP BY k;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public_registry_facetdelta (key, n)
        SELECT k, -count(*) FROM old_rows r, {KEYS} AS k GROUP BY k;
    ELSE
        INSERT INTO public_registry_facetdelta (key, n)
        SELECT k, sum(d) FROM (
            SELECT k, 1 AS d FROM new_rows r, {KEYS} AS k
            UNION ALL SELECT k, -1 FROM old_rows r, {KEYS} AS k
        ) AS changes GROUP BY k HAVING sum(d) <> 0;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER public_registry_count_inserted AFTER INSERT ON public_registry_publishedagreement
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_facets();
CREATE TRIGGER public_registry_count_updated AFTER UPDATE ON public_registry_publishedagreement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_facets();
CREATE TRIGGER public_registry_count_deleted AFTER DELETE ON public_registry_publishedagreement
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_facets();
CREATE FUNCTION public_registry_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public_registry_facetdelta;
    DELETE FROM public_registry_facettotal;
    RETURN NULL;
END $$;
CREATE TRIGGER public_registry_count_truncated AFTER TRUNCATE
    ON public_registry_publishedagreement
    FOR EACH STATEMENT EXECUTE FUNCTION public_registry_count_truncated();
INSERT INTO public_registry_facettotal (key, n)
    SELECT k, count(*) FROM public_registry_publishedagreement r, {KEYS} AS k GROUP BY k;
"""

UNDO_SQL = """
DROP TRIGGER public_registry_feed_xid ON public_registry_publishedagreement;
DROP FUNCTION public_registry_feed_xid();
DROP SEQUENCE public_registry_feed_seq;
DROP TRIGGER public_registry_count_inserted ON public_registry_publishedagreement;
DROP TRIGGER public_registry_count_updated ON public_registry_publishedagreement;
DROP TRIGGER public_registry_count_deleted ON public_registry_publishedagreement;
DROP FUNCTION public_registry_count_facets();
DROP TRIGGER public_registry_count_truncated ON public_registry_publishedagreement;
DROP FUNCTION public_registry_count_truncated();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('public_registry', '0004_withheld_since'),
    ]

    operations = [
        migrations.CreateModel(
            name='FacetDelta',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=220)),
                ('n', models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='FacetTotal',
            fields=[
                ('key', models.CharField(max_length=220, primary_key=True, serialize=False)),
                ('n', models.IntegerField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name='publishedagreement',
            name='pubreg_modified',
        ),
        migrations.AddField(
            model_name='publishedagreement',
            name='feed_xid',
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='publishedagreement',
            name='feed_seq',
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name='publishedagreement',
            index=models.Index(fields=['feed_xid', 'feed_seq'], name='pubreg_feed'),
        ),
        migrations.AddIndex(
            model_name='publishedagreement',
            index=models.Index(condition=models.Q(('terminated', False)), fields=['term_end'], name='pubreg_live_end'),
        ),
        migrations.RunSQL(FEED_SQL + COUNTS_SQL, UNDO_SQL),
    ]
