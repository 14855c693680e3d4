"""Published agreements (the public registry, public_registry/) in the API: the list with the
web list's filters, facets and sorts, one record with its versions, and each version's snapshot.
These read through the registry's own selectors and the same cached data as its pages, so the
API and /kerja-sama/ answer alike (and the API never reads a workspace or the parties' shared
record: only the published snapshots)."""

from __future__ import annotations

import math

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from core.hosts import platform_url
from public_registry import cache, presenters, publishing, selectors
from signatures.selectors import statuses_for as signature_statuses

from . import serializers as s
from .errors import ApiError
from .views import invalid, page_link

MAX_PAGE = 10_000


def _public(name: str, *args) -> str:
    return platform_url(reverse(name, args=args, urlconf="portal.urls_public"))


def _row(row: dict, today) -> dict:
    return {
        **presenters.present_row(row, today),
        "url": _public("public_registry:detail", row["id"]),
    }


_FILTERS = [
    OpenApiParameter("q", str, description=_("Words of the title, object and parties")),
    *(
        OpenApiParameter(
            name,
            # No maxLength: a longer or unknown value is accepted and matches nothing, as on the
            # registry's page (a shared link from an older version still opens).
            {"type": "array", "items": {"type": "string"}},
            explode=True,
            description=_(
                "Several values are alternatives; filters combine; an unknown value matches "
                "nothing."
            ),
        )
        for name in ("province", "region", "partner", "kind", "urusan", "year", "status")
    ),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
]


class PublishedAgreementList(APIView):
    @extend_schema(
        tags=["agreements"],
        summary="Published agreements",
        description=(
            "The public registry's list (/kerja-sama/) with the same filters: `q`, "
            "`province`, `region` (Kemendagri codes), `partner` (a party's name), `kind`, "
            "`urusan`, `year` of signing, `status` (in_force, expiring, expired, terminated); "
            "`sort` newest, oldest, term_end or title; 25 per page. Facet counts come along."
        ),
        parameters=_FILTERS,
        responses=s.PublishedPageSerializer,
        # Without it the list and the detail both got "agreements_retrieve" (a collision
        # resolved by a numeral suffix that changes with the order of the URLs).
        operation_id="agreements_list",
    )
    def get(self, request):
        params = request.query_params
        sort = params.get("sort", selectors.DEFAULT_SORT)  # sent empty: refused, as the schema says
        if sort not in selectors.SORTS:
            raise invalid(
                "sort",
                _("Sort by one of: %(sorts)s") % {"sorts": ", ".join(selectors.SORTS)},
                ApiError.INVALID,
            )
        page = params.get("page", "1")
        if not (page.isascii() and page.isdigit()) or not 1 <= int(page) <= MAX_PAGE:
            raise invalid(
                "page", _("Ask for a page from 1 to %(n)s.") % {"n": MAX_PAGE}, ApiError.INVALID
            )
        page = int(page)
        filters = selectors.filters_from(params)
        data = cache.cached(
            "list",
            f"{filters.key()}|{sort}|{page}",
            lambda: presenters.list_data(filters, sort, page),
        )
        total = selectors.total_of(data["counts"])
        pages = max(1, math.ceil(total / selectors.PAGE_SIZE))
        today = timezone.localdate()
        facets = presenters.facet_options(params, filters, data["counts"], data["names"])
        body = {
            "count": total,
            "page": page,
            "pages": pages,
            "next": page_link(request, page + 1 if page < pages else None),
            "previous": page_link(request, min(page - 1, pages) if page > 1 else None),
            "results": [_row(row, today) for row in data["rows"]],
            "facets": {
                facet["name"]: [
                    {
                        "code": str(o["value"]),
                        "label": str(o["label"]),
                        "count": o["count"],
                        "selected": o["selected"],
                    }
                    for o in facet["options"]
                ]
                for facet in facets
            },
        }
        return Response(s.PublishedPageSerializer(body).data)


def _version_ref(pk: int, version) -> dict:
    return {
        "number": version.number,
        "reason": version.reason,
        "reason_label": publishing.reason_label(version.reason),
        "published_at": version.published_at,
        "url": _public("api:agreement_version", pk, version.number),
    }


class PublishedAgreementDetail(APIView):
    @extend_schema(
        tags=["agreements"],
        summary="One published agreement, with its versions",
        responses=s.PublishedDetailSerializer,
    )
    def get(self, request, pk: int):
        data = cache.cached("detail", str(pk), lambda: presenters.detail_data(pk))
        if data is None:
            raise exceptions.NotFound(_("No published agreement has this number."))
        record = data["record"]
        today = timezone.localdate()
        row = {name: getattr(record, name) for name in selectors.LIST_FIELDS}
        # Read now, not from the cached data: a check's result arrives after publication.
        signatures = signature_statuses(d.sha256 for d in data["documents"])
        body = {
            **_row(row, today),
            "stage": record.stage,
            "version": record.version,
            "published_at": record.published_at,
            "modified_at": record.modified_at,
            "record": data["snapshot"],
            "documents": [
                {
                    "id": d.pk,
                    "instrument": d.instrument,
                    "signed_on": d.signed_on,
                    "name": d.original_name,
                    "size": d.size,
                    "sha256": d.sha256,
                    "url": None if d.withheld else _public("public_registry:document", pk, d.pk),
                    "signature": signatures[d.sha256].as_data(),
                }
                for d in data["documents"]
            ],
            "versions": [_version_ref(pk, v) for v in data["versions"]],
            "related": [
                {
                    "relation": kind,
                    "relation_label": str(presenters.RELATIONS[kind]),
                    "id": other.pk,
                    "title": other.title,
                }
                for kind, other in data["related"]
            ],
        }
        return Response(s.PublishedDetailSerializer(body).data)


class PublishedAgreementVersion(APIView):
    @extend_schema(
        tags=["agreements"],
        summary="One published version's snapshot",
        description=(
            "The version as it was published (versions are never edited), less what the "
            "office withholds today: a later withholding reaches every version, and the "
            "snapshot's `withheld` note says what is withheld, since when and on what legal "
            "ground."
        ),
        responses=s.PublishedVersionSerializer,
    )
    def get(self, request, pk: int, number: int):
        version = presenters.version_data(pk, number)
        if version is None:
            raise exceptions.NotFound(_("This agreement has no such published version."))
        response = Response(
            s.PublishedVersionSerializer(
                {**version, "reason_label": publishing.reason_label(version["reason"])}
            ).data
        )
        # Short: a later withholding changes what of the version is served.
        response["Cache-Control"] = presenters.SHORT_CACHE
        return response
