"""Platform views (base domain): applying for a region, the staff's review queue and tenant
management, the person's list of workspaces, and the region registry's JSON API."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import lifecycle, onboarding
from .codes import validate_region_code
from .decorators import platform_staff_view
from .errors import ErrorCode
from .forms import ApplicationForm, DeleteTenantForm, RejectForm, SuspendForm
from .models import (
    ApplicationStatus,
    Invitation,
    Region,
    RegionApplication,
    RegionKind,
    Tenant,
)
from .policy import Perm, can_act
from .provisioning import TemplateNotReady

logger = logging.getLogger(__name__)


@login_required
def my_workspaces(request):
    applications = RegionApplication.objects.filter(applicant=request.user).select_related(
        "region", "tenant"
    )
    # Invitations to any of the person's verified addresses: the way back to an invitation
    # after signing up and confirming the address, when the e-mailed link's context is lost.
    verified = request.user.emailaddress_set.filter(verified=True).values("email")
    invitations = (
        Invitation.objects.pending()
        .filter(email__in=verified)
        .exclude(tenant__memberships__user=request.user)
        .select_related("tenant__region", "area")
    )
    return render(
        request,
        "tenants/my_workspaces.html",
        {"applications": applications, "invitations": invitations},
    )


@login_required
def apply(request):
    if not can_act(request.user):
        messages.error(request, _("Verify your e-mail address before applying."))
        return redirect("account_email")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            onboarding.submit_application(
                applicant=request.user,
                region=data["region"],
                position=data["position"],
                office=data["office"],
                official_email=data["official_email"],
                phone=data["phone"],
                letter=data["letter"],
            )
        except ValidationError as exc:
            form.add_error("region", exc)
        else:
            messages.success(
                request,
                _("Your application for %(region)s was received. We will e-mail you the decision.")
                % {"region": data["region"].full_name},
            )
            return redirect("platform:my_workspaces")
    return render(request, "tenants/apply.html", {"form": form}, status=400 if form.errors else 200)


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
def application_queue(request):
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.PENDING
    applications = RegionApplication.objects.filter(status=status).select_related(
        "region", "applicant"
    )
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "tenants/staff/queue.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices},
    )


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
def application_detail(request, pk: int):
    application = get_object_or_404(
        RegionApplication.objects.select_related("region", "applicant", "tenant"), pk=pk
    )
    reject_form = RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                tenant = onboarding.approve_application(
                    application=application, acting_user=request.user
                )
                messages.success(
                    request, _("%(region)s is on Jejaring now.") % {"region": tenant.name}
                )
                return redirect("platform:application_queue")
            if request.POST.get("decision") == "reject" and reject_form.is_valid():
                onboarding.reject_application(
                    application=application,
                    acting_user=request.user,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(
                    request, _("The application was rejected; the applicant was told why.")
                )
                return redirect("platform:application_queue")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except (DatabaseError, TemplateNotReady):
            logger.exception("Provisioning %s failed", application.region_id)
            messages.error(
                request,
                _(
                    "Provisioning failed and nothing was created. Try again; if it fails again, "
                    "ask the platform's operators to check the server log."
                ),
            )
            return render(
                request,
                "tenants/staff/application.html",
                {"application": application, "reject_form": reject_form},
                status=503,
            )
    return render(
        request,
        "tenants/staff/application.html",
        {"application": application, "reject_form": reject_form},
        status=400 if request.method == "POST" else 200,
    )


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
@require_GET
def application_letter(request, pk: int):
    application = get_object_or_404(RegionApplication, pk=pk)
    return FileResponse(
        application.letter.open("rb"),
        content_type="application/pdf",
        filename=f"surat-tugas-{application.region.slug or application.region_id}.pdf",
    )


@platform_staff_view(Perm.MANAGE_TENANTS)
def tenant_list(request):
    tenants = Tenant.objects.regions().select_related("region").order_by("region__code")
    return render(request, "tenants/staff/tenants.html", {"tenants": tenants})


@platform_staff_view(Perm.MANAGE_TENANTS)
def tenant_detail(request, pk: int):
    tenant = get_object_or_404(Tenant.objects.regions().select_related("region"), pk=pk)
    suspend_form = SuspendForm(request.POST if request.POST.get("op") == "suspend" else None)
    delete_form = DeleteTenantForm(request.POST if request.POST.get("op") == "delete" else None)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "suspend" and suspend_form.is_valid():
                lifecycle.suspend_tenant(
                    tenant=tenant,
                    acting_user=request.user,
                    reason=suspend_form.cleaned_data["reason"],
                )
                messages.success(
                    request, _("%(region)s is suspended (read-only).") % {"region": tenant.name}
                )
                return redirect("platform:tenant_detail", pk=tenant.pk)
            if op == "reactivate":
                lifecycle.reactivate_tenant(tenant=tenant, acting_user=request.user)
                messages.success(
                    request, _("%(region)s is active again.") % {"region": tenant.name}
                )
                return redirect("platform:tenant_detail", pk=tenant.pk)
            if op == "export":
                path = lifecycle.export_tenant(tenant=tenant, acting_user=request.user)
                return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
            if op == "delete" and delete_form.is_valid():
                name = tenant.name
                lifecycle.delete_tenant(
                    tenant=tenant,
                    acting_user=request.user,
                    confirmation=delete_form.cleaned_data["confirmation"],
                )
                messages.success(request, _("%(region)s was deleted.") % {"region": name})
                return redirect("platform:tenant_list")
        except ValidationError as exc:
            form = delete_form if op == "delete" else suspend_form
            form.add_error(None, exc)
    return render(
        request,
        "tenants/staff/tenant.html",
        {
            "tenant": tenant,
            "suspend_form": suspend_form,
            "delete_form": delete_form,
            "events": tenant.audit_events.select_related("actor")[:50],
            "members": tenant.memberships.select_related("user", "area"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _region_json(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "full_name": region.full_name,
        "kind": region.kind,
        "parent": region.parent_id,
        "slug": region.slug,
    }


def _api_error(message: str, code: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def _invalid_code(value: str) -> JsonResponse | None:
    try:
        validate_region_code(value)
    except ValidationError as exc:
        return _api_error(exc.messages[0], exc.code)
    return None


@require_GET
def region_api(request, code: str | None = None):
    """Read-only registry API: `/api/wilayah/?induk=35.73&jenis=kecamatan&q=blim` lists,
    `/api/wilayah/35.73/` shows one region with its ancestry. Errors are JSON with a stable
    `code`."""
    if code is not None:
        if error := _invalid_code(code):
            return error
        region = Region.objects.filter(code=code).first()
        if region is None:
            return _api_error(
                _("No region has the code %(code)s.") % {"code": code},
                ErrorCode.UNKNOWN_REGION,
                status=404,
            )
        ancestry, parent = [], region.parent
        while parent is not None:
            ancestry.insert(0, _region_json(parent))
            parent = parent.parent
        return JsonResponse(
            {**_region_json(region), "ancestors": ancestry, "children": region.children.count()}
        )
    regions = Region.objects.all()
    parent = request.GET.get("induk")
    if parent:
        if error := _invalid_code(parent):
            return error
        regions = regions.filter(parent_id=parent)
    kind = request.GET.get("jenis")
    if kind:
        if kind not in RegionKind.values:
            return _api_error(
                _("Unknown kind. Use one of: %(kinds)s") % {"kinds": ", ".join(RegionKind.values)},
                "unknown_kind",
            )
        regions = regions.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        regions = regions.filter(name__icontains=query)
    if not (parent or kind or query):
        regions = regions.filter(parent__isnull=True)
    page = Paginator(regions.order_by("code"), 100).get_page(request.GET.get("halaman"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_region_json(r) for r in page],
        }
    )
