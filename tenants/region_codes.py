"""Loading the Kemendagri region codes from the shipped idn-area-data CSV files.

The same upsert serves the data migration (provinces, kabupaten/kota) and the
`import_regions` command (kecamatan, desa/kelurahan): re-running it updates names and never
creates duplicates, because the code is the primary key.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data"
BATCH_SIZE = 5000

# level name -> (file, column holding the parent's code)
LEVELS: dict[str, tuple[str, str | None]] = {
    "provinsi": ("provinces.csv", None),
    "kabupaten_kota": ("regencies.csv", "province_code"),
    "kecamatan": ("districts.csv.gz", "regency_code"),
    "desa_kelurahan": ("villages.csv.gz", "district_code"),
}
TENANT_LEVELS = ("provinsi", "kabupaten_kota")
AREA_LEVELS = ("kecamatan", "desa_kelurahan")

_VILLAGE_KIND_BY_DIGIT = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}


def region_kind(level: str, name: str, code: str) -> str:
    if level == "provinsi":
        return "provinsi"
    if level == "kabupaten_kota":
        if name.startswith("Kabupaten Administrasi "):
            return "kabupaten_administrasi"
        if name.startswith("Kota Administrasi "):
            return "kota_administrasi"
        return "kota" if name.startswith("Kota ") else "kabupaten"
    if level == "kecamatan":
        return "kecamatan"
    return _VILLAGE_KIND_BY_DIGIT[code.rsplit(".", 1)[1][0]]


def region_slug(level: str, name: str) -> str | None:
    """The subdomain of a province, kabupaten or kota: `provinsi-jawa-timur`, `kota-malang`."""
    if level == "provinsi":
        return slugify(f"Provinsi {name}")
    if level == "kabupaten_kota":
        return slugify(name)
    return None


def _open(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def read_level(level: str) -> Iterator[dict]:
    filename, parent_column = LEVELS[level]
    with _open(DATA_DIR / filename) as handle:
        for row in csv.DictReader(handle):
            code, name = row["code"].strip(), row["name"].strip()
            yield {
                "code": code,
                "name": name,
                "kind": region_kind(level, name, code),
                "parent_id": row[parent_column].strip() if parent_column else None,
                "slug": region_slug(level, name),
            }


def count_rows(level: str) -> int:
    filename, _ = LEVELS[level]
    with _open(DATA_DIR / filename) as handle:
        return sum(1 for _ in handle) - 1


def upsert_level(region_model, level: str, on_batch: Callable[[int], None] | None = None) -> int:
    """Insert or update every region of `level`; returns how many rows were written."""
    written = 0
    batch: list = []

    def flush() -> None:
        nonlocal written, batch
        region_model.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "kind", "parent", "slug"],
        )
        written += len(batch)
        if on_batch:
            on_batch(len(batch))
        batch = []

    for row in read_level(level):
        batch.append(region_model(**row))
        if len(batch) >= BATCH_SIZE:
            flush()
    if batch:
        flush()
    return written
