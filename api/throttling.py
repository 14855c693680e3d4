"""Rate limits (DRF's throttles) counted platform-wide.

The counters live in the configured cache (settings.CACHES: PostgreSQL's cache table by default,
or Redis/memcached through CACHE_URL), which every gunicorn worker shares; a per-process cache
would multiply the limit by the number of workers. They use the `api` cache alias, whose keys do
not carry the schema (the default alias's do, core/cache.py): an anonymous client must not get
552 allowances by changing subdomains."""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Anonymous calls, per client address."""

    scope = "anon"

    @property
    def cache(self):
        return caches["api"]


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
