"""The partner finder: for a region, the regions it could work with, each with the reasons why in
plain words and what each reason adds to the score.

Only public listings count (published, valid today, of a region not being deleted:
`Listing.objects.public()`): what is a draft, awaits moderation, was returned, archived or has
expired never makes or explains a suggestion.

How a pair of regions (ours, theirs) is scored — every number is a weight of
`settings.JEJARING_MATCH_WEIGHTS` (defaults in `DEFAULT_WEIGHTS`; a setting overrides any of them):

- **Complementarity, both ways.** Each *need* of ours is compared with every listing of theirs
  that supplies something (a flagship product, a potential, a cooperation offer, a good
  practice), and the best of them counts once: `need_words` when their titles share a word
  (after folding case and accents, dropping short and common words, and treating synonyms from
  the search's synonym table as the same word: tempe = tempeh), plus `need_sector` for the same
  KBLI section, plus `need_urusan` for the same urusan. The same for each of their needs against
  what we supply. A need that matches nothing adds nothing.
- **Shared sectors and urusan.** `shared_sector` for each KBLI section both regions publish
  listings in (of any kind), `shared_urusan` for each urusan.
- **Agreements already between them.** `agreement` for each agreement (the shared record of
  `cooperation`) both regions are parties to, rejected proposals excepted, counting at most
  `agreement_cap` of them: a region already worked with is a proven partner.
- **Distance.** Seat to seat (search.RegionLocation): `distance` for regions at the
  same place, falling linearly to nothing at `distance_km` and beyond. A region with no known
  location gets nothing for distance (and the reason says so, it is never guessed).

Nearness alone never makes a suggestion: a region is suggested only when something else (a
match, a shared sector or urusan, an agreement) adds to its score. Each contribution is rounded to
two decimals and the score is their sum, so the same data always gives the same scores; ties are
ordered by region code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation import urusan as urusan_codes
from cooperation.models import Party, Stage
from search.geo import distance_km
from search.models import RegionLocation
from search.synonyms import fold, synonym_groups
from tenants.models import Tenant

from . import kbli
from .models import Listing, ListingKind

DEFAULT_WEIGHTS: dict[str, float] = {
    "need_words": 3.0,
    "need_sector": 1.0,
    "need_urusan": 1.0,
    "shared_sector": 0.5,
    "shared_urusan": 0.5,
    "agreement": 2.0,
    "agreement_cap": 3,
    "distance": 2.0,
    "distance_km": 1000.0,
}
SUPPLY_KINDS = frozenset(
    {ListingKind.PRODUCT, ListingKind.POTENTIAL, ListingKind.OFFER, ListingKind.PRACTICE}
)
# Words too common in listing titles to say anything about a match (Indonesian and English).
STOPWORDS = frozenset(
    """
    dan atau yang untuk dari dengan pada dalam oleh bagi kami kita para serta tentang antar
    kebutuhan butuh perlu mencari cari pasokan penyediaan pengadaan program kerja sama daerah
    kota kabupaten provinsi desa kelurahan kecamatan potensi produk unggulan layanan
    the and for from with our their need needs supply product products offer region city
    """.split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_WORD_CHARS = 3


class Code:
    """What a reason is about (stable codes; tests and templates use them)."""

    OUR_NEED = "our_need"  # their supply meets a need of ours
    THEIR_NEED = "their_need"  # our supply meets a need of theirs
    SHARED_SECTORS = "shared_sectors"
    SHARED_URUSAN = "shared_urusan"
    AGREEMENTS = "agreements"
    DISTANCE = "distance"


def weights() -> dict[str, float]:
    """The defaults with the setting's overrides. An unknown name is a configuration error (a
    typo would otherwise silently change nothing)."""
    configured = dict(getattr(settings, "JEJARING_MATCH_WEIGHTS", {}) or {})
    unknown = sorted(set(configured) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ImproperlyConfigured(
            f"JEJARING_MATCH_WEIGHTS has unknown names: {', '.join(unknown)}"
        )
    merged = {**DEFAULT_WEIGHTS, **configured}
    try:
        return {name: float(value) for name, value in merged.items()}
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured("JEJARING_MATCH_WEIGHTS values must be numbers") from exc


# --- Words ----------------------------------------------------------------------------------


class Vocabulary:
    """Folds a title into its meaningful words, each keyed so that synonyms share a key."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()):
        self.key: dict[str, str] = {}
        for group in groups:
            folded = sorted({fold(w) for w in group if w.strip()})
            if len(folded) < 2:
                continue
            key = folded[0]
            for word in folded:
                # A word in two groups keeps its first key (groups come ordered by their words).
                self.key.setdefault(word, key)

    def words(self, text: str) -> dict[str, str]:
        """{key: the word as written (folded)} of the meaningful words of `text`."""
        found: dict[str, str] = {}
        for raw in _WORD.findall(text or ""):
            word = fold(raw)
            if len(word) < MIN_WORD_CHARS or word.isdigit() or word in STOPWORDS:
                continue
            found.setdefault(self.key.get(word, word), word)
        return found


# --- What the score is made of -------------------------------------------------------------


@dataclass(frozen=True)
class ListingRef:
    pk: int
    title: str


@dataclass(frozen=True)
class Reason:
    code: str
    points: float
    text: str
    # The listings it is about (ours first for OUR_NEED: our need, their supply; for THEIR_NEED:
    # their need, our supply) and the agreements' titles, for pages that may show them.
    listings: tuple[ListingRef, ...] = ()
    agreements: tuple[str, ...] = ()


@dataclass
class Suggestion:
    tenant: Tenant
    score: float
    reasons: list[Reason] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def region(self):
        return self.tenant.region

    def involves(self, listing_pk: int) -> list[Reason]:
        return [r for r in self.reasons if any(ref.pk == listing_pk for ref in r.listings)]


@dataclass(frozen=True)
class _Item:
    pk: int
    tenant_id: int
    kind: str
    title: str
    sector: str
    urusan: str
    words: dict[str, str]


def _items(listings, vocabulary: Vocabulary) -> dict[int, list[_Item]]:
    by_tenant: dict[int, list[_Item]] = defaultdict(list)
    for pk, tenant_id, kind, title, sector, urusan in listings.order_by("pk").values_list(
        "pk", "tenant_id", "kind", "title", "sector", "urusan"
    ):
        by_tenant[tenant_id].append(
            _Item(pk, tenant_id, kind, title, sector, urusan, vocabulary.words(title))
        )
    return by_tenant


def _points(value: float) -> float:
    return round(value, 2)


def _best_match(need: _Item, supply: list[_Item], w: dict[str, float]):
    """(points, the supplying item, shared word labels, same sector, same urusan) of the best
    supply for `need`, or None. Ties go to the lowest listing id (supply is ordered by id)."""
    best = None
    for item in supply:
        if item.kind not in SUPPLY_KINDS:
            continue
        shared = sorted(set(need.words) & set(item.words))
        same_sector = need.sector == item.sector
        same_urusan = need.urusan == item.urusan
        points = (
            (w["need_words"] if shared else 0.0)
            + (w["need_sector"] if same_sector else 0.0)
            + (w["need_urusan"] if same_urusan else 0.0)
        )
        if points > 0 and (best is None or points > best[0]):
            labels = [
                need.words[k]
                if need.words[k] == item.words[k]
                else f"{need.words[k]} ({item.words[k]})"
                for k in shared
            ]
            best = (_points(points), item, labels, same_sector, same_urusan)
    return best


def _match_text(
    need: _Item, item: _Item, labels, same_sector: bool, same_urusan: bool, ours: bool
) -> str:
    grounds = []
    if labels:
        grounds.append(_("the same words: %(words)s") % {"words": ", ".join(labels)})
    if same_sector:
        grounds.append(_("the same sector, %(sector)s") % {"sector": kbli.label(item.sector)})
    if same_urusan:
        grounds.append(
            _("the same urusan, %(urusan)s") % {"urusan": urusan_codes.label(item.urusan)}
        )
    values = {"need": need.title, "supply": item.title, "grounds": "; ".join(grounds)}
    if ours:
        return _("Your need “%(need)s” matches their “%(supply)s” (%(grounds)s).") % values
    return _("Their need “%(need)s” matches your “%(supply)s” (%(grounds)s).") % values


def _complementarity(needs_of: list[_Item], supply_of: list[_Item], w, *, ours: bool):
    reasons = []
    for need in needs_of:
        if need.kind != ListingKind.NEED:
            continue
        best = _best_match(need, supply_of, w)
        if best is None:
            continue
        points, item, labels, same_sector, same_urusan = best
        reasons.append(
            Reason(
                Code.OUR_NEED if ours else Code.THEIR_NEED,
                points,
                _match_text(need, item, labels, same_sector, same_urusan, ours),
                (ListingRef(need.pk, need.title), ListingRef(item.pk, item.title))
                if ours
                else (ListingRef(item.pk, item.title), ListingRef(need.pk, need.title)),
            )
        )
    return reasons


def _shared(ours: list[_Item], theirs: list[_Item], w) -> list[Reason]:
    reasons = []
    sectors = sorted({i.sector for i in ours} & {i.sector for i in theirs})
    if sectors:
        reasons.append(
            Reason(
                Code.SHARED_SECTORS,
                _points(w["shared_sector"] * len(sectors)),
                ngettext(
                    "You both publish listings in the sector %(items)s.",
                    "You both publish listings in %(n)s sectors: %(items)s.",
                    len(sectors),
                )
                % {"n": len(sectors), "items": "; ".join(kbli.label(s) for s in sectors)},
            )
        )
    affairs = sorted({i.urusan for i in ours} & {i.urusan for i in theirs})
    if affairs:
        reasons.append(
            Reason(
                Code.SHARED_URUSAN,
                _points(w["shared_urusan"] * len(affairs)),
                ngettext(
                    "You both publish listings in the urusan %(items)s.",
                    "You both publish listings in %(n)s urusan: %(items)s.",
                    len(affairs),
                )
                % {"n": len(affairs), "items": "; ".join(urusan_codes.label(u) for u in affairs)},
            )
        )
    return reasons


def agreements_with(region_code: str) -> dict[str, list[str]]:
    """{partner region code: titles of the agreements} for every agreement `region_code` is a
    party to with other regions (rejected proposals excepted), in a stable order."""
    cooperation_ids = (
        Party.objects.filter(region_id=region_code)
        .exclude(cooperation__stage=Stage.REJECTED)
        .values("cooperation_id")
    )
    result: dict[str, list[str]] = defaultdict(list)
    for code, title in (
        Party.objects.filter(cooperation_id__in=cooperation_ids, region__isnull=False)
        .exclude(region_id=region_code)
        .order_by("region_id", "cooperation__title", "cooperation_id")
        .values_list("region_id", "cooperation__title")
    ):
        result[code].append(title)
    return result


def _agreements(titles: list[str], w) -> list[Reason]:
    if not titles:
        return []
    cap = int(w["agreement_cap"])
    counted = min(len(titles), cap)
    text = ngettext(
        "You already have %(n)s agreement together.",
        "You already have %(n)s agreements together.",
        len(titles),
    ) % {"n": len(titles)}
    if len(titles) > counted:
        text += " " + _("Only %(cap)s of them count.") % {"cap": cap}
    return [
        Reason(
            Code.AGREEMENTS,
            _points(w["agreement"] * counted),
            text,
            agreements=tuple(titles),
        )
    ]


def _km(value: float) -> str:
    return number_format(round(value), force_grouping=True)


def _distance(origin, other, name: str, w) -> tuple[Reason, float | None]:
    if origin is None or other is None:
        return (
            Reason(
                Code.DISTANCE,
                0.0,
                _(
                    "The distance to %(region)s is not known (no location on record), so it adds "
                    "nothing."
                )
                % {"region": name},
            ),
            None,
        )
    km = distance_km(origin, other)
    limit = max(w["distance_km"], 1.0)
    points = _points(w["distance"] * max(0.0, 1.0 - km / limit))
    text = _("About %(km)s km apart, seat to seat.") % {"km": _km(km)}
    if points == 0:
        text += " " + _("Beyond %(limit)s km, distance adds nothing.") % {"limit": _km(limit)}
    return Reason(Code.DISTANCE, points, text), km


def _locations(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    return {
        code: (lat, lon)
        for code, lat, lon in RegionLocation.objects.filter(region_id__in=list(codes)).values_list(
            "region_id", "latitude", "longitude"
        )
    }


def _score(ours, theirs, titles, origin, other, tenant: Tenant, w) -> Suggestion:
    reasons = [
        *_complementarity(ours, theirs, w, ours=True),
        *_complementarity(theirs, ours, w, ours=False),
        *_shared(ours, theirs, w),
        *_agreements(titles, w),
    ]
    distance_reason, km = _distance(origin, other, tenant.name, w)
    reasons.append(distance_reason)
    score = _points(sum(r.points for r in reasons))
    return Suggestion(tenant=tenant, score=score, reasons=reasons, distance_km=km)


def _qualifies(suggestion: Suggestion) -> bool:
    return any(r.points > 0 for r in suggestion.reasons if r.code != Code.DISTANCE)


def suggest_partners(tenant: Tenant, *, limit: int | None = 20) -> list[Suggestion]:
    """The regions `tenant` could work with, best first (score, then region code)."""
    w = weights()
    vocabulary = Vocabulary(synonym_groups())
    items = _items(Listing.objects.public(), vocabulary)
    ours = items.get(tenant.pk, [])
    agreements = agreements_with(tenant.region_id)
    candidates = list(
        Tenant.objects.publicly_visible()
        .exclude(pk=tenant.pk)
        .filter(Q(pk__in=list(items)) | Q(region_id__in=list(agreements)))
        .select_related("region")
    )
    locations = _locations([tenant.region_id, *(c.region_id for c in candidates)])
    origin = locations.get(tenant.region_id)
    suggestions = [
        _score(
            ours,
            items.get(c.pk, []),
            agreements.get(c.region_id, []),
            origin,
            locations.get(c.region_id),
            c,
            w,
        )
        for c in candidates
    ]
    suggestions = sorted(
        (s for s in suggestions if _qualifies(s)), key=lambda s: (-s.score, s.tenant.region_id)
    )
    return suggestions[:limit] if limit else suggestions


def explain_pair(tenant: Tenant, partner: Tenant) -> Suggestion:
    """Why `partner` would (or would not) suit `tenant`: the same reasons and score that
    `suggest_partners(tenant)` gives it."""
    w = weights()
    vocabulary = Vocabulary(synonym_groups())
    items = _items(Listing.objects.public().filter(tenant__in=[tenant, partner]), vocabulary)
    locations = _locations([tenant.region_id, partner.region_id])
    return _score(
        items.get(tenant.pk, []),
        items.get(partner.pk, []),
        agreements_with(tenant.region_id).get(partner.region_id, []),
        locations.get(tenant.region_id),
        locations.get(partner.region_id),
        partner,
        w,
    )


def qualifies(suggestion: Suggestion) -> bool:
    """Whether the suggestion would be listed (more than nearness)."""
    return _qualifies(suggestion)
