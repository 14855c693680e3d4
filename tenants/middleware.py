"""Request-wide rules that the policy decides: the second factor and read-only regions."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.second_factor import session_passed_second_factor

from . import policy
from .models import accepts_writes

# Reachable before the second factor: allauth's own pages (to set it up, pass it, log out,
# confirm an address), the session handoff, the language switch and static files. Favicon and
# robots.txt are served by WhiteNoise before this middleware runs.
_SECOND_FACTOR_EXEMPT = ("/akun/", "/i18n/", "/static/", "/favicon.ico")


def _is_page_request(request) -> bool:
    """A top-level page load: only these are redirected to the second-factor pages. A redirect
    answering a sub-resource (an image, a script, a fetch) would load the set-up page behind the
    person's back, and with it a new secret."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.headers.get("Sec-Fetch-Dest") not in (None, "document"):
        return False
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept or "*/*" in accept


class RequireSecondFactorMiddleware:
    """Whoever the policy says needs a second factor must have passed one *in this session*
    before anything else: set it up when the account has none, or pass it again when the
    session got in with a password only (whatever the route)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_SECOND_FACTOR_EXEMPT)
            and policy.requires_second_factor(user)
            and not session_passed_second_factor(request)
        ):
            return self._refuse(request, user)
        return self.get_response(request)

    def _refuse(self, request, user):
        if not _is_page_request(request):
            refusal = HttpResponseForbidden(
                _("Pass the second factor (TOTP) first, then try again."),
                content_type="text/plain; charset=utf-8",
            )
            # For answers that are reshaped (the API's JSON errors): what was refused, and why.
            refusal.error_code = "second_factor_required"
            refusal.error_message = refusal.content.decode()
            return refusal
        query = urlencode({"next": request.get_full_path()})
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.info(request, _("Enter the code from your authenticator app to continue."))
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        messages.warning(
            request,
            _(
                "Region administrators and platform staff must turn on two-factor "
                "authentication before continuing. Scan the code with an authenticator app."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{query}")


class ReadOnlyRegionMiddleware:
    """A suspended region is read-only: any write on its subdomain is refused with a page that
    says why and whom to contact. Actions ask the same policy (tenants.members.ensure_writable).
    A region being deleted answers every page with one saying so and whom to contact.
    """

    _ALWAYS_ALLOWED = ("/akun/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (
            tenant is not None
            and getattr(tenant, "region_id", None)
            and tenant.is_pending_deletion
            and not request.path.startswith(self._ALWAYS_ALLOWED)
        ):
            response = render(
                request,
                "tenants/pending_deletion.html",
                {"tenant": tenant, "contact_email": settings.JEJARING_CONTACT_EMAIL},
                status=410,
            )
            # It can be restored: never let a cache keep this answer.
            response["Cache-Control"] = "no-store"
            return response
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and not accepts_writes(tenant)
            and not request.path.startswith(self._ALWAYS_ALLOWED)
        ):
            refusal = render(request, "tenants/suspended.html", {"tenant": tenant}, status=403)
            refusal.error_code = "region_read_only"
            refusal.error_message = _(
                "This region is read-only for now: nothing can be changed. Its office or the "
                "platform's staff can say when it opens again."
            )
            return refusal
        return self.get_response(request)
