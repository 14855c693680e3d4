"""The marketplace's pages: the public search and listing pages on the platform, and each
region's own listings, their editing and their moderation on the region's subdomain. Views shape
input and output; the actions decide and write; tenants.policy decides who may do what."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import Forbidden
from core.form_actions import run, submit
from core.hosts import platform_url
from core.uploads import limit_request_body
from search.policy import SearchPerm
from search.query import MAX_QUERY_CHARS, Notice, Sort
from tenants.decorators import workspace_view
from tenants.policy import Perm, has_perm, has_platform_perm

from . import actions, inquiries, saved_searches, selectors
from .access import get_photo, get_public_listing, get_region_listing
from .forms import ListingForm, PhotoForm, ReturnForm, SearchForm
from .models import EDITABLE_STATUSES, ListingStatus
from .policy import MarketplacePerm, can_edit_listing, can_moderate_listing, can_save_searches
from .saved_search_forms import SavedSearchForm


def _photo_response(photo) -> FileResponse:
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=mimetypes.types_map[".jpg"])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- The platform: search and public listings ---------------------------------------------


@require_GET
def search_page(request):
    form = SearchForm(request.GET)
    form.is_valid()
    # Each field that is valid counts; a query longer than the search box holds is searched
    # by its first MAX_QUERY_CHARS characters and the page says so (400, the form's error).
    data = form.cleaned_data
    text = data.get("q") or ""
    if "q" in form.errors:
        text = str(request.GET.get("q", "")).strip()
    # The sort asked for, else relevance: the select offers it by default, so typed words are
    # ranked by relevance; without words, relevance means the most recent first
    # (search.query.build_request).
    sort = data.get("sort") if data.get("sort") in {s.value for s in Sort} else ""
    filters = selectors.filters_from(request.GET)
    results, rows, facets = selectors.search(
        text=text,
        filters=filters,
        sort=sort,
        near=data.get("near") or "",
        page=data.get("page") or 1,
    )
    if "q" in form.errors:  # the form's error says it
        results.notices = [n for n in results.notices if n != Notice.TRUNCATED]
    query = request.GET.copy()
    query.pop("page", None)
    # The downloads take the filters only (every matching listing, whatever the words).
    download_query = QueryDict(mutable=True)
    for name, values in filters.items():
        download_query.setlist(name, list(values))
    return render(
        request,
        "marketplace/search.html",
        {
            "download_query": download_query.urlencode(),
            "results": results,
            "rows": rows,
            "facets": facets,
            "facet_titles": selectors.facet_titles(),
            "query": query.urlencode(),
            "form": form,
            "max_query_chars": MAX_QUERY_CHARS,
            "q": results.request.text,
            "sort": sort or Sort.RELEVANCE.value,
            "near": results.request.near,
            "regions_for_distance": selectors.regions_for_distance(),
            "can_save_search": can_save_searches(request.user),
            "can_manage_synonyms": has_platform_perm(request.user, SearchPerm.MANAGE_SYNONYMS),
        },
        status=400 if "q" in form.errors else 200,
    )


# --- Saved searches (marketplace/saved_searches.py) ------------------------------------------


def _search_params(data) -> dict:
    """The search a saved search keeps, from the search page's query string (or the form's
    hidden copy of it)."""
    filters = selectors.filters_from(data)
    return {
        "text": (data.get("q") or "")[:200],
        "filters": {name: list(values) for name, values in filters.items()},
        "sort": data.get("sort") or "",
        "near": data.get("near") or "",
    }


@login_required
def saved_search_new(request):
    """Name the search the person was looking at (its parameters ride along in the query
    string, then in the form's hidden fields) and keep it."""
    if not can_save_searches(request.user):
        raise Forbidden(_("Confirm your e-mail address to save searches."))
    params = _search_params(request.POST if request.method == "POST" else request.GET)
    form = SavedSearchForm(request.POST or None)
    submitted = submit(
        request,
        form,
        lambda data: saved_searches.save_search(user=request.user, name=data["name"], **params),
    )
    if submitted.done:
        messages.success(
            request,
            _("Saved. New matches of “%(name)s” reach you in one e-mail a day.")
            % {"name": submitted.result.name},
        )
        return redirect("marketplace:saved_searches")
    hidden = [("q", params["text"])] if params["text"] else []
    hidden += [(name, code) for name, codes in params["filters"].items() for code in codes]
    hidden += [(key, params[key]) for key in ("sort", "near") if params[key]]
    return render(
        request,
        "marketplace/saved_search_form.html",
        {
            "form": form,
            "hidden": hidden,
            "text": params["text"],
            "filters": selectors.describe_filters(params["filters"]),
        },
        status=submitted.status,
    )


@login_required
@require_GET
def saved_search_list(request):
    rows = [
        {
            "saved": saved,
            "url": "?".join(
                p for p in (reverse("marketplace:search"), saved_searches.query_string(saved)) if p
            ),
            "filters": selectors.describe_filters(saved.filters),
        }
        for saved in saved_searches.saved_searches(request.user)
    ]
    return render(request, "marketplace/saved_searches.html", {"rows": rows})


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    saved = saved_searches.get_own(request.user, pk)
    saved_searches.delete_saved_search(user=request.user, saved=saved)
    messages.success(request, _("The saved search “%(name)s” was deleted.") % {"name": saved.name})
    return redirect("marketplace:saved_searches")


@require_GET
def public_detail(request, pk: int):
    listing = get_public_listing(pk)
    return render(request, "marketplace/public_detail.html", {"listing": listing})


@require_GET
def public_photo(request, pk: int, photo_pk: int):
    return _photo_response(get_photo(get_public_listing(pk), photo_pk))


# --- A region's subdomain: its own listings -------------------------------------------------


def _on_platform(name: str, *args) -> str:
    """A link from a region's subdomain to a page of the platform."""
    return platform_url(reverse(name, args=args, urlconf="portal.urls_public"))


def _can(request, perm: Perm) -> bool:
    return has_perm(request.user, request.tenant, perm, request.membership)


@workspace_view(MarketplacePerm.VIEW_LISTINGS)
@require_GET
def region_list(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.region_listings(request.tenant, status=status), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "marketplace/region_list.html",
        {
            "page": page,
            "status": status if status in ListingStatus.values else "",
            "statuses": ListingStatus.choices,
            "can_publish": _can(request, MarketplacePerm.PUBLISH_LISTINGS),
            "can_moderate": _can(request, MarketplacePerm.MODERATE_LISTINGS),
            "can_extend_synonyms": _can(request, SearchPerm.EXTEND_SYNONYMS),
            "marketplace_search_url": _on_platform("marketplace:search"),
            # What the region's listings led to (marketplace/inquiries.py).
            "inquiry_counts": inquiries.counts(tenant=request.tenant),
            "can_read_inquiries": _can(request, MarketplacePerm.VIEW_INQUIRIES),
        },
    )


@workspace_view(MarketplacePerm.PUBLISH_LISTINGS)
def listing_create(request):
    form = ListingForm(request.POST or None, membership=request.membership)
    submitted = submit(
        request,
        form,
        lambda _data: actions.create_listing(
            membership=request.membership, fields=form.listing_fields()
        ),
    )
    if submitted.done:
        messages.success(
            request, _("The draft was saved. Add photos, then submit it for moderation.")
        )
        return redirect("marketplace_region:detail", pk=submitted.result.pk)
    return render(
        request,
        "marketplace/form.html",
        {"form": form, "creating": True},
        status=submitted.status,
    )


@workspace_view(MarketplacePerm.VIEW_LISTINGS)
@require_GET
def region_detail(request, pk: int):
    listing = get_region_listing(request.membership, pk)
    membership = request.membership
    can_edit = _can(request, MarketplacePerm.PUBLISH_LISTINGS) and can_edit_listing(
        membership, listing
    )
    can_moderate = _can(request, MarketplacePerm.MODERATE_LISTINGS) and can_moderate_listing(
        membership, listing
    )
    return render(
        request,
        "marketplace/region_detail.html",
        {
            "listing": listing,
            "public_url": (
                _on_platform("marketplace:detail", listing.pk) if listing.is_public else ""
            ),
            "photos": listing.photos.all(),
            "can_edit": can_edit and listing.status in EDITABLE_STATUSES,
            "can_submit": can_edit
            and listing.status in (ListingStatus.DRAFT, ListingStatus.RETURNED),
            "can_moderate": can_moderate and listing.status == ListingStatus.SUBMITTED,
            "can_archive": (can_edit or can_moderate) and listing.status != ListingStatus.ARCHIVED,
            "photo_form": PhotoForm(),
            "return_form": ReturnForm(),
        },
    )


def _editable(request, pk: int):
    listing = get_region_listing(request.membership, pk)
    if not can_edit_listing(request.membership, listing):
        raise PermissionDenied
    return listing


@workspace_view(MarketplacePerm.PUBLISH_LISTINGS)
def listing_edit(request, pk: int):
    listing = _editable(request, pk)
    initial = {name: getattr(listing, name) for name in actions.FIELDS if name != "area"}
    initial["area"] = listing.area_id or ""
    form = ListingForm(request.POST or None, membership=request.membership, initial=initial)
    submitted = submit(
        request,
        form,
        lambda _data: actions.update_listing(
            membership=request.membership, listing=listing, fields=form.listing_fields()
        ),
    )
    if submitted.done:
        messages.success(request, _("The listing was saved."))
        return redirect("marketplace_region:detail", pk=listing.pk)
    return render(
        request,
        "marketplace/form.html",
        {"form": form, "listing": listing},
        status=submitted.status,
    )


@workspace_view(MarketplacePerm.PUBLISH_LISTINGS)
@require_POST
def listing_submit(request, pk: int):
    listing = _editable(request, pk)
    try:
        actions.submit_listing(membership=request.membership, listing=listing)
    except ValidationError as exc:
        messages.error(
            request,
            _("Complete the listing first: %(errors)s") % {"errors": " ".join(exc.messages)},
        )
        return redirect("marketplace_region:edit", pk=listing.pk)
    messages.success(request, _("Submitted: the cooperation office will review it."))
    return redirect("marketplace_region:detail", pk=listing.pk)


@workspace_view(MarketplacePerm.MODERATE_LISTINGS)
@require_GET
def moderation_queue(request):
    return render(
        request,
        "marketplace/moderation.html",
        {"listings": selectors.moderation_queue(request.tenant), "return_form": ReturnForm()},
    )


@workspace_view(MarketplacePerm.MODERATE_LISTINGS)
@require_POST
def listing_publish(request, pk: int):
    listing = get_region_listing(request.membership, pk)
    actions.publish_listing(membership=request.membership, listing=listing)
    messages.success(request, _("Published: every region can find it now."))
    return redirect("marketplace_region:moderation")


@workspace_view(MarketplacePerm.MODERATE_LISTINGS)
@require_POST
def listing_return(request, pk: int):
    listing = get_region_listing(request.membership, pk)
    form = ReturnForm(request.POST)
    submitted = run(
        form,
        lambda data: actions.return_listing(
            membership=request.membership, listing=listing, reason=data["reason"]
        ),
    )
    if submitted.done:
        messages.success(request, _("Returned to its publisher with your reason."))
        return redirect("marketplace_region:moderation")
    return render(
        request,
        "marketplace/return.html",
        {"listing": listing, "return_form": form},
        status=submitted.status,
    )


@workspace_view(MarketplacePerm.VIEW_LISTINGS)
@require_POST
def listing_archive(request, pk: int):
    listing = get_region_listing(request.membership, pk)
    actions.archive_listing(membership=request.membership, listing=listing)
    messages.success(request, _("Archived: the listing left the marketplace."))
    return redirect("marketplace_region:list")


@limit_request_body("JEJARING_LISTING_PHOTO_MAX_BYTES")
@workspace_view(MarketplacePerm.PUBLISH_LISTINGS)
@require_POST
def photo_add(request, pk: int):
    listing = _editable(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    submitted = run(
        form,
        lambda data: actions.add_listing_photo(
            membership=request.membership,
            listing=listing,
            upload=data["image"],
            caption=data["caption"],
        ),
    )
    if submitted.done:
        messages.success(request, _("The photo was added."))
        return redirect("marketplace_region:detail", pk=listing.pk)
    return render(
        request,
        "marketplace/photo_form.html",
        {"listing": listing, "photo_form": form},
        status=submitted.status,
    )


@workspace_view(MarketplacePerm.PUBLISH_LISTINGS)
@require_POST
def photo_remove(request, pk: int, photo_pk: int):
    listing = _editable(request, pk)
    photo = get_photo(listing, photo_pk)
    actions.remove_listing_photo(membership=request.membership, photo=photo)
    messages.success(request, _("The photo was removed."))
    return redirect("marketplace_region:detail", pk=listing.pk)


@workspace_view(MarketplacePerm.VIEW_LISTINGS)
@require_GET
def region_photo(request, pk: int, photo_pk: int):
    return _photo_response(get_photo(get_region_listing(request.membership, pk), photo_pk))
