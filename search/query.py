"""What a search asks for, shared by every backend: the words of the query (cleaned of anything
a query language could read as syntax), the filters, the sort and the page.

Backends never see the raw text: only `words`, each a run of letters or digits. Quotes, colons,
`&|!()*~^`, SQL and Lucene fragments are not syntax here, they are simply not words, so an
injection attempt searches for the words it contains and nothing else."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext as _

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
MAX_WORD_CHARS = 40
PAGE_SIZE = 20
MAX_PAGE = 50  # deeper pages cost an ever larger offset and nobody reads them

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

FACETS = ("province", "region", "region_kind", "kind", "sector", "urusan")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    RECENT = "recent"
    DISTANCE = "distance"


class Notice(StrEnum):
    """Why the answer is not simply the results (stable codes; the text is `notice_text`)."""

    TRUNCATED = "truncated"
    NO_WORDS = "no_words"
    TOO_MANY_WORDS = "too_many_words"
    NEAR_UNKNOWN = "near_unknown"
    FALLBACK = "fallback"
    PAGE_OUT_OF_RANGE = "page_out_of_range"


def notice_text(code: str) -> str:
    return {
        Notice.TRUNCATED: _("Your search was too long: only its first %(n)s characters were used.")
        % {"n": MAX_QUERY_CHARS},
        Notice.NO_WORDS: _(
            "Your search holds no words or numbers (punctuation and symbols are ignored), "
            "so all listings are shown."
        ),
        Notice.TOO_MANY_WORDS: _("Only the first %(n)s words of your search were used.")
        % {"n": MAX_WORDS},
        Notice.NEAR_UNKNOWN: _(
            "The region to measure distance from has no known location, so the listings are "
            "sorted by relevance instead."
        ),
        Notice.FALLBACK: _(
            "The search server is not answering; these results come from the built-in index "
            "and may lack the newest changes."
        ),
        Notice.PAGE_OUT_OF_RANGE: _("There is no such page; the first page is shown."),
    }.get(code, "")


@dataclass(frozen=True)
class Filters:
    """Each filter is a set of codes; values within a facet are alternatives (OR), facets
    combine (AND)."""

    province: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    region_kind: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    urusan: tuple[str, ...] = ()

    def items(self):
        for name in FACETS:
            values = getattr(self, name)
            if values:
                yield name, values


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    words: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    near: str = ""  # a region code, for Sort.DISTANCE
    page: int = 1
    notices: tuple[str, ...] = ()
    # Only documents published after this moment (a saved search's digest of new matches).
    published_after: datetime | None = None
    # Regions whose documents are hidden whatever the index holds: the regions that are not
    # active (suspended, being deleted). search/api.py fills it in for every search.
    hidden_regions: tuple[str, ...] = ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def clean_words(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(the text as used, its words, notices). Never raises, whatever the input."""
    notices: list[str] = []
    text = unicodedata.normalize("NFKC", str(text or "")).replace("\x00", "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = text.strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(Notice.TRUNCATED)
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word[:MAX_WORD_CHARS]
        if word not in words:
            words.append(word)
    if text and not words:
        notices.append(Notice.NO_WORDS)
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        notices.append(Notice.TOO_MANY_WORDS)
    return text, tuple(words), tuple(notices)


def build_request(
    *,
    text: str = "",
    filters: Filters | None = None,
    sort: str = "",
    near: str = "",
    page: int | str | None = 1,
    published_after: datetime | None = None,
) -> SearchRequest:
    cleaned, words, notices = clean_words(text)
    try:
        sort_value = Sort(sort) if sort else (Sort.RELEVANCE if words else Sort.RECENT)
    except ValueError:
        sort_value = Sort.RELEVANCE if words else Sort.RECENT
    if sort_value == Sort.RELEVANCE and not words:
        sort_value = Sort.RECENT  # nothing to be relevant to
    try:
        page_number = int(page or 1)
    except (TypeError, ValueError):
        page_number = 1
    if not 1 <= page_number <= MAX_PAGE:
        page_number = 1
        notices = (*notices, Notice.PAGE_OUT_OF_RANGE)
    return SearchRequest(
        text=cleaned,
        words=words,
        filters=filters or Filters(),
        sort=sort_value,
        near=near if sort_value == Sort.DISTANCE else "",
        page=page_number,
        notices=notices,
        published_after=published_after,
    )


@dataclass(frozen=True)
class FacetValue:
    code: str
    count: int


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float
    title_html: str  # escaped, with <mark> around the matches
    snippet_html: str
    distance_km: float | None = None


@dataclass
class SearchResults:
    request: SearchRequest
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    backend: str
    notices: list[str] = field(default_factory=list)
    corrected_words: tuple[str, ...] = ()
    # True when the search matched more than `total` documents and stopped counting there
    # (the PostgreSQL backend's MAX_COUNTED): `total` and the facet counts are then lower
    # bounds, counted over the most recently published matches.
    capped: bool = False

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PAGE_SIZE)))

    @property
    def notice_texts(self) -> list[str]:
        return [notice_text(code) for code in self.notices]
