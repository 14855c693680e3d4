"""A region's workspace, served on its subdomain (tenant URL conf)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.files import pdf_attachment
from core.form_actions import submit
from core.hosts import platform_url
from core.uploads import limit_request_body
from tenants import handoff
from tenants import members as member_actions
from tenants.decorators import workspace_view
from tenants.forms import InviteForm, RoleScopeForm
from tenants.models import AuditEvent, Invitation, Membership
from tenants.policy import (
    Perm,
    areas_for,
    has_perm,
    readable_documents,
    role_allows,
)

from . import actions
from .forms import DocumentForm
from .models import Document


@workspace_view()
def dashboard(request):
    tenant, membership = request.tenant, request.membership
    readable = readable_documents(membership, Document.objects.all())
    # Who opens the members page (as its decorator decides): the role, also while the region is
    # suspended and read-only.
    sees_members = role_allows(membership.role, Perm.MANAGE_MEMBERS)
    return render(
        request,
        "workspace/dashboard.html",
        {
            "membership": membership,
            "member_count": tenant.memberships.count(),
            "document_count": readable.count(),
            "recent_documents": readable.select_related("area")[:5],
            "open_invitation_count": (
                Invitation.objects.pending().filter(tenant=tenant).count() if sees_members else None
            ),
            "can_manage": sees_members,
            "can_view_history": has_perm(request.user, tenant, Perm.VIEW_AUDIT, membership),
        },
    )


@workspace_view(Perm.MANAGE_MEMBERS)
def members(request):
    tenant = request.tenant
    form = InviteForm(request.POST or None, tenant=request.tenant)
    submitted = submit(
        request,
        form,
        lambda data: member_actions.invite_member(tenant=tenant, acting_user=request.user, **data),
    )
    if submitted.done:
        email = form.cleaned_data["email"]
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
        return redirect("workspace:members")
    return render(
        request,
        "workspace/members.html",
        {
            "form": form,
            "memberships": tenant.memberships.select_related("user", "area").order_by(
                "role", "user__email"
            ),
            "invitations": Invitation.objects.pending()
            .filter(tenant=tenant)
            .select_related("area"),
            "area_choices": form.area_choices(),
            "writable": tenant.accepts_writes,
        },
        status=submitted.status,
    )


def _member_of_this_region(request, pk: int) -> Membership:
    # Scoped to the current tenant: another region's membership id is simply not found.
    return get_object_or_404(
        Membership.objects.select_related("user", "area", "tenant"), pk=pk, tenant=request.tenant
    )


@workspace_view(Perm.MANAGE_MEMBERS)
def member_edit(request, pk: int):
    membership = _member_of_this_region(request, pk)
    initial = {"role": membership.role, "opd": membership.opd, "area": membership.area_id or ""}
    form = RoleScopeForm(request.POST or None, tenant=request.tenant, initial=initial)
    submitted = submit(
        request,
        form,
        lambda data: member_actions.change_member_role(
            membership=membership, acting_user=request.user, **data
        ),
    )
    if submitted.done:
        messages.success(
            request, _("The role of %(user)s was changed.") % {"user": membership.user}
        )
        return redirect("workspace:members")
    return render(
        request,
        "workspace/member_edit.html",
        {"form": form, "member": membership, "area_choices": form.area_choices()},
        status=submitted.status,
    )


@workspace_view(Perm.MANAGE_MEMBERS)
@require_GET
def member_remove_confirm(request, pk: int):
    """Says what removing the member does; its form posts to `member_remove`."""
    membership = _member_of_this_region(request, pk)
    return render(request, "workspace/member_remove.html", {"member": membership})


@workspace_view(Perm.MANAGE_MEMBERS)
@require_POST
def member_remove(request, pk: int):
    membership = _member_of_this_region(request, pk)
    try:
        member_actions.remove_member(membership=membership, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(user)s was removed from the region.") % {"user": membership.user}
        )
    return redirect("workspace:members")


def _open_invitation_of_this_region(request, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.pending().select_related("area"), pk=pk, tenant=request.tenant
    )


@workspace_view(Perm.MANAGE_MEMBERS)
@require_GET
def invitation_revoke_confirm(request, pk: int):
    """Says what revoking the invitation does; its form posts to `invitation_revoke`."""
    invitation = _open_invitation_of_this_region(request, pk)
    return render(request, "workspace/invitation_revoke.html", {"invitation": invitation})


@workspace_view(Perm.MANAGE_MEMBERS)
@require_POST
def invitation_revoke(request, pk: int):
    invitation = _open_invitation_of_this_region(request, pk)
    member_actions.revoke_invitation(invitation=invitation, acting_user=request.user)
    messages.success(
        request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
    )
    return redirect("workspace:members")


def accept_invitation(request, token: str):
    """Open to anyone holding the link. A signed-out visitor reads who invited them, to which
    region and role, and signs in or signs up from there; a signed-in person accepts. An unknown
    link (or another region's) and an invitation that is no longer open each say so."""
    invitation = (
        Invitation.objects.select_related("tenant", "area", "invited_by")
        .filter(token=token, tenant=request.tenant)
        .first()
    )
    if invitation is None or (not invitation.is_pending and request.method != "POST"):
        # (A POST goes to the action, which refuses a used or expired invitation itself.)
        return render(
            request,
            "workspace/invitation_invalid.html",
            {"invitation": invitation},
            status=404 if invitation is None else 410,
        )
    if not request.user.is_authenticated:
        if request.method == "POST":
            return handoff.begin(request)
        here = request.get_full_path()
        return render(
            request,
            "workspace/invitation.html",
            {
                "invitation": invitation,
                "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
                "signup_url": platform_url(
                    reverse("account_signup", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
                ),
            },
        )
    error = error_code = None
    if request.method == "POST":
        try:
            member_actions.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error, error_code = " ".join(exc.messages), exc.code
        except PermissionDenied as exc:
            error = str(exc) or _("You cannot accept this invitation.")
            error_code = getattr(exc, "code", "permission_denied")
        else:
            messages.success(request, _("Welcome to %(region)s.") % {"region": request.tenant.name})
            return redirect("workspace:dashboard")
    return render(
        request,
        "workspace/invitation.html",
        {"invitation": invitation, "error": error, "error_code": error_code},
        status=400 if error else 200,
    )


@limit_request_body("JEJARING_DOCUMENT_MAX_BYTES")
@workspace_view()
def documents(request):
    membership = request.membership
    can_upload = has_perm(request.user, request.tenant, Perm.UPLOAD_DOCUMENT, membership)
    areas = areas_for(membership)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not can_upload:
        raise PermissionDenied
    submitted = submit(
        request,
        form,
        lambda data: actions.upload_document(membership=membership, **data),
    )
    if submitted.done:
        messages.success(request, _("The document was filed."))
        return redirect("workspace:documents")
    readable = readable_documents(membership, Document.objects.select_related("area"))
    page = Paginator(readable, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/documents.html",
        {
            "form": form,
            "page": page,
            "can_upload": can_upload,
            "area_choices": areas.order_by("code")[:500],
        },
        status=submitted.status,
    )


@workspace_view()
@require_GET
def document_download(request, pk: int):
    """A document this member may not read is not found, exactly like a missing one."""
    document = get_object_or_404(
        readable_documents(request.membership, Document.objects.all()), pk=pk
    )
    return pdf_attachment(document.file, f"{document.title}.pdf")


@workspace_view(Perm.VIEW_AUDIT)
def history(request):
    events = AuditEvent.objects.filter(tenant=request.tenant).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "workspace/history.html", {"page": page})
