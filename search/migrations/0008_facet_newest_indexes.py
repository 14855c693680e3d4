"""The facet filters indexed with the recency order (issue 19): a search with no words, or a
word within a filter, walks `(facet, published_at DESC, object_id DESC)` and stops at the
counting cap instead of scanning the table. Built CONCURRENTLY (no write lock on a large index;
hence not atomic). The region's index replaces the plain one on region_code."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


def _newest(column: str, name: str) -> models.Index:
    return models.Index(
        fields=["doc_type", column, "-published_at", "-object_id"], name=f"search_doc_{name}_newest"
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0007_vocabulary_edit_distance"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="searchdocument",
            index=models.Index(
                fields=["region_code", "doc_type", "-published_at", "-object_id"],
                name="search_doc_region_newest",
            ),
        ),
        RemoveIndexConcurrently(model_name="searchdocument", name="search_doc_region"),
        AddIndexConcurrently(
            model_name="searchdocument", index=_newest("province_code", "province")
        ),
        AddIndexConcurrently(model_name="searchdocument", index=_newest("region_kind", "rkind")),
        AddIndexConcurrently(model_name="searchdocument", index=_newest("kind", "kind")),
        AddIndexConcurrently(model_name="searchdocument", index=_newest("sector", "sector")),
        AddIndexConcurrently(model_name="searchdocument", index=_newest("urusan", "urusan")),
    ]
