"""One login across the platform and every region's subdomain, whatever the base domain.

Where the base domain is a registrable domain (jejaring.go.id), the session cookie is set for it
and every subdomain receives it. `localhost` is a top-level domain to browsers, so there the
cookie stays host-only. Either way, a region's subdomain that sees no session asks the platform
for a handoff: the platform stores the caller's session key under a random one-time token
(60 seconds, bound to the target host) and redirects back; the region's subdomain then sets its
cookie to the *same* session. Logging out anywhere ends it everywhere, since it is one session.

The handoff is bound to the browser that asked for it: the region's subdomain first sets a random
host-only state cookie and passes its value along; the token only works together with that
cookie. Without it, someone could send a victim their own token link and have the victim's
browser work in the sender's account (login CSRF).
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.hosts import platform_url

from .models import Domain

HANDOFF_PREFIX = "jejaring:handoff:"
HANDOFF_TTL_SECONDS = 60
STATE_COOKIE = "jejaring_handoff"
# Long enough to sign in on the platform (and pass the second factor) in between.
STATE_MAX_AGE_SECONDS = 15 * 60
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def begin(request, target: str | None = None) -> HttpResponse:
    """On a region's subdomain: send an anonymous visitor to the platform's handoff, remembering
    (in a host-only cookie) that this browser asked. `target` defaults to the current URL."""
    state = secrets.token_urlsafe(24)
    target = target or request.build_absolute_uri()
    start = platform_url(reverse("session_handoff"))
    response = redirect(f"{start}?{urlencode({'next': target, 'state': state})}")
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=STATE_MAX_AGE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _safe_local_path(request, candidate: str | None) -> str:
    """`candidate` if it is a path on this host, else "/" (no `//elsewhere`, no scheme)."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return "/"


@require_GET
@never_cache
def sign_in_on_platform(request):
    """Signing in (or up, or resetting a password) on a region's subdomain happens on the
    platform, which then hands the one session back here: so signing in anywhere signs in
    everywhere. Routed in place of allauth's pages on regions' subdomains."""
    next_path = _safe_local_path(request, request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_path)
    return begin(request, request.build_absolute_uri(next_path))


@require_GET
def platform_account_page(request, name: str):
    """Account pages that only make sense on the platform (sign up, password reset)."""
    return redirect(platform_url(reverse(name)))


def _region_host(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != settings.JEJARING_SCHEME or not parts.hostname:
        return None
    is_region = Domain.objects.filter(domain=parts.hostname, tenant__region__isnull=False).exists()
    return parts.hostname if is_region else None


def _refuse(request, status: int = 400):
    return render(
        request,
        "account/handoff_failed.html",
        {"login_url": reverse("account_login")},
        status=status,
    )


@require_GET
@never_cache
def handoff_start(request):
    """On the platform: hand the current session to the region at `next`."""
    target = request.GET.get("next", "")
    state = request.GET.get("state", "")
    host = _region_host(target)
    if host is None or not _TOKEN_RE.match(state):
        return _refuse(request)
    if not request.user.is_authenticated:
        login = reverse("account_login")  # on the platform: allauth's own page
        return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
    token = secrets.token_urlsafe(32)
    cache.set(
        HANDOFF_PREFIX + token,
        {"session_key": request.session.session_key, "host": host, "state": state},
        HANDOFF_TTL_SECONDS,
    )
    parts = urlsplit(target)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    origin = f"{parts.scheme}://{parts.netloc}"
    return redirect(f"{origin}/akun/sesi/terima/?{urlencode({'token': token, 'next': path})}")


@require_GET
@never_cache
def handoff_accept(request):
    """On a region's subdomain: adopt the platform's session named by a one-time token."""
    token = request.GET.get("token", "")
    if not _TOKEN_RE.match(token):
        return _refuse(request)
    key = HANDOFF_PREFIX + token
    data = cache.get(key)
    # delete() answers whether this request removed it: a token works once, even under a race.
    if not data or not cache.delete(key) or data["host"] != request.get_host().split(":")[0]:
        return _refuse(request)
    if not constant_time_compare(request.COOKIES.get(STATE_COOKIE, ""), data["state"]):
        return _refuse(request)
    next_path = _safe_local_path(request, request.GET.get("next"))
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    session = store(session_key=data["session_key"])
    if not session.exists(data["session_key"]):
        return _refuse(request)
    # The session middleware keeps the adopted session (rather than deleting a stale cookie).
    request.session = session
    response = redirect(next_path)
    response.delete_cookie(STATE_COOKIE)
    # A session that ends with the browser (no "remember me") stays a browser-session cookie here.
    persistent = not session.get_expire_at_browser_close()
    response.set_cookie(
        settings.SESSION_COOKIE_NAME,
        data["session_key"],
        max_age=settings.SESSION_COOKIE_AGE if persistent else None,
        domain=settings.SESSION_COOKIE_DOMAIN,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=settings.SESSION_COOKIE_HTTPONLY,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
    return response
