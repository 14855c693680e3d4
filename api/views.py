"""The API on the platform (/api/v1/ at the base domain): regions, published listings, partner
suggestions; with a token, writing the token's region's listings and sending proposals.

Views shape input and output; the actions decide and write (marketplace.actions,
cooperation.shared_proposals), and tenants.policy decides who may; a token acts as its
membership."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperation import shared_proposals as proposals
from cooperation.policy import AgreementPerm
from marketplace import actions, matchmaking, selectors
from marketplace.access import get_public_listing, get_region_listing
from marketplace.models import Listing, ListingPhoto, ListingStatus
from marketplace.policy import MarketplacePerm
from search.query import FACETS, MAX_PAGE, Sort
from tenants.codes import REGION_CODE_RE, validate_region_code
from tenants.errors import ErrorCode
from tenants.models import Region, RegionKind
from tenants.policy import has_perm

from . import serializers as s
from .errors import ApiError

# The Kemendagri code's form (35, 35.73, 35.73.01, 35.73.01.1007), stated in the schema.
REGION_CODE = REGION_CODE_RE.pattern

# --- Helpers -------------------------------------------------------------------------------------


def invalid(field: str, message: str, code: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


def token_membership(request):
    """The membership the request's token belongs to (401 without a token)."""
    if request.auth is None:
        raise exceptions.NotAuthenticated(
            _("This call needs a token: `Authorization: Bearer <token>`."),
            code=ApiError.NOT_AUTHENTICATED,
        )
    return request.auth.membership


def region_code(value: str, field: str) -> str:
    try:
        validate_region_code(value)
    except ValidationError as exc:
        raise invalid(field, " ".join(exc.messages), ErrorCode.INVALID_REGION_CODE) from None
    return value


class TokenView(APIView):
    """A view every method of which needs a token."""

    token_required = True


# --- Regions -------------------------------------------------------------------------------------


class RegionPagination(PageNumberPagination):
    page_size = 100


@extend_schema(
    tags=["regions"],
    summary="Regions of the Kemendagri registry",
    description=(
        "Provinces when no filter is given; `parent` lists the regions directly within one, "
        "`kind` narrows to a kind, `q` searches names (the same filters as /api/wilayah/)."
    ),
    parameters=[
        OpenApiParameter(
            "parent", str, pattern=REGION_CODE, description="Kemendagri code of the parent region"
        ),
        OpenApiParameter("kind", str, enum=RegionKind.values),
        OpenApiParameter("q", str, description="Part of the name"),
        OpenApiParameter("page", int),
    ],
    responses=s.RegionSerializer(many=True),
)
class RegionList(APIView):
    pagination_class = RegionPagination

    def get(self, request):
        regions = Region.objects.all()
        # A parameter sent empty is refused as the schema says (a code, one of the kinds), not
        # taken as absent: `?parent=` used to list the provinces.
        params = request.query_params
        parent = params.get("parent")
        if parent is not None:
            regions = regions.filter(parent_id=region_code(parent, "parent"))
        kind = params.get("kind")
        if kind is not None:
            if kind not in RegionKind.values:
                raise invalid(
                    "kind",
                    _("Unknown kind. Use one of: %(kinds)s")
                    % {"kinds": ", ".join(RegionKind.values)},
                    ErrorCode.UNKNOWN_KIND,
                )
            regions = regions.filter(kind=kind)
        query = params.get("q", "").strip()[:120]
        if query:
            regions = regions.filter(name__icontains=query)
        if not (parent or kind or query):
            regions = regions.filter(parent__isnull=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(regions.order_by("code"), request, view=self)
        return paginator.get_paginated_response(s.RegionSerializer(page, many=True).data)


@extend_schema(
    tags=["regions"],
    summary="One region, with its ancestry",
    parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=REGION_CODE)],
    responses=s.RegionDetailSerializer,
)
class RegionDetail(APIView):
    def get(self, request, code: str):
        region = Region.objects.filter(code=region_code(code, "code")).first()
        if region is None:
            raise exceptions.NotFound(
                _("No region has the code %(code)s.") % {"code": code},
                code=ErrorCode.UNKNOWN_REGION,
            )
        ancestors, parent = [], region.parent
        while parent is not None:
            ancestors.insert(0, parent)
            parent = parent.parent
        body = {
            **s.RegionSerializer(region).data,
            "ancestors": s.RegionSerializer(ancestors, many=True).data,
            "children": region.children.count(),
        }
        return Response(body)


# --- Listings ------------------------------------------------------------------------------------

_FACET_PARAMETERS = [
    OpenApiParameter(
        name,
        # No maxLength: a longer value is accepted and matches nothing, as on the search page.
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description=_(
            "Codes; several values are alternatives, filters combine; an unknown code matches "
            "nothing."
        ),
    )
    for name in FACETS
]


def _with_photos(listings):
    return listings.prefetch_related(
        Prefetch("photos", queryset=ListingPhoto.objects.order_by("uploaded_at", "id"))
    )


def page_link(request, page: int | None) -> str | None:
    if page is None:
        return None
    query = request.query_params.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + urlencode(query, doseq=True)


class ListingCollection(APIView):
    @extend_schema(
        tags=["listings"],
        summary="Search published listings",
        description=(
            "The marketplace's search, with the filters of its page: `q` words (synonyms and "
            "typos tolerated), facets by code, `sort` (relevance, recent, distance from the "
            "region `near`), 20 per page, at most 50 pages. Facet counts come with the results."
        ),
        parameters=[
            OpenApiParameter("q", str),
            *_FACET_PARAMETERS,
            OpenApiParameter("sort", str, enum=[v.value for v in Sort]),
            OpenApiParameter("near", str, description=_("Region code, for sort=distance")),
            OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        ],
        responses=s.ListingPageSerializer,
        operation_id="listings_search",
    )
    def get(self, request):
        params = request.query_params
        sort = params.get("sort")
        sorts = [value.value for value in Sort]
        if sort is not None and sort not in sorts:
            raise invalid(
                "sort",
                _("Sort by one of: %(sorts)s") % {"sorts": ", ".join(sorts)},
                ApiError.INVALID,
            )
        page = params.get("page", "1")
        if not (page.isascii() and page.isdigit()) or not 1 <= int(page) <= MAX_PAGE:
            raise invalid(
                "page", _("Ask for a page from 1 to %(n)s.") % {"n": MAX_PAGE}, ApiError.INVALID
            )
        results, rows, facets = selectors.search(
            text=params.get("q", "")[:1000],
            filters=selectors.filters_from(params),
            sort=sort or "",
            near=params.get("near", "")[:13],
            page=int(page),
        )
        current = results.request.page
        body = {
            "count": results.total,
            "page": current,
            "pages": results.pages,
            "next": page_link(request, current + 1 if current < results.pages else None),
            "previous": page_link(request, current - 1 if current > 1 else None),
            "backend": results.backend,
            "notices": [str(n) for n in results.notices],
            "results": [
                {"score": r.hit.score, "distance_km": r.hit.distance_km, "listing": r.listing}
                for r in rows
            ],
            "facets": {name: [vars(o) for o in options] for name, options in facets.items()},
        }
        return Response(s.ListingPageSerializer(body).data)

    @extend_schema(
        tags=["listings"],
        summary="Draft a listing of the token's region",
        description=(
            "The same action as the workspace's form: the office, OPD staff, camat and lurah "
            "publish (camat and lurah for their own area). The listing is a draft until it is "
            "submitted and the office publishes it."
        ),
        request=s.ListingWriteSerializer,
        responses={201: s.ListingSerializer},
    )
    def post(self, request):
        membership = token_membership(request)
        data = _listing_input(request, membership, partial=False)
        listing = actions.create_listing(membership=membership, fields=data)
        return Response(_listing_body(listing.pk), status=status.HTTP_201_CREATED)


def _listing_input(request, membership, *, partial: bool) -> dict:
    serializer = s.ListingWriteSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if "area" in data:
        code = data["area"] or ""
        if code:
            region_code(code, "area")
            area = Region.objects.filter(code=code).first()
            if area is None:
                raise invalid(
                    "area",
                    _("No region has the code %(code)s.") % {"code": code},
                    ErrorCode.UNKNOWN_REGION,
                )
            data["area"] = area
        else:
            data["area"] = None
    for name in ("unit", "contact_phone", "contact_email", "potential_type"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


def _listing_body(pk: int) -> dict:
    listing = _with_photos(Listing.objects.select_related("tenant__region", "area")).get(pk=pk)
    return s.ListingSerializer(listing).data


class OwnListingPagination(PageNumberPagination):
    page_size = 25  # as the region's listings page


class OwnListingList(TokenView):
    pagination_class = OwnListingPagination

    @extend_schema(
        tags=["listings"],
        summary="The token's region's own listings, in any status",
        description=(
            "The workspace's list of the region's listings (/pasar/ on its subdomain), with "
            "its `status` filter; newest change first, 25 per page."
        ),
        parameters=[
            OpenApiParameter("status", str, enum=ListingStatus.values),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=s.ListingSerializer(many=True),
    )
    def get(self, request):
        membership = token_membership(request)
        if not has_perm(
            membership.user, membership.tenant, MarketplacePerm.VIEW_LISTINGS, membership
        ):
            raise exceptions.PermissionDenied(_("Your role does not see the region's listings."))
        status_filter = request.query_params.get("status")
        if status_filter is not None and status_filter not in ListingStatus.values:
            raise invalid(
                "status",
                _("Unknown status. Use one of: %(statuses)s")
                % {"statuses": ", ".join(ListingStatus.values)},
                ApiError.INVALID,
            )
        listings = _with_photos(
            selectors.region_listings(membership.tenant, status=status_filter or "")
            .select_related("tenant__region")
            .order_by("-updated_at", "-id")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(listings, request, view=self)
        return paginator.get_paginated_response(s.ListingSerializer(page, many=True).data)


class ListingDetail(APIView):
    @extend_schema(
        tags=["listings"],
        summary="One listing",
        description=(
            "A published, valid listing for anyone; with a token of the listing's region, its "
            "own listings in any status."
        ),
        responses=s.ListingSerializer,
    )
    def get(self, request, pk: int):
        listing = None
        if request.auth is not None:
            try:  # the token's region's own listing, in any status
                listing = get_region_listing(request.auth.membership, pk)
            except Http404:
                listing = None
        if listing is None:
            listing = get_public_listing(pk)  # what anyone sees; Http404 otherwise
        return Response(_listing_body(listing.pk))

    @extend_schema(
        tags=["listings"],
        summary="Edit a listing of the token's region",
        description=(
            "Only the fields sent change. A published listing edited by someone who does not "
            "moderate goes back to moderation, as on the web."
        ),
        request=s.ListingWriteSerializer(partial=True),
        responses=s.ListingSerializer,
    )
    def patch(self, request, pk: int):
        membership = token_membership(request)
        listing = get_region_listing(membership, pk)
        data = _listing_input(request, membership, partial=True)
        actions.update_listing(membership=membership, listing=listing, fields=data)
        return Response(_listing_body(pk))


class ListingSubmit(TokenView):
    @extend_schema(
        tags=["listings"],
        summary="Submit a draft or returned listing for moderation",
        request=None,
        responses=s.ListingSerializer,
    )
    def post(self, request, pk: int):
        membership = token_membership(request)
        listing = get_region_listing(membership, pk)
        actions.submit_listing(membership=membership, listing=listing)
        return Response(_listing_body(pk))


# --- Partner suggestions -----------------------------------------------------------------------


class PartnerList(TokenView):
    @extend_schema(
        tags=["partners"],
        summary="Regions the token's region could work with",
        description=(
            "The partner finder of the workspace (/pasar/mitra/): best first, each with its "
            "reasons and points. Agreements' titles only for members who read the register."
        ),
        responses=s.SuggestionSerializer(many=True),
    )
    def get(self, request):
        membership = token_membership(request)
        tenant = membership.tenant
        if not has_perm(membership.user, tenant, MarketplacePerm.VIEW_LISTINGS, membership):
            raise exceptions.PermissionDenied(_("Your role does not use the partner finder."))
        titles = has_perm(membership.user, tenant, AgreementPerm.VIEW_AGREEMENTS, membership)
        rows = []
        for suggestion in matchmaking.suggest_partners(tenant, limit=20):
            rows.append(
                {
                    "region": suggestion.region,
                    "score": suggestion.score,
                    "distance_km": suggestion.distance_km,
                    "reasons": [
                        {
                            "code": r.code,
                            "points": r.points,
                            "text": r.text,
                            "listings": r.listings,
                            "agreements": list(r.agreements) if titles else [],
                        }
                        for r in suggestion.reasons
                    ],
                }
            )
        return Response(s.SuggestionSerializer(rows, many=True).data)


# --- Proposals ---------------------------------------------------------------------------------


class ProposalCreate(TokenView):
    @extend_schema(
        tags=["proposals"],
        summary="Propose a cooperation to a region",
        description=(
            "The same action as the form on the region's public page, from the token holder's "
            "account (attachments: on the web page)."
        ),
        request=s.ProposalWriteSerializer,
        responses={201: s.ProposalSerializer},
    )
    def post(self, request):
        membership = token_membership(request)
        serializer = s.ProposalWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        target = Region.objects.filter(code=region_code(data.pop("region"), "region")).first()
        tenant = proposals.proposable_tenant(target)
        if tenant is None:
            raise exceptions.NotFound(
                _("That region does not take proposals on Jejaring."), code=ErrorCode.UNKNOWN_REGION
            )
        code = data.get("from_region") or ""
        data["from_region"] = (
            Region.objects.filter(code=region_code(code, "from_region")).first() if code else None
        )
        if code and data["from_region"] is None:
            raise invalid(
                "from_region",
                _("No region has the code %(code)s.") % {"code": code},
                ErrorCode.UNKNOWN_REGION,
            )
        proposal = proposals.submit_proposal(user=membership.user, tenant=tenant, data=data)
        return Response(s.ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)
