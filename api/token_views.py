"""A member's API tokens on their region's subdomain (/akses-api/): create one (shown once),
see their tokens, revoke one. These are pages like any other: signed in through allauth, with
the second factor where the policy asks for it; the token then authenticates API calls alone."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.form_actions import perform, submit
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
    submitted = submit(
        request,
        form,
        lambda data: tokens.create_token(
            membership=request.membership, name=data["name"], days=data["days"]
        ),
    )
    created = None
    if submitted.done:
        # Shown in this answer only: it is stored as a hash and cannot be shown again.
        created, form = submitted.result, TokenForm()
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
        status=submitted.status,
    )


@workspace_view(Perm.VIEW_WORKSPACE)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, membership=request.membership)
    revoked = perform(
        request, lambda: tokens.revoke_token(membership=request.membership, token=token)
    )
    if revoked.done:
        messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("api_tokens:list")
