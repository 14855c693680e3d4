"""Since when each withheld item of a record is withheld (shown with every version the public
reads: public_registry/withheld.py). Existing records take it from their versions: an item is
withheld since the first version of the unbroken run of versions, ending with the latest, that
withheld it."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    PublishedAgreement = apps.get_model("public_registry", "PublishedAgreement")
    PublishedVersion = apps.get_model("public_registry", "PublishedVersion")
    records = PublishedAgreement.objects.exclude(withheld_fields=[], documents_withheld=False)
    for record in records.iterator():
        names = list(record.withheld_fields) + (["documents"] if record.documents_withheld else [])
        versions = list(
            PublishedVersion.objects.filter(record_id=record.pk)
            .order_by("number")
            .values_list("published_at", "snapshot")
        )
        since = {}
        for name in names:
            start = None
            for published_at, snapshot in versions:
                note = (snapshot or {}).get("withheld") or {}
                held = (
                    bool(note.get("documents"))
                    if name == "documents"
                    else name in (note.get("fields") or ())
                )
                if held and start is None:
                    start = published_at
                elif not held:
                    start = None
            since[name] = (start or record.modified_at).isoformat()
        record.withheld_since = since
        record.save(update_fields=["withheld_since"])


class Migration(migrations.Migration):
    dependencies = [
        ("public_registry", "0003_last_monitored_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedagreement",
            name="withheld_since",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
