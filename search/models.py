"""Search bookkeeping in the public schema: the PostgreSQL backend's index of public listings,
the outbox of index work, the synonyms, the word list for typo tolerance and the regions'
coordinates (for "distance from a region")."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left, Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One publicly visible document (a published, valid listing) as the PostgreSQL backend
    indexes it. Rows are written in the same transaction as the listing they mirror
    (search/index.py), so what is unpublished is gone from search when its transaction commits.
    The facets are denormalised here so one scan of the matches counts them all."""

    doc_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    places = models.TextField(blank=True)
    language = models.CharField(max_length=2)
    kind = models.CharField(max_length=16)
    sector = models.CharField(max_length=1)
    urusan = models.CharField(max_length=5)
    region_code = models.CharField(max_length=13)
    province_code = models.CharField(max_length=2)
    region_kind = models.CharField(max_length=24)
    area_code = models.CharField(max_length=13, blank=True)
    published_at = models.DateTimeField()
    valid_from = models.DateField(null=True)
    valid_until = models.DateField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    search_vector = SearchVectorField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_doc_unique")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="search_doc_vector"),
            # The walk from the newest match down that stops at the counting cap
            # (backends/postgres.py: max_counted), in the order the results are counted.
            models.Index(
                fields=["doc_type", "-published_at", "-object_id"], name="search_doc_newest"
            ),
            # A filter with no words (or few matches of a word within it), newest first: each
            # facet column with the recency order, so "the newest in province X" is an index
            # scan that stops at the counting cap. The region's serves the region lifecycle's
            # lookups by region_code as well.
            models.Index(
                fields=["region_code", "doc_type", "-published_at", "-object_id"],
                name="search_doc_region_newest",
            ),
            *(
                models.Index(
                    fields=["doc_type", column, "-published_at", "-object_id"],
                    name=f"search_doc_{name}_newest",
                )
                for column, name in [
                    ("province_code", "province"),
                    ("region_kind", "rkind"),
                    ("kind", "kind"),
                    ("sector", "sector"),
                    ("urusan", "urusan"),
                ]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.object_id}"


class SearchTerm(models.Model):
    """The words of the indexed documents (lower-cased, unaccented, unstemmed): the vocabulary a
    misspelt query word is corrected against (backends/postgres.py, search/spelling.py). It
    grows with the language of the listings, not their number (tens of thousands of words
    where the documents are 100,000), so looking for a correction among it is fast where
    looking among the documents is not. The index on (first letter, length) gives the words a
    correction may be: the same first letter, a length within the edits allowed."""

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        indexes = [models.Index(Left("word", 1), Length("word"), name="search_term_first_length")]

    def __str__(self) -> str:
        return self.word


class Synonym(models.Model):
    """Words that mean the same to a searcher (`tempe, tempeh`), in any language a listing may
    be written in. Both backends use it (the PostgreSQL backend expands the query at once,
    Elasticsearch's analyzer carries it from the next rebuild, which a change enqueues).
    Platform staff and the regions' offices extend them on their synonyms page
    (search/views.py, search/synonyms.py); `tenant` is the region whose office added the group
    (empty for the platform's own), which decides who may remove it (tenants.policy)."""

    words = models.CharField(
        _("words"),
        max_length=300,
        help_text=_("Words that mean the same, separated by commas: tempe, tempeh"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["words"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.words.split(",") if w.strip()]


class IndexTaskQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True)

    def due(self, now=None):
        now = now or timezone.now()
        return self.pending().filter(next_attempt_at__lte=now)


class IndexTask(models.Model):
    """The outbox: one row per write to an indexed object, recorded in the writer's
    transaction, so the search server never misses an update. The worker applies the rows
    (search/index.py: apply_outbox) and retries with a growing delay while the server is down."""

    doc_type = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = IndexTaskQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(done_at__isnull=True),
                name="index_task_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.object_id} ({'done' if self.done_at else 'pending'})"


class RegionLocation(models.Model):
    """Where a province's, kabupaten's or kota's seat lies: a GeoNames place (CC BY 4.0) named
    like the seat and inside the region, else the seat's kecamatan or village in the geografis
    package (search/geo.py; tenants/data/region-coordinates/README.md). Regions without a sure
    match have no row: they are listed by `manage.py match_region_coordinates`, never guessed."""

    class Source(models.TextChoices):
        GEONAMES = "geonames", "GeoNames"
        GEOGRAFIS = "geografis", "geografis"

    region = models.OneToOneField(
        "tenants.Region", on_delete=models.CASCADE, primary_key=True, related_name="location"
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    place_name = models.CharField(max_length=120)
    geonames_id = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.GEONAMES)
    method = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.region_id} {self.place_name} ({self.latitude}, {self.longitude})"
