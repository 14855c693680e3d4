"""Platform views (base domain): applying for a region, the staff's review queue and tenant
management, the person's list of workspaces, and the region registry's JSON API."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import Conflict, DomainError
from core.files import pdf_attachment
from core.form_actions import perform, run, submit
from core.hosts import tenant_url
from core.uploads import limit_request_body

from . import onboarding, region_lifecycle
from .codes import validate_region_code
from .decorators import platform_staff_view
from .errors import ErrorCode
from .forms import ApplicationForm, DeleteTenantForm, RejectForm, SuspendForm
from .models import (
    ApplicationStatus,
    Invitation,
    Membership,
    Region,
    RegionApplication,
    RegionKind,
    Tenant,
    TenantExport,
)
from .policy import Perm, can_act, has_platform_perm
from .provisioning import TemplateNotReady

logger = logging.getLogger(__name__)

# The login (allauth's adapter) leads everyone to the workspaces page; the first time after each
# login, that page sends the person where their work is. The session remembers which login it
# did so for, so the page itself stays reachable afterwards.
_LANDED_SESSION_KEY = "jejaring_landed_for_login"
# Only right after logging in: a person who logged in to go somewhere else and opens the
# workspaces page later sees it.
_LANDING_WINDOW = timedelta(minutes=10)


def _live_memberships(user):
    return Membership.objects.filter(user=user, tenant__in=Tenant.objects.live()).select_related(
        "tenant__region", "area"
    )


def _open_invitations(user):
    # Invitations to any of the person's verified addresses: the way back to an invitation
    # after signing up and confirming the address, when the e-mailed link's context is lost.
    verified = user.emailaddress_set.filter(verified=True).values("email")
    return (
        Invitation.objects.pending()
        .filter(email__in=verified, tenant__in=Tenant.objects.live())
        .exclude(tenant__memberships__user=user)
        .select_related("tenant__region", "area")
    )


def _landing(request, memberships, invitations) -> str | None:
    """Where the person's work is: staff on the application queue, a member of exactly one
    region (with no invitation waiting) on that region's dashboard; None for this page."""
    user = request.user
    if user.last_login is None or user.last_login < timezone.now() - _LANDING_WINDOW:
        return None
    login_stamp = user.last_login.isoformat()
    if request.session.get(_LANDED_SESSION_KEY) == login_stamp:
        return None
    request.session[_LANDED_SESSION_KEY] = login_stamp
    if has_platform_perm(user, Perm.REVIEW_APPLICATIONS):
        return reverse("platform:application_queue")
    if len(memberships) == 1 and not invitations and can_act(user):
        return tenant_url(memberships[0].tenant)
    return None


def _workspaces(request, *, land: bool):
    memberships = list(_live_memberships(request.user))
    invitations = list(_open_invitations(request.user))
    if land and (target := _landing(request, memberships, invitations)):
        return redirect(target)
    applications = RegionApplication.objects.filter(applicant=request.user).select_related(
        "region", "tenant"
    )
    is_staff = has_platform_perm(request.user, Perm.REVIEW_APPLICATIONS)
    return render(
        request,
        "tenants/my_workspaces.html",
        {
            "memberships": memberships,
            "applications": applications,
            "invitations": invitations,
            "is_platform_staff": is_staff,
            "pending_count": (
                RegionApplication.objects.filter(status=ApplicationStatus.PENDING).count()
                if is_staff
                else 0
            ),
        },
    )


@login_required
def my_workspaces(request):
    """The person's regions, invitations and applications; right after login, a redirect to
    where their work is (see _landing)."""
    return _workspaces(request, land=True)


@login_required
def application_status(request):
    """The same page, never redirecting (linked from the applicant's e-mails)."""
    return _workspaces(request, land=False)


@limit_request_body("JEJARING_LETTER_MAX_BYTES")
def apply(request):
    if not request.user.is_authenticated:
        back = urlencode({"next": reverse("platform:apply")})
        return render(
            request,
            "tenants/apply_needs_account.html",
            {
                "signup_url": f"{reverse('account_signup')}?{back}",
                "login_url": f"{reverse('account_login')}?{back}",
            },
        )
    if not can_act(request.user):
        messages.error(request, _("Verify your e-mail address before applying."))
        return redirect("account_email")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    submitted = submit(
        request,
        form,
        lambda data: onboarding.submit_application(applicant=request.user, **data),
        field="region",  # what the action refuses is the region applied for
    )
    if submitted.done:
        messages.success(
            request,
            _("Your application for %(region)s was received. We will e-mail you the decision.")
            % {"region": submitted.result.region.full_name},
        )
        return redirect("platform:my_workspaces")
    return render(request, "tenants/apply.html", {"form": form}, status=submitted.status)


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


def _application(pk: int) -> RegionApplication:
    return get_object_or_404(
        RegionApplication.objects.select_related("region", "applicant", "tenant"), pk=pk
    )


def _application_page(request, application, *, reject_form=None, status=200):
    return render(
        request,
        "tenants/staff/application.html",
        {"application": application, "reject_form": reject_form or RejectForm()},
        status=status,
    )


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
@require_GET
def application_detail(request, pk: int):
    return _application_page(request, _application(pk))


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
@require_POST
def application_approve(request, pk: int):
    application = _application(pk)
    try:
        approved = perform(
            request,
            lambda: onboarding.approve_application(
                application=application, acting_user=request.user
            ),
        )
    except (DatabaseError, TemplateNotReady):
        logger.exception("Provisioning %s failed", application.region_id)
        messages.error(
            request,
            _(
                "Provisioning failed and nothing was created. Try again; if it fails again, "
                "ask the platform's operators to check the server log."
            ),
        )
        return _application_page(request, application, status=503)
    if not approved.done:
        return _application_page(request, application, status=approved.status)
    tenant = approved.result
    messages.success(request, _("%(region)s is on Jejaring now.") % {"region": tenant.name})
    return redirect("platform:application_queue")


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
@require_POST
def application_reject(request, pk: int):
    application = _application(pk)
    reject_form = RejectForm(request.POST)
    rejected = run(
        reject_form,
        lambda data: onboarding.reject_application(
            application=application, acting_user=request.user, reason=data["reason"]
        ),
        message_to=request,  # a decided application shows no reject form
    )
    if not rejected.done:
        return _application_page(
            request, application, reject_form=reject_form, status=rejected.status
        )
    messages.success(request, _("The application was rejected; the applicant was told why."))
    return redirect("platform:application_queue")


@platform_staff_view(Perm.REVIEW_APPLICATIONS)
@require_GET
def application_letter(request, pk: int):
    application = get_object_or_404(RegionApplication, pk=pk)
    return pdf_attachment(
        application.letter, f"surat-tugas-{application.region.slug or application.region_id}.pdf"
    )


def application_confirm_email(request, token: str):
    """The link e-mailed to an application's official address: GET shows what is being
    confirmed (mail scanners that open links change nothing), POST confirms. No account needed."""
    try:
        application = onboarding.application_for_confirmation(token)
        if request.method == "POST":
            application = onboarding.confirm_official_email(
                token=token,
                acting_user=request.user if request.user.is_authenticated else None,
            )
            return render(request, "tenants/confirm_email_done.html", {"application": application})
    except DomainError as exc:
        return render(
            request, "tenants/confirm_email_invalid.html", {"error": exc}, status=exc.status
        )
    return render(request, "tenants/confirm_email.html", {"application": application})


@login_required
@require_POST
def application_resend_confirmation(request, pk: int):
    application = get_object_or_404(RegionApplication, pk=pk, applicant=request.user)
    onboarding.resend_email_confirmation(application=application, acting_user=request.user)
    messages.success(
        request,
        _("A new confirmation link was sent to %(email)s.") % {"email": application.official_email},
    )
    return redirect("platform:application_status")


@platform_staff_view(Perm.MANAGE_TENANTS)
def tenant_list(request):
    regions = Tenant.objects.select_related("region").order_by("region__code")
    return render(
        request,
        "tenants/staff/tenants.html",
        {"tenants": regions.live(), "being_deleted": regions.pending_deletion()},
    )


def _region_tenant(pk: int) -> Tenant:
    return get_object_or_404(Tenant.objects.regions().select_related("region"), pk=pk)


def _tenant_page(request, tenant, *, suspend_form=None, delete_form=None, status=200):
    return render(
        request,
        "tenants/staff/tenant.html",
        {
            "tenant": tenant,
            "suspend_form": suspend_form or SuspendForm(),
            "delete_form": delete_form or DeleteTenantForm(),
            "exports": tenant.exports.select_related("requested_by")[:20],
            "events": tenant.audit_events.select_related("actor")[:50],
            "members": tenant.memberships.select_related("user", "area"),
        },
        status=status,
    )


def _wib(moment) -> str:
    local = timezone.localtime(moment, region_lifecycle.platform_time_zone())
    return formats.date_format(local, "j F Y H:i") + " WIB"


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_GET
def tenant_detail(request, pk: int):
    return _tenant_page(request, _region_tenant(pk))


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_POST
def tenant_suspend(request, pk: int):
    tenant = _region_tenant(pk)
    form = SuspendForm(request.POST)
    suspended = run(
        form,
        lambda data: region_lifecycle.suspend_tenant(
            tenant=tenant, acting_user=request.user, reason=data["reason"]
        ),
        message_to=request,  # a region no longer active shows no suspend form
    )
    if not suspended.done:
        return _tenant_page(request, tenant, suspend_form=form, status=suspended.status)
    messages.success(request, _("%(region)s is suspended (read-only).") % {"region": tenant.name})
    return redirect("platform:tenant_detail", pk=tenant.pk)


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_POST
def tenant_reactivate(request, pk: int):
    tenant = _region_tenant(pk)
    reactivated = perform(
        request, lambda: region_lifecycle.reactivate_tenant(tenant=tenant, acting_user=request.user)
    )
    if not reactivated.done:
        return _tenant_page(request, tenant, status=reactivated.status)
    messages.success(request, _("%(region)s is active again.") % {"region": tenant.name})
    return redirect("platform:tenant_detail", pk=tenant.pk)


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_POST
def tenant_export(request, pk: int):
    tenant = _region_tenant(pk)
    region_lifecycle.request_export(tenant=tenant, acting_user=request.user)
    messages.success(
        request,
        _(
            "The export of %(region)s is being prepared in the background. You will get an "
            "e-mail with a link when it is ready; it is also listed on this page."
        )
        % {"region": tenant.name},
    )
    return redirect("platform:tenant_detail", pk=tenant.pk)


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_POST
def tenant_delete(request, pk: int):
    tenant = _region_tenant(pk)
    form = DeleteTenantForm(request.POST)
    scheduled = run(
        form,
        lambda data: region_lifecycle.schedule_deletion(
            tenant=tenant, acting_user=request.user, confirmation=data["confirmation"]
        ),
        message_to=request,  # a region already being deleted shows no delete form
    )
    if not scheduled.done:
        return _tenant_page(request, tenant, delete_form=form, status=scheduled.status)
    tenant.refresh_from_db()
    messages.success(
        request,
        _(
            "%(region)s is being deleted: its members can no longer work in it, and a "
            "final export is being prepared. Staff can restore it until %(date)s."
        )
        % {"region": tenant.name, "date": _wib(tenant.purge_after)},
    )
    return redirect("platform:tenant_detail", pk=tenant.pk)


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_POST
def tenant_restore(request, pk: int):
    tenant = _region_tenant(pk)
    restored = perform(
        request, lambda: region_lifecycle.restore_tenant(tenant=tenant, acting_user=request.user)
    )
    if not restored.done:
        return _tenant_page(request, tenant, status=restored.status)
    messages.success(
        request,
        _("%(region)s is restored; its members can work in it again.") % {"region": tenant.name},
    )
    return redirect("platform:tenant_detail", pk=tenant.pk)


@platform_staff_view(Perm.MANAGE_TENANTS)
@require_GET
def export_download(request, pk: int):
    export = get_object_or_404(TenantExport, pk=pk)
    try:
        path = region_lifecycle.export_file(export=export, acting_user=request.user)
    except Conflict as exc:
        # An expired export is gone for good: 410.
        status = 410 if exc.code == ErrorCode.EXPORT_EXPIRED else exc.status
        return render(request, "error.html", {"error": exc}, status=status)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


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
    """The error model's JSON shape (core.errors.error_payload), as every API answers."""
    return JsonResponse({"error": {"code": str(code), "message": message}}, status=status)


def _invalid_code(value: str) -> JsonResponse | None:
    try:
        validate_region_code(value)
    except ValidationError as exc:
        return _api_error(exc.messages[0], exc.code or "invalid")
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
        ancestry: list[dict] = []
        parent = region.parent
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
                ErrorCode.UNKNOWN_KIND,
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
