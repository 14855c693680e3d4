"""The portal's own views besides Wagtail's pages: the search over the pages (Wagtail's search,
PostgreSQL's `indonesian` configuration, see WAGTAILSEARCH_BACKENDS) and, on a region's
subdomain, the office's choice of the region's portal editors (cms/editors.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from core.form_actions import perform
from core.hosts import platform_url
from tenants.decorators import workspace_view
from tenants.models import Membership

from . import editors as editor_actions
from .models import RegionPage
from .policy import PortalPerm, can_be_portal_editor

MAX_QUERY = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = None
    if query:
        pages = Page.objects.live().public().not_type(_hidden_types()).specific()
        results = Paginator(pages.search(query), 20).get_page(request.GET.get("halaman"))
    return render(request, "cms/search.html", {"query": query, "results": results})


def _hidden_types():
    from .models import HomePage

    return (HomePage,)


@workspace_view(PortalPerm.MANAGE_PORTAL_EDITORS)
def region_editors(request):
    tenant = request.tenant
    page = RegionPage.objects.filter(region_id=tenant.region_id).first()
    editor_ids = editor_actions.editor_user_ids(page)
    rows = [
        (m, can_be_portal_editor(m), m.user_id in editor_ids)
        for m in tenant.memberships.select_related("user").order_by("role", "user__email")
    ]
    return render(
        request,
        "cms/region_editors.html",
        {
            "page": page,
            "rows": rows,
            "writable": tenant.accepts_writes,
            "cms_url": platform_url("/cms/"),
        },
    )


@workspace_view(PortalPerm.MANAGE_PORTAL_EDITORS)
@require_POST
def region_editor_change(request, pk: int):
    # Scoped to the current region: another region's membership is simply not found.
    membership = get_object_or_404(
        Membership.objects.select_related("user", "tenant"), pk=pk, tenant=request.tenant
    )
    grant = request.POST.get("action") == "grant"
    change = editor_actions.grant_editor if grant else editor_actions.revoke_editor
    if perform(request, lambda: change(membership=membership, acting_user=request.user)).done:
        text = (
            _("%(email)s now edits the region's section of the portal.")
            if grant
            else _("%(email)s no longer edits the region's section of the portal.")
        )
        messages.success(request, text % {"email": membership.user.email})
    return redirect("cms_region:editors")
