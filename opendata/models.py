"""The open-data files as built (public schema).

Every download the catalogue lists is a file the worker built (opendata/building.py), never a
query run per catalogue request: its SHA-256, size and row count are computed once, when it is
written, and kept here with the fingerprint of the data it was built from. The catalogue (the
DCAT-AP graph, the CKAN API, the open-data pages) reads only these rows.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


class BuiltFile(models.Model):
    """One built download of one dataset: its CSV or JSON, or a yearly snapshot's."""

    # The dataset's name (also its CKAN name): "kerja-sama", "kerja-sama-35-73", "wilayah"...
    dataset = models.CharField(max_length=100)
    # The file's public name, unique over the catalogue: "kerja-sama.csv",
    # "kerja-sama-tahun-2024.json". Served at /data/unduh/<name>.
    name = models.CharField(max_length=120, unique=True)
    fmt = models.CharField(max_length=8)
    # A yearly snapshot of the registry (agreements signed that year), or none.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The fingerprint of the data the file was built from (sources.py): a file is rebuilt only
    # when it changes, and replaced only when its content changed.
    fingerprint = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField()
    # Where the bytes are, relative to the open-data storage (building.storage()).
    path = models.CharField(max_length=300)
    # When the content last changed (a rebuild with the same bytes keeps it): the
    # distribution's dct:modified and the CKAN resource's last_modified.
    modified_at = models.DateTimeField()
    # When the fingerprint was last checked against the data.
    checked_at = models.DateTimeField()
    # The temporal coverage of the rows (the registry: the signing dates).
    data_start = models.DateField(null=True, blank=True)
    data_end = models.DateField(null=True, blank=True)
    # The regions whose own content the file shows (the listings' publishers, the regions on
    # Jejaring): a file naming a region hidden since is not served until rebuilt.
    shows_regions = ArrayField(models.CharField(max_length=13), default=list, blank=True)
    # A yearly snapshot: the change feed's cursor a mirror continues from after loading it.
    feed_cursor = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["dataset", "name"]
        indexes = [models.Index(fields=["dataset"], name="opendata_file_dataset")]

    def __str__(self) -> str:
        return self.name
