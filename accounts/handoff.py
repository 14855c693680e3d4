"""One login across the platform and every region's subdomain, whatever the base domain.

Where the base domain is a registrable domain (jejaring.go.id), the session cookie is set for it
and every subdomain receives it. `localhost` is a top-level domain to browsers, so there the
cookie stays host-only. Either way, a region's subdomain that sees no session asks the platform
for a handoff: the platform stores the caller's session key under a random one-time token
(60 seconds, bound to the target host) and redirects back; the region's subdomain then sets its
cookie to the *same* session. Logging out anywhere ends it everywhere, since it is one session.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tenants.hosts import platform_url
from tenants.models import Domain

HANDOFF_PREFIX = "jejaring:handoff:"
HANDOFF_TTL_SECONDS = 60


def start_url(target_url: str) -> str:
    """Where a region's subdomain sends an anonymous visitor: the platform's handoff."""
    return platform_url(f"/akun/sesi/?{urlencode({'next': target_url})}")


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
    host = _region_host(target)
    if host is None:
        return _refuse(request)
    if not request.user.is_authenticated:
        login = reverse("account_login")
        return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
    token = secrets.token_urlsafe(32)
    cache.set(
        HANDOFF_PREFIX + token,
        {"session_key": request.session.session_key, "host": host},
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
    key = HANDOFF_PREFIX + request.GET.get("token", "")
    data = cache.get(key)
    # delete() answers whether this request removed it: a token works once, even under a race.
    if not data or not cache.delete(key) or data["host"] != request.get_host().split(":")[0]:
        return _refuse(request)
    next_path = request.GET.get("next", "/")
    if not next_path.startswith("/") or not url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}
    ):
        next_path = "/"
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    session = store(session_key=data["session_key"])
    if not session.exists(data["session_key"]):
        return _refuse(request)
    # The session middleware keeps the adopted session (rather than deleting a stale cookie).
    request.session = session
    response = redirect(next_path)
    response.set_cookie(
        settings.SESSION_COOKIE_NAME,
        data["session_key"],
        max_age=settings.SESSION_COOKIE_AGE,
        domain=settings.SESSION_COOKIE_DOMAIN,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=settings.SESSION_COOKIE_HTTPONLY,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
    return response
