"""Rate limits (DRF's throttles) counted platform-wide.

The counters live in the security counters' cache (settings.CACHES["api"]: the counters' own
PostgreSQL table by default, core/cache.py), which every gunicorn worker shares (a per-process
cache would multiply the limit by the number of workers) and which nothing else writes to (so no
page view evicts a counter). Its keys do not carry the schema: an anonymous client must not get
552 allowances by changing subdomains.

An anonymous client is counted by the address its connection comes from. X-Forwarded-For is read
only when proxies in front are configured (REST_FRAMEWORK["NUM_PROXIES"]), and then only the
address the outermost of them saw: what a client writes into the header itself is ignored, or a
made-up address per request would give it a fresh allowance each time."""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def client_address(meta, trusted_proxies: int | None) -> str:
    """The client's address: REMOTE_ADDR with no proxy configured; behind `trusted_proxies`
    proxies that each append the address they received from to X-Forwarded-For, the entry that
    many places from the right (the one the outermost proxy appended). Entries to its left are
    the client's own claims."""
    remote = meta.get("REMOTE_ADDR") or ""
    if not trusted_proxies:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(trusted_proxies, len(hops))]


class AnonThrottle(AnonRateThrottle):
    """Anonymous calls, per client address (client_address)."""

    scope = "anon"

    @property
    def cache(self):
        return caches["api"]

    def get_ident(self, request):
        return client_address(request.META, api_settings.NUM_PROXIES)


class TokenThrottle(UserRateThrottle):
    """Calls with a token, per token (so one integration's burst never eats another's)."""

    scope = "token"

    @property
    def cache(self):
        return caches["api"]

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None  # the anonymous throttle counts these
        return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
