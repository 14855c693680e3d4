"""A member's API tokens on their region's subdomain (/akses-api/): create one (shown once),
see their tokens, revoke one. These are pages like any other: signed in through allauth, with
the second factor where the policy asks for it; the token then authenticates API calls alone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError, add_to_form
from core.hosts import platform_url
from tenants.decorators import workspace_view
from tenants.policy import Perm

from . import tokens
from .forms import TokenForm
from .models import ApiToken


@never_cache
@workspace_view(Perm.VIEW_WORKSPACE)
def token_list(request):
    form = TokenForm(request.POST or None)
    created, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                token, raw = tokens.create_token(
                    membership=request.membership,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except (ValidationError, DomainError) as exc:
                add_to_form(form, exc)
                status = getattr(exc, "status", 400)
            else:
                # Shown in this answer only: it is stored as a hash and cannot be shown again.
                created, status, form = (token, raw), 200, TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens.tokens_of(request.membership),
            "docs_url": platform_url(reverse("api:docs", urlconf="portal.urls_public")),
            "region_docs_url": reverse("api_region:docs"),
        },
        status=status,
    )


@workspace_view(Perm.VIEW_WORKSPACE)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, membership=request.membership)
    try:
        tokens.revoke_token(membership=request.membership, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("api_tokens:list")
