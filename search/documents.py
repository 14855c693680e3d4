"""The shape of an indexed document, and where documents come from.

`search` sits below the features (.importlinter): it never imports the marketplace. A feature
registers a *source* for its documents when it loads (marketplace/apps.py), and the index asks
the source to build documents by id. A source builds a document only for an object that anyone
may see (published, valid); for any other id it builds nothing, and the index removes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class IndexDocument:
    doc_type: str
    object_id: int
    title: str
    body: str
    places: str  # the region's, its province's and the area's names: "Kota Malang Jawa Timur"
    language: str
    kind: str
    sector: str
    urusan: str
    region_code: str
    province_code: str
    region_kind: str
    area_code: str
    published_at: datetime
    valid_from: date | None
    valid_until: date
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Source:
    doc_type: str
    # ids -> {id: document} for the ids that are publicly visible (the others are absent)
    build: Callable[[Iterable[int]], dict[int, IndexDocument]]
    # every id that may be visible, for a rebuild from scratch
    all_ids: Callable[[], Iterator[int]]
    count: Callable[[], int]


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    _SOURCES[source.doc_type] = source


def source(doc_type: str) -> Source:
    try:
        return _SOURCES[doc_type]
    except KeyError:
        raise LookupError(f"No search source registered for {doc_type!r}.") from None


def sources() -> list[Source]:
    return list(_SOURCES.values())
