"""Building the open-data files (the worker's job, never a request's).

`refresh()` asks every part for its fingerprint (sources.all_parts: a few grouped queries) and
rebuilds only the parts whose fingerprint changed: it writes the CSV and the JSON in one pass
over the rows (the public downloads' own row builders and writers), hashing as it writes, and
records each file's SHA-256, size, rows, dates and the regions it shows (BuiltFile). A rebuild
whose bytes are the same keeps the file and its modification time, so a harvester sees a
dataset change only when its data did.

Files are stored under a name carrying their hash (a reader holding the previous row still
finds the previous file); files no row names any more are removed after an hour.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone

from core import downloads

from .models import BuiltFile
from .sources import Part, all_parts, hidden_codes, region_code_of

log = logging.getLogger(__name__)

FORMATS = ("csv", "json")
ORPHAN_AGE = 60 * 60  # seconds a replaced file stays for readers of the previous row
_LOCK = 0x6F706461  # "opda": one refresh at a time


def root() -> Path:
    return Path(getattr(settings, "OPENDATA_ROOT", Path(settings.MEDIA_ROOT) / "opendata"))


def storage() -> FileSystemStorage:
    return FileSystemStorage(location=root())


class _Tracker:
    """Passes rows through, noting their number, date range and the regions they show."""

    def __init__(self, part: Part):
        self.part = part
        self.rows = 0
        self.start = self.end = None
        self.regions: set[str] = set()

    def __call__(self, rows):
        column, shows = self.part.date_column, self.part.shows_region
        end_column = self.part.date_end_column or column
        for row in rows:
            self.rows += 1
            if column and row.get(column):
                day = str(row[column])[:10]
                self.start = min(self.start or day, day)
            if end_column and row.get(end_column):
                day = str(row[end_column])[:10]
                self.end = max(self.end or day, day)
            if shows:
                code = shows(row)
                if code:
                    self.regions.add(code)
            yield row


def _write(part: Part) -> tuple[dict[str, tuple[str, int, str]], _Tracker]:
    """Write the part's CSV and JSON to temporary files in one pass over its rows; returns
    {fmt: (sha256, size, temporary path)} and what the rows held."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    tracker = _Tracker(part)
    fields = list(part.fields)
    first, second = itertools.tee(tracker(part.rows()))
    streams = {
        "csv": downloads.csv_stream(first, fields),
        "json": downloads.json_stream({k: row[k] for k in fields} for row in second),
    }
    handles = {
        fmt: tempfile.NamedTemporaryFile(dir=folder, prefix=".build-", delete=False)
        for fmt in FORMATS
    }
    hashes = {fmt: hashlib.sha256() for fmt in FORMATS}
    sizes = dict.fromkeys(FORMATS, 0)
    try:
        # Alternating the two writers keeps tee's buffer at a row or two.
        for chunks in itertools.zip_longest(*(streams[f] for f in FORMATS)):
            for fmt, chunk in zip(FORMATS, chunks, strict=True):
                if chunk is None:
                    continue
                data = chunk.encode()
                handles[fmt].write(data)
                hashes[fmt].update(data)
                sizes[fmt] += len(data)
    finally:
        for handle in handles.values():
            handle.close()
    return {f: (hashes[f].hexdigest(), sizes[f], handles[f].name) for f in FORMATS}, tracker


def build(part: Part, existing: dict[str, BuiltFile] | None = None) -> list[BuiltFile]:
    """Build one part's files and record them; returns their rows."""
    existing = existing if existing is not None else {}
    cursor = part.feed_cursor() if part.feed_cursor else ""
    written, tracker = _write(part)
    now = timezone.now()
    built = []
    with transaction.atomic():
        for fmt, (sha256, size, temporary) in written.items():
            name = f"{part.stem}.{fmt}"
            path = f"files/{part.stem}-{sha256[:16]}.{fmt}"
            target = root() / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            row = existing.get(name) or BuiltFile(name=name)
            if row.pk is None or row.sha256 != sha256:
                # An unchanged file keeps its modification time, and the cursor of the build
                # that wrote it (an earlier place in the feed is still a correct one).
                row.modified_at = now
                row.feed_cursor = cursor
            row.dataset = part.dataset
            row.fmt = fmt
            row.year = part.year
            row.fingerprint = part.fingerprint or sha256
            row.sha256 = sha256
            row.size = size
            row.rows = tracker.rows
            row.path = path
            row.checked_at = now
            row.data_start = tracker.start
            row.data_end = tracker.end
            row.shows_regions = sorted(tracker.regions)
            row.save()
            built.append(row)
    return built


def refresh(*, force: bool = False) -> dict[str, int]:
    """Rebuild the parts whose data changed (all with `force`), drop the files of parts that
    are gone (a region hidden since, a dataset no more), remove orphaned files. One refresh at
    a time: another one running makes this one return at once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK])
        if not cursor.fetchone()[0]:
            return {"skipped": 1}
    # The rows link to the platform's pages: reverse them in its URL configuration (the worker
    # has no request, and the default one is a region's).
    previous = get_urlconf()
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)
    try:
        return _refresh(force=force)
    finally:
        set_urlconf(previous)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])


def _refresh(*, force: bool) -> dict[str, int]:
    files = {f.name: f for f in BuiltFile.objects.all()}
    parts = all_parts()
    wanted: set[str] = set()
    counts = {"built": 0, "unchanged": 0, "removed": 0}
    for part in parts:
        names = [f"{part.stem}.{fmt}" for fmt in FORMATS]
        wanted.update(names)
        current = [files.get(n) for n in names]
        fresh = all(
            f is not None
            and part.fingerprint is not None
            and f.fingerprint == part.fingerprint
            and (root() / f.path).exists()
            for f in current
        )
        if fresh and not force:
            counts["unchanged"] += 1
            continue
        build(part, files)
        counts["built"] += 1
    gone = [name for name in files if name not in wanted]
    if gone:
        counts["removed"] = BuiltFile.objects.filter(name__in=gone).delete()[0]
    _remove_orphans()
    return counts


def _remove_orphans() -> None:
    folder = root() / "files"
    if not folder.exists():
        return
    kept = set(BuiltFile.objects.values_list("path", flat=True))
    limit = time.time() - ORPHAN_AGE
    for path in folder.iterdir():
        if f"files/{path.name}" not in kept and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
    for path in root().glob(".build-*"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def servable(files, hidden: set[str] | None = None):
    """The files that may be served now: none of a hidden region's dataset, none showing a
    region hidden since it was built (it stays out until the next refresh rebuilds it without
    that region)."""
    hidden = hidden_codes() if hidden is None else hidden
    return [
        f
        for f in files
        if not hidden.intersection(f.shows_regions) and region_code_of(f.dataset) not in hidden
    ]
