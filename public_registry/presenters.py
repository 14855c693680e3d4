"""The public registry's answers, shaped once for its pages (views.py) and the API
(api/registry_views.py), so both give the same: a page of the list with its facets, a row with
its labels, one record with its versions, documents and related records."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cooperation import urusan as urusan_codes
from cooperation.models import Instrument, Kind
from tenants.models import Region

from . import cache, selectors
from .models import PublishedAgreement, PublishedVersion, Status
from .withheld import Withheld, public_version

# Public answers that a later withholding changes (a version as served, a document's copy) are
# cached briefly: what the office withholds must leave shared caches soon.
SHORT_CACHE = "public, max-age=300"

FACET_TITLES = {
    "status": gettext_lazy("Status"),
    "kind": gettext_lazy("Kind"),
    "urusan": gettext_lazy("Urusan"),
    "year": gettext_lazy("Year of signing"),
    "province": gettext_lazy("Province"),
    "region": gettext_lazy("Region"),
    "partner": gettext_lazy("Partner"),
}


def _region_names(codes) -> dict[str, str]:
    return {r.code: r.full_name for r in Region.objects.filter(code__in=set(codes))}


def list_data(filters, sort: str, page: int) -> dict:
    """A page of the list for `filters`: its rows (selectors.page_of), the facet counts
    (cached apart from the sort and the page) and the names of the regions they mention."""
    today = timezone.localdate()
    # The counts do not depend on the sort or the page: paging through a list counts once.
    counts = cache.cached(
        "facets",
        filters.key(),
        lambda: selectors.facet_counts(filters, today=today),
        scopes=cache.list_scopes(filters),
    )
    codes = {*counts["province"], *counts["region"], *filters.province, *filters.region}
    return {
        "rows": selectors.page_of(filters, sort=sort, page=page, today=today),
        "counts": counts,
        "names": _region_names(codes),
    }


def _label(facet: str, value: str, names: dict[str, str]) -> str:
    if facet == "status":
        return str(Status(value).label)
    if facet == "kind":
        return str(Kind(value).label) if value in Kind.values else value
    if facet == "urusan":
        return urusan_codes.label(value)
    if facet in ("province", "region"):
        return names.get(value, value)
    return str(value)


def facet_options(params, filters, counts, names) -> list[dict]:
    """Per facet (with any value), its title and values, each with its label, count, whether
    it is chosen and the link (`params` less the page) that adds or removes it."""
    facets = []
    for facet in selectors.FACETS:
        chosen = [str(v) for v in getattr(filters, facet)]
        values = dict(counts[facet])
        for value in chosen:
            values.setdefault(value, 0)
        order = sorted(values, key=lambda v: (-values[v], v))
        if facet == "year":
            order = sorted(values, reverse=True)
        elif facet == "status":
            order = [s.value for s in Status if s.value in values]
        options = []
        for value in order:
            query = params.copy()
            query.pop("page", None)
            current = query.getlist(facet)
            selected = value in chosen
            query.setlist(
                facet, [v for v in current if v != value] if selected else [*current, value]
            )
            options.append(
                {
                    "value": value,
                    "label": _label(facet, value, names),
                    "count": values[value],
                    "selected": selected,
                    "url": "?" + query.urlencode(),
                }
            )
        if options:
            facets.append({"name": facet, "title": FACET_TITLES[facet], "options": options})
    return facets


def present_row(row: dict, today) -> dict:
    """A row of the list (selectors.LIST_FIELDS) with its status as of `today` and the labels
    of its status, kind, instrument and urusan."""
    status = selectors.status_of(
        terminated=row["terminated"], term_end=row["term_end"], today=today
    )
    return {
        **row,
        "status": status,
        "status_label": Status(status).label,
        "kind_label": Kind(row["kind"]).label,
        "instrument_label": Instrument(row["instrument"]).label,
        "urusan_labels": [urusan_codes.label(code) for code in row["urusan"]],
    }


RELATIONS = {
    "parent": gettext_lazy("The KSB it falls under"),
    "amends": gettext_lazy("The agreement it amends"),
    "renews": gettext_lazy("The agreement it renews"),
    "child": gettext_lazy("A PKS under this KSB"),
    "addendum": gettext_lazy("An addendum to it"),
    "renewal": gettext_lazy("Its renewal"),
}


def _related(record: PublishedAgreement) -> list[tuple[str, PublishedAgreement]]:
    coop = record.cooperation_id
    up = {
        record.parent_cooperation_id: "parent",
        record.amends_cooperation_id: "amends",
        record.renews_cooperation_id: "renews",
    }
    up.pop(None, None)
    found = PublishedAgreement.objects.filter(
        Q(cooperation_id__in=list(up))
        | Q(parent_cooperation_id=coop)
        | Q(amends_cooperation_id=coop)
        | Q(renews_cooperation_id=coop)
    ).only(
        "id",
        "title",
        "cooperation_id",
        "parent_cooperation_id",
        "amends_cooperation_id",
        "renews_cooperation_id",
        "signed_on",
        "instrument",
    )
    related = []
    for other in found.order_by("signed_on", "id"):
        if other.cooperation_id in up:
            kind = up[other.cooperation_id]
        elif other.parent_cooperation_id == coop:
            kind = "child"
        elif other.amends_cooperation_id == coop:
            kind = "addendum"
        else:
            kind = "renewal"
        related.append((kind, other))
    return related


def detail_data(pk: int) -> dict | None:
    """The published record `pk` with its current snapshot, versions, documents and related
    records ([(relation, record)], keys of RELATIONS); None when there is no such record. The
    snapshot is what the public may see now (withheld.public_version)."""
    record = PublishedAgreement.objects.select_related("owner_region").filter(pk=pk).first()
    if record is None:
        return None
    versions = list(record.versions.only("number", "reason", "published_at", "record_id"))
    current = PublishedVersion.objects.get(record=record, number=record.version)
    return {
        "record": record,
        "snapshot": public_version(current.snapshot, Withheld.of_record(record)),
        "versions": versions,
        "documents": list(record.documents.all()),
        "related": _related(record),
    }


def version_data(pk: int, number: int) -> dict | None:
    """Version `number` of the published record `pk` as the public may see it now: the version
    as it was published, less what the office withholds today (withheld.public_version). None
    when there is no such version."""
    version = (
        PublishedVersion.objects.select_related("record")
        .filter(record_id=pk, number=number)
        .first()
    )
    if version is None:
        return None
    return {
        "id": pk,
        "version": version.number,
        "reason": version.reason,
        "published_at": version.published_at,
        "record": public_version(version.snapshot, Withheld.of_record(version.record)),
    }
