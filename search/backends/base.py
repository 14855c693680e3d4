"""The one interface every search backend offers. Views and features call search/api.py, which
picks the backend; nothing above knows which one answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..documents import IndexDocument
from ..query import SearchRequest, SearchResults

# Markers around highlighted matches, replaced by <mark> once the text is HTML-escaped. The
# index strips them from the documents' own text (see clean_text), so a listing cannot forge one.
OPEN, CLOSE = "\u27e6", "\u27e7"


def clean_text(text: str) -> str:
    return (text or "").replace(OPEN, "").replace(CLOSE, "")


def marked_html(text: str) -> str:
    from django.utils.html import escape

    return escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


class Backend(Protocol):
    name: str

    def search(
        self, request: SearchRequest, *, origin: tuple[float, float] | None
    ) -> SearchResults:
        """Answer `request`; `origin` is the (latitude, longitude) to measure distance from."""

    def apply(
        self, *, upserts: Iterable[IndexDocument], deletions: Iterable[tuple[str, int]]
    ) -> None:
        """Write documents and remove (doc_type, object_id) pairs."""

    def rebuild(self, documents: Iterable[IndexDocument], *, doc_type: str) -> int:
        """Replace every document of `doc_type` with `documents`; returns how many."""
