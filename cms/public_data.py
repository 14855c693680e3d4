"""What the portal's pages show, read from public data only: the marketplace's published
listings, the public registry's published agreements (public_registry: snapshots of signed
agreements) and the regions' coordinates (search.RegionLocation). Never a region's
workspace schema.

Every function runs a fixed number of queries, whatever the number of regions, agreements or
listings (the aggregates are computed by PostgreSQL; lists are bounded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation import urusan
from cooperation.models import Kind
from marketplace.models import Listing
from public_registry import cache as registry_cache
from public_registry import monitoring
from public_registry import selectors as registry
from public_registry.models import PublishedAgreement, Status
from search.models import RegionLocation
from tenants.models import Region, Tenant

from .charts import BarChart, bar_chart

LATEST_LISTINGS = 6
FEATURED_AGREEMENTS = 6
PROFILE_AGREEMENTS = 50
PROFILE_LISTINGS = 12
TOP_URUSAN = 10
TOP_PAIRS = 20


def tile_url() -> str:
    """The map tiles' URL template; empty: maps without tiles (markers and the list only)."""
    return getattr(settings, "JEJARING_MAP_TILE_URL", "")


def tile_origin() -> str:
    url = tile_url()
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _public_url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    except NoReverseMatch:
        return None


def portal_urls() -> dict[str, str | None]:
    """Links the portal's pages make to the platform's own views, built against the
    platform's URL conf (Wagtail's preview renders a page outside the platform's routing)."""
    return {
        "search_url": _public_url("cms_search"),
        "market_search_url": _public_url("marketplace:search"),
        "registry_url": _public_url("public_registry:list"),
    }


def agreement_url(agreement: PublishedAgreement) -> str | None:
    return _public_url("public_registry:detail", agreement.pk)


def listing_url(listing: Listing) -> str | None:
    return _public_url("marketplace:detail", listing.pk)


# --- Published agreements -----------------------------------------------------------------------


def _in_force_q(today=None) -> Q:
    """In force today (expiring soon included), by the public registry's own status rule."""
    today = today or timezone.localdate()
    return registry.status_q(Status.IN_FORCE, today) | registry.status_q(Status.EXPIRING, today)


def _agreements():
    return PublishedAgreement.objects.all()


def _of_region(region: Region):
    return _agreements().filter(region_codes__contains=[region.code])


@dataclass(frozen=True)
class AgreementRow:
    title: str
    kind: str
    signed_on: object
    parties: str
    in_force: bool
    url: str | None


def _rows(agreements) -> list[AgreementRow]:
    kinds = dict(Kind.choices)
    today = timezone.localdate()
    rows = []
    for a in agreements:
        status = registry.status_of(terminated=a.terminated, term_end=a.term_end, today=today)
        in_force = status in (Status.IN_FORCE, Status.EXPIRING)
        rows.append(
            AgreementRow(
                a.title,
                str(kinds.get(a.kind, a.kind)),
                a.signed_on,
                a.parties_text,
                in_force,
                agreement_url(a),
            )
        )
    return rows


def featured_agreements(limit: int = FEATURED_AGREEMENTS) -> list[AgreementRow]:
    """The most recently signed agreements in force."""
    return _rows(_agreements().filter(_in_force_q()).order_by("-signed_on", "-pk")[:limit])


# --- Listings -----------------------------------------------------------------------------------


def _with_urls(listings) -> list[Listing]:
    listings = list(listings)
    for listing in listings:
        listing.public_url = listing_url(listing)
    return listings


def latest_listings(limit: int = LATEST_LISTINGS) -> list[Listing]:
    return _with_urls(
        Listing.objects.public()
        .select_related("tenant__region", "area")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


# --- A region's profile -------------------------------------------------------------------------


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    agreements: int
    url: str | None
    latitude: float | None
    longitude: float | None

    @property
    def agreements_label(self) -> str:
        # In Python rather than a {% blocktranslate count %} per row: a region with hundreds of
        # partners spent 58 ms of its profile in that tag (bench/portal.py).
        return ngettext("%(counter)s agreement", "%(counter)s agreements", self.agreements) % {
            "counter": self.agreements
        }


@dataclass
class RegionProfile:
    agreements: list[AgreementRow]
    agreement_count: int
    listings: list
    listing_count: int
    partners: list[Partner]
    other_partners: list[str]
    map: dict
    charts: list[BarChart] = field(default_factory=list)
    in_force: int = 0  # of agreement_count, for the summary at the top of the profile

    @property
    def partner_count(self) -> int:
        return len(self.partners) + len(self.other_partners)

    @property
    def partners_on_map(self) -> list[Partner]:
        return [p for p in self.partners if p.latitude is not None]

    @property
    def partners_off_map(self) -> list[Partner]:
        return [p for p in self.partners if p.latitude is None]


def _table() -> str:
    return PublishedAgreement._meta.db_table


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _partner_counts(region: Region) -> dict:
    """The regions `region` has published agreements with and its other partners (companies,
    ministries, bodies abroad) by name, each with its number of agreements, most first.
    Counted by PostgreSQL over the GIN-indexed region codes."""
    return {
        "regions": _fetch(
            f"SELECT other.code, count(DISTINCT a.id) FROM {_table()} a, "  # noqa: S608
            "unnest(a.region_codes) AS other(code) "
            "WHERE a.region_codes @> ARRAY[%s]::varchar[] AND other.code <> %s "
            "GROUP BY other.code ORDER BY 2 DESC, 1",
            [region.code, region.code],
        ),
        "names": _fetch(
            f"SELECT name, count(DISTINCT a.id) FROM {_table()} a, "  # noqa: S608
            "unnest(a.partner_names) AS partner(name) "
            "WHERE a.region_codes @> ARRAY[%s]::varchar[] GROUP BY name ORDER BY 2 DESC, 1",
            [region.code],
        ),
    }


def _region_partners(region: Region, counts: dict) -> tuple[list[Partner], list[str]]:
    """The partner regions with their seats' coordinates and profile pages (read now: a page
    goes when its region leaves), and the other partners' names."""
    # Plain columns, not whole models: a region of many partners has hundreds of them (the
    # Wagtail pages and seats joined row by row made 70 ms of a profile's 160 at 20,000
    # agreements; bench/portal.py).
    codes = [code for code, _n in counts["regions"]]
    regions = {
        r.code: r for r in Region.objects.filter(code__in=codes).only("code", "name", "kind")
    }
    seats = {
        code: (latitude, longitude)
        for code, latitude, longitude in RegionLocation.objects.filter(
            region_id__in=codes
        ).values_list("region_id", "latitude", "longitude")
    }
    # A partner's profile is linked only while the public may see its region (the one rule).
    visible = set(
        Tenant.objects.publicly_visible()
        .filter(region_id__in=codes)
        .values_list("region_id", flat=True)
    )
    from .models import RegionPage

    pages = {
        page.region_id: page for page in RegionPage.objects.live().filter(region_id__in=visible)
    }
    partners = []
    for code, count in counts["regions"]:
        partner = regions.get(code)
        if partner is None:
            continue
        latitude, longitude = seats.get(code, (None, None))
        page = pages.get(code)
        partners.append(
            Partner(
                code,
                partner.full_name,
                count,
                page.url if page is not None else None,
                latitude,
                longitude,
            )
        )
    region_names = {p.name for p in partners} | {region.full_name}
    others = [name for name, _n in counts["names"] if name not in region_names]
    return partners, others


def _map_attribution() -> str:
    return _("Map data © OpenStreetMap contributors; region seats: GeoNames (CC BY 4.0), geografis")


def _map_data(region: Region, partners: list[Partner]) -> dict:
    location = RegionLocation.objects.filter(region=region).first()
    return {
        "tiles": tile_url(),
        "attribution": _map_attribution(),
        "home": (
            {
                "name": region.full_name,
                "lat": location.latitude,
                "lon": location.longitude,
            }
            if location
            else None
        ),
        "partners": [
            {"name": p.name, "lat": p.latitude, "lon": p.longitude, "url": p.url or ""}
            for p in partners
            if p.latitude is not None
        ],
    }


def _counts(agreements) -> dict:
    """Plain numbers (cacheable, in no language): by kind, by year, in force and in all."""
    return {
        "kinds": list(
            agreements.values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
        ),
        "years": list(
            agreements.values_list("signed_year").annotate(n=Count("pk")).order_by("signed_year")
        ),
        **agreements.aggregate(
            total=Count("pk"), in_force=Count("pk", filter=_in_force_q()), **_monitoring_counts()
        ),
    }


def _monitoring_counts(today=None) -> dict:
    """Among the agreements in force: active (a monitoring report for the last completed
    semester or a later one: public_registry.monitoring, the dashboard's rule), dormant (an
    older report only) and never monitored (no report published)."""
    today = today or timezone.localdate()
    in_force, since = _in_force_q(today), monitoring.dormancy_start(today)
    return {
        "active": Count("pk", filter=in_force & Q(last_monitored_on__gte=since)),
        "dormant": Count("pk", filter=in_force & Q(last_monitored_on__lt=since)),
        "never_monitored": Count("pk", filter=in_force & Q(last_monitored_on__isnull=True)),
    }


def _cached(name: str, parts: str, compute, scopes=(registry_cache.ALL,)):
    """`compute()` under the public registry's cache: invalidated by the publications of
    `scopes` (every one by default; after its commit) and every day (the status moves with the
    date)."""
    return registry_cache.cached(f"portal:{name}", parts, compute, scopes=scopes)


def _kind_chart(rows) -> BarChart:
    kinds = dict(Kind.choices)
    return bar_chart(
        _("Agreements by kind"),
        [(str(kinds.get(kind, kind)), n) for kind, n in rows],
        label_heading=_("Kind"),
        value_heading=_("Agreements"),
    )


def _year_chart(rows) -> BarChart:
    return bar_chart(
        _("Agreements signed per year"),
        [(str(year), n) for year, n in rows],
        label_heading=_("Year"),
        value_heading=_("Agreements"),
    )


def _status_chart(counts: dict) -> BarChart:
    active, ended = counts["in_force"], counts["total"] - counts["in_force"]
    rows = [(_("In force"), active), (_("Ended or expired"), ended)]
    return bar_chart(
        _("Agreements in force and ended"),
        rows if counts["total"] else [],
        label_heading=_("Status"),
        value_heading=_("Agreements"),
    )


def _monitoring_chart(counts: dict) -> BarChart:
    rows = [
        (_("Active (monitored in the last semester)"), counts["active"]),
        (_("Dormant (no report for the last semester)"), counts["dormant"]),
        (_("Never monitored"), counts["never_monitored"]),
    ]
    return bar_chart(
        _("Agreements in force: active and dormant"),
        rows if counts["in_force"] else [],
        label_heading=_("Monitoring"),
        value_heading=_("Agreements"),
    )


def region_profile(region: Region) -> RegionProfile:
    agreements = _of_region(region)
    listings = Listing.objects.public().filter(tenant__region=region)
    numbers = _cached(
        "region",
        region.code,
        lambda: {**_counts(agreements), "partners": _partner_counts(region)},
        scopes=[registry_cache.region_scope(region.code)],
    )
    partners, others = _region_partners(region, numbers["partners"])
    return RegionProfile(
        agreements=_rows(agreements.order_by("-signed_on", "-pk")[:PROFILE_AGREEMENTS]),
        agreement_count=numbers["total"],
        in_force=numbers["in_force"],
        listings=_with_urls(
            listings.select_related("area").order_by(
                F("published_at").desc(nulls_last=True), "-pk"
            )[:PROFILE_LISTINGS]
        ),
        listing_count=listings.count(),
        partners=partners,
        other_partners=others,
        map=_map_data(region, partners),
        charts=[
            _kind_chart(numbers["kinds"]),
            _year_chart(numbers["years"]),
            _status_chart(numbers),
            _monitoring_chart(numbers),
        ],
    )


# --- The platform ---------------------------------------------------------------------------------


def _platform_numbers() -> dict:
    def compute() -> dict:
        # From the registry's counts tables (kept by its triggers as publications write): the
        # pairs and the urusan without reading every record (issue 19).
        pairs = registry.top_pairs(TOP_PAIRS)
        codes = {code for first, second, _n in pairs for code in (first, second)}
        names = {r.code: r.full_name for r in Region.objects.filter(code__in=codes)}
        years = [
            (None if year == "None" else int(year), n)
            for year, n in registry.facet_counts_of("year")
        ]
        return {
            "kinds": registry.facet_counts_of("kind"),
            "years": sorted(years, key=lambda row: (row[0] is None, row[0] or 0)),
            **_agreements().aggregate(
                total=Count("pk"),
                in_force=Count("pk", filter=_in_force_q()),
                **_monitoring_counts(),
            ),
            "pairs": [(a, b, names.get(a, a), names.get(b, b), n) for a, b, n in pairs],
            "urusan": registry.facet_counts_of("urusan")[:TOP_URUSAN],
        }

    return _cached("platform-v3", "", compute)


def platform_figures(numbers: dict | None = None) -> dict[str, int]:
    numbers = numbers or _platform_numbers()
    return {
        "regions": Tenant.objects.publicly_visible().count(),
        "agreements": numbers["total"],
        "in_force": numbers["in_force"],
        "listings": Listing.objects.public().count(),
    }


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    agreements: int


def _pairs_map(pairs) -> dict:
    """The pairs as lines between the regions' seats (search.RegionLocation)."""
    codes = {code for a, b, *_rest in pairs for code in (a, b)}
    seats = {
        location.region_id: (location.latitude, location.longitude)
        for location in RegionLocation.objects.filter(region_id__in=codes)
    }
    lines = [
        {
            "a": {"name": first, "lat": seats[a][0], "lon": seats[a][1]},
            "b": {"name": second, "lat": seats[b][0], "lon": seats[b][1]},
            "agreements": n,
        }
        for a, b, first, second, n in pairs
        if a in seats and b in seats
    ]
    return {"tiles": tile_url(), "attribution": _map_attribution(), "lines": lines}


def _urusan_chart(rows) -> BarChart:
    return bar_chart(
        _("The most active urusan"),
        [(urusan.label(code), n) for code, n in rows],
        label_heading=_("Urusan"),
        value_heading=_("Agreements"),
    )


def platform_overview() -> dict:
    """Which regions cooperate with which (the pairs with most agreements), the most active
    urusan, agreements per year and by kind."""
    numbers = _platform_numbers()
    return {
        "figures": platform_figures(numbers),
        "pairs": [Pair(first, second, n) for _a, _b, first, second, n in numbers["pairs"]],
        "map": _pairs_map(numbers["pairs"]),
        "charts": [
            _urusan_chart(numbers["urusan"]),
            _year_chart(numbers["years"]),
            _kind_chart(numbers["kinds"]),
        ],
    }
