"""What the open-data files are built from: each *part* (a dataset's CSV and JSON, or one year's
snapshot of the registry) with its rows and a cheap fingerprint of its data.

The rows are the public downloads' own (public_registry's and the marketplace's row builders,
the same columns and the same rules: withheld parts never in them, a hidden region's listings
never in them), built for the platform's address rather than a request's.

Fingerprints decide what the worker rebuilds (building.refresh): a few grouped queries for every
part at once, whatever the number of regions and agreements: the registry's by its records'
count and latest change-feed sequence (every publication moves it: a new version, an ending,
a withholding), per year and per region; the listings' by their count, ids and latest change;
the regions' by their rows themselves (552). Each includes the day, since a record's status
moves with the date.

Other apps plug datasets in here (PLUGGED): reporting's national figures come from
`reporting.opendata.parts` (reporting/opendata.py). A plugged module registers its dictionary
and its catalogue description when imported (opendata/apps.py imports it at start-up).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.module_loading import import_string

from core.hosts import platform_url
from marketplace import download_views as listing_downloads
from marketplace import selectors as listing_selectors
from marketplace.models import ListingPhoto
from public_registry import selectors as registry_selectors
from public_registry import views as registry_downloads
from tenants.models import Region, Tenant

from . import dictionary as dictionaries

log = logging.getLogger(__name__)

REGISTRY = "kerja-sama"
LISTINGS = "pasar-kerja-sama"
REGIONS = "wilayah"
# Where another app's datasets come from: a callable returning a list of Part (or nothing).
# The reporting figures (issue 16, H-B's national side) register here when they land.
PLUGGED: tuple[str, ...] = ("reporting.opendata.parts",)


@dataclass(frozen=True)
class Part:
    """One build: a dataset's CSV and JSON files named `<stem>.csv` and `<stem>.json`."""

    dataset: str
    stem: str
    dictionary: dictionaries.Dictionary
    rows: Callable[[], Iterable[dict]]
    # The file's columns: the live download's own (so a column added there is in the file,
    # and the dictionary's test fails until it is described).
    fields: tuple[str, ...]
    # The fingerprint of the data now (None: always rebuild, and keep the file when its bytes
    # are the same).
    fingerprint: str | None
    year: int | None = None
    # The column whose dates give the temporal coverage (and, when set, the one whose dates give
    # its end: the reporting figures' semesters run from semester_start to semester_end).
    date_column: str = ""
    date_end_column: str = ""
    # The region whose own content a row shows, if any (a hidden region's content must never
    # be served: building records these codes, and a file naming one now hidden is not served).
    shows_region: Callable[[dict], str | None] | None = None
    # The change-feed position a mirror continues from after loading this file (registry).
    feed_cursor: Callable[[], str] | None = None


class PlatformRequest:
    """What the downloads' row builders ask of a request: the platform's absolute address (the
    files are built by the worker, with no request)."""

    def build_absolute_uri(self, location: str = "/") -> str:
        return platform_url(location)


def region_dataset(code: str) -> str:
    """The CKAN-safe name of a region's registry dataset: `kerja-sama-35-73`."""
    return f"{REGISTRY}-{code.replace('.', '-')}"


def year_stem(year: int) -> str:
    return f"{REGISTRY}-tahun-{year}"


def region_code_of(name: str) -> str:
    """`kerja-sama-35-73` -> `35.73`; "" for a dataset that is not a region's."""
    prefix = f"{REGISTRY}-"
    rest = name[len(prefix) :] if name.startswith(prefix) else ""
    return rest.replace("-", ".") if rest.replace("-", "").isdigit() else ""


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def hidden_codes() -> set[str]:
    """The regions the public may not see now (the one rule: Tenant.objects)."""
    return set(Tenant.objects.hidden_from_public().values_list("region_id", flat=True))


# --- The registry ------------------------------------------------------------------------------


def _registry_rows(filters) -> Callable[[], Iterable[dict]]:
    return lambda: registry_downloads._export_rows(PlatformRequest(), filters)


def feed_cursor() -> str:
    """The change feed's position of the last record every older transaction has finished with
    (the feed's own rule, public_registry.selectors.changes_after): taken before a file's rows
    are read, so every record the file misses is after it in the feed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT feed_xid, feed_seq FROM public_registry_publishedagreement"
            " WHERE (feed_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
            " OR feed_xid = pg_current_xact_id_if_assigned()::text::bigint)"
            " ORDER BY feed_xid DESC, feed_seq DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return registry_selectors.encode_cursor(*row) if row else ""


def registry_parts(today, hidden: set[str]) -> list[Part]:
    """The national registry, one part per year of signing, one per region that is a party to
    a published agreement (not a hidden one): three grouped queries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(max(feed_seq), 0) FROM public_registry_publishedagreement"
        )
        total, latest = cursor.fetchone()
        cursor.execute(
            "SELECT signed_year, count(*), max(feed_seq) FROM public_registry_publishedagreement"
            " GROUP BY signed_year ORDER BY signed_year"
        )
        years = cursor.fetchall()
        cursor.execute(
            "SELECT code, count(*), max(feed_seq) FROM public_registry_publishedagreement,"
            " unnest(region_codes) AS code GROUP BY code ORDER BY code"
        )
        regions = cursor.fetchall()
    Filters = registry_selectors.RegistryFilters
    parts = [
        Part(
            REGISTRY,
            REGISTRY,
            dictionaries.REGISTRY,
            _registry_rows(Filters()),
            registry_downloads.EXPORT_FIELDS,
            _digest(today, total, latest),
            date_column="signed_on",
        )
    ]
    for year, count, seq in years:
        parts.append(
            Part(
                REGISTRY,
                year_stem(year),
                dictionaries.REGISTRY,
                _registry_rows(Filters(year=(year,))),
                registry_downloads.EXPORT_FIELDS,
                _digest(today, year, count, seq),
                year=year,
                date_column="signed_on",
                feed_cursor=feed_cursor,
            )
        )
    for code, count, seq in regions:
        if code in hidden:
            continue
        name = region_dataset(code)
        parts.append(
            Part(
                name,
                name,
                dictionaries.REGISTRY,
                _registry_rows(Filters(region=(code,))),
                registry_downloads.EXPORT_FIELDS,
                _digest(today, code, count, seq),
                date_column="signed_on",
            )
        )
    return parts


# --- The marketplace ---------------------------------------------------------------------------


def listings_part(today, hidden: set[str]) -> Part:
    listings = listing_selectors.searchable_listings({}, today=today)
    figures = listings.aggregate(
        n=Count("id"), ids=Sum("id"), changed=Max("updated_at"), published=Max("published_at")
    )
    photos = ListingPhoto.objects.filter(listing__in=listings.values("id")).aggregate(
        n=Count("id"), last=Max("id")
    )
    return Part(
        LISTINGS,
        LISTINGS,
        dictionaries.LISTINGS,
        lambda: listing_downloads._export_rows(PlatformRequest(), {}),
        listing_downloads.EXPORT_FIELDS,
        _digest(today, sorted(hidden), *figures.values(), *photos.values()),
        date_column="published_at",
        shows_region=lambda row: row["region"],
    )


# --- The regions -------------------------------------------------------------------------------

REGION_KINDS = [v.value for v in dictionaries._region_kinds()]


def region_rows() -> list[dict]:
    """The provinces, kabupaten and kota with their codes; whether each is active on Jejaring
    (the one visibility rule) and its profile page then."""
    visible = dict(Tenant.objects.publicly_visible().values_list("region_id", "region__slug"))
    rows = []
    for region in Region.objects.filter(kind__in=REGION_KINDS).order_by("code"):
        slug = visible.get(region.code)
        rows.append(
            {
                "code": region.code,
                "name": region.name,
                "full_name": region.full_name,
                "kind": region.kind,
                "parent": region.parent_id or "",
                "on_jejaring": slug is not None,
                "profile_url": platform_url(f"/{slug}/") if slug else "",
            }
        )
    return rows


def regions_part() -> Part:
    rows = region_rows()
    fingerprint = _digest(*(sorted(r.items()) for r in rows))
    return Part(
        REGIONS,
        REGIONS,
        dictionaries.REGIONS,
        region_rows,
        tuple(dictionaries.REGIONS.column_names),
        fingerprint,
        shows_region=lambda row: row["code"] if row["on_jejaring"] else None,
    )


# --- Everything --------------------------------------------------------------------------------


def plugged_parts() -> list[Part]:
    """The parts other apps register (PLUGGED); an app not installed yet adds nothing."""
    parts: list[Part] = []
    for path in PLUGGED:
        try:
            source = import_string(path)
        except ImportError:
            continue
        for part in source() or ():
            dictionaries.register(part.dictionary)
            parts.append(part)
    return parts


def all_parts() -> list[Part]:
    """Every part the catalogue publishes now, with its fingerprint (for the worker)."""
    today = timezone.localdate()
    hidden = hidden_codes()
    return [
        *registry_parts(today, hidden),
        listings_part(today, hidden),
        regions_part(),
        *plugged_parts(),
    ]
