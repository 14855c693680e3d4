"""Plausible listings, generated: for benchmarks (as search documents across every region) and
for demos (as listings of a provisioned region, through the actions). Deterministic for a seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from search.documents import IndexDocument

from .indexing import DOC_TYPE
from .models import ListingKind, PotentialType

# (words of a title, KBLI section, urusan code, kind)
THEMES = [
    ("Tempe kedelai", "C", "3.31", ListingKind.PRODUCT),
    ("Keripik tempe", "C", "3.31", ListingKind.PRODUCT),
    ("Biji wijen", "A", "3.27", ListingKind.PRODUCT),
    ("Kopi robusta", "A", "3.27", ListingKind.PRODUCT),
    ("Beras organik", "A", "2.09", ListingKind.PRODUCT),
    ("Batik tulis", "C", "3.31", ListingKind.PRODUCT),
    ("Rumput laut kering", "A", "3.25", ListingKind.PRODUCT),
    ("Garam rakyat", "B", "3.25", ListingKind.PRODUCT),
    ("Paket wisata desa", "I", "3.26", ListingKind.POTENTIAL),
    ("Lahan industri", "L", "2.18", ListingKind.POTENTIAL),
    ("Gedung eks pasar (barang milik daerah)", "L", "2.18", ListingKind.POTENTIAL),
    ("Pelatihan perajin", "P", "2.07", ListingKind.POTENTIAL),
    ("Kebutuhan pasokan tempe", "G", "3.30", ListingKind.NEED),
    ("Kebutuhan benih jagung", "A", "3.27", ListingKind.NEED),
    ("Kerja sama pengelolaan sampah", "E", "2.11", ListingKind.OFFER),
    ("Kerja sama air bersih", "E", "1.03", ListingKind.OFFER),
    ("Inovasi layanan kependudukan keliling", "O", "2.12", ListingKind.PRACTICE),
    ("Puskesmas keliling", "Q", "1.02", ListingKind.PRACTICE),
]
ADJECTIVES = ["unggulan", "berkualitas", "khas", "segar", "tradisional", "modern", "lestari"]
# "daerah" is in most descriptions on purpose: the benchmark's common word.
SENTENCES = [
    "Produk unggulan daerah yang diproduksi oleh usaha kecil dan menengah setempat.",
    "Kapasitas produksi stabil sepanjang tahun dengan dukungan pemerintah daerah.",
    "Terbuka untuk kerja sama antar daerah maupun dengan pihak ketiga.",
    "Dikelola bersama kelompok masyarakat dan badan usaha milik desa.",
    "Cocok untuk pasar dalam negeri dan ekspor.",
    "Lokasi mudah dijangkau dari pelabuhan dan jalan nasional.",
]


def _text(rng: random.Random, theme: str, place: str) -> tuple[str, str]:
    title = f"{theme} {rng.choice(ADJECTIVES)} {place}"
    body = " ".join(rng.sample(SENTENCES, k=3)) + f" {theme} dari {place}."
    return title, body


def generate_documents(
    regions: list[tuple[str, str, str, tuple[float, float] | None]],
    count: int,
    *,
    seed: int = 7,
    doc_type: str = DOC_TYPE,
) -> Iterator[IndexDocument]:
    """`count` public listings as search documents spread over `regions`
    ((code, name, kind, (lat, lon) or None) of provinces, kabupaten and kota)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    start = timezone.now() - timedelta(days=365)
    for object_id in range(1, count + 1):
        code, name, kind, point = regions[object_id % len(regions)]
        theme, sector, urusan, listing_kind = rng.choice(THEMES)
        title, body = _text(rng, theme, name)
        yield IndexDocument(
            doc_type=doc_type,
            object_id=object_id,
            title=title,
            body=body,
            places=name,
            language="id",
            kind=listing_kind,
            sector=sector,
            urusan=urusan,
            region_code=code,
            province_code=code.split(".")[0],
            region_kind=kind,
            area_code="",
            published_at=start + timedelta(minutes=rng.randrange(525_600)),
            valid_from=None,
            valid_until=today + timedelta(days=rng.randrange(1, 365)),
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
        )


def sample_fields(rng: random.Random, place: str) -> dict:
    """The fields of one plausible listing of `place` (for demos, through the actions)."""
    theme, sector, urusan, kind = rng.choice(THEMES)
    title, body = _text(rng, theme, place)
    return {
        "kind": kind,
        "potential_type": PotentialType.INVESTMENT if kind == ListingKind.POTENTIAL else "",
        "title": title[:160],
        "description": body,
        "sector": sector,
        "urusan": urusan,
        "area": None,
        "quantity": None,
        "unit": "",
        "price_min": None,
        "price_max": None,
        "contact_name": "Bagian Kerja Sama",
        "contact_phone": "",
        "contact_email": "kerjasama@contoh.go.id",
        "valid_from": None,
        "valid_until": timezone.localdate() + timedelta(days=180),
        "language": "id",
    }


__all__ = ["generate_documents", "sample_fields"]
