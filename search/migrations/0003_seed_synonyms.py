"""The first synonyms: words that regions and their partners use for the same thing, in
Indonesian, regional usage and English (search.models.Synonym)."""

from django.db import migrations

SEED = [
    "tempe, tempeh",
    "wijen, sesame, bijan",
    "kedelai, kedele, soybean, soya",
    "kopi, coffee",
    "beras, rice",
    "jagung, maize, corn",
    "garam, salt",
    "ikan, fish",
    "udang, shrimp, prawn",
    "rumput laut, seaweed",
    "sapi, cattle",
    "kerajinan, craft, handicraft",
    "wisata, pariwisata, tourism",
    "investasi, penanaman modal, investment",
    "lahan, tanah, land",
    "pelatihan, training, diklat",
    "sampah, limbah, waste",
    "air bersih, clean water",
    "banjir, flood",
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for words in SEED:
        Synonym.objects.get_or_create(words=words)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_documents_outbox_synonyms_locations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
