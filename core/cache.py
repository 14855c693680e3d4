"""Cache keys: tenant-aware by default, platform-wide for the namespaces that must be.

Wagtail and Django cache per-site data, so keys carry the current schema (otherwise one region's
cached URLs leak into another). Accounts are platform-wide, though: allauth's rate-limit counters
must count a login attempt the same on every region's subdomain, or an attacker could multiply the
limit by hopping between 552 subdomains.
"""

from importlib import import_module

from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.connection import ConnectionProxy

from core.tenancy import connection

# allauth keys: rate limits ("allauth:rl:...") and used TOTP codes ("allauth.mfa.totp.used?...");
# these are kept in the counters cache (below), whose keys never carry a schema, and stay listed
# here should anything of allauth's still reach the shared one.
# Session handoff tokens ("jejaring:handoff:...") are written on the platform and read on a
# region's subdomain (accounts/handoff.py).
PLATFORM_WIDE_PREFIXES = ("allauth", "jejaring:handoff:")
_PLATFORM_MARK = "_platform_"


def make_key(key: str, key_prefix: str, version: int) -> str:
    if key.startswith(PLATFORM_WIDE_PREFIXES):
        scope = _PLATFORM_MARK
    else:
        scope = connection.schema_name
    return f"{scope}:{key_prefix}:{version}:{key}"


def reverse_key(key: str) -> str:
    return key.split(":", 3)[3]


# --- Security counters -------------------------------------------------------------------------
# allauth's rate limits (failed logins, failed second-factor codes, password resets) and its
# record of used TOTP codes, and the API's throttles, live in a cache of their own
# (settings.CACHES[COUNTERS_ALIAS]): in the shared cache, any anonymous page view that caches
# something (a registry query, a throttle per address) could push a lockout out of it.
COUNTERS_ALIAS = "counters"


class CounterCache(DatabaseCache):
    """A database cache that never evicts a live entry. Django's culls a third of the table,
    expired or not, once it holds more than MAX_ENTRIES; here MAX_ENTRIES is only the size from
    which expired entries are swept. Every counter expires with its rate's period (minutes), so
    the table stays as large as the traffic of that period, and a lockout ends when its period
    does, never because something else was written."""

    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )


# The modules of allauth that read and write `django.core.cache.cache` (the default alias): its
# rate limits, and the TOTP codes already used (a replayed code is refused while it is there).
ALLAUTH_COUNTER_MODULES = ("allauth.core.internal.ratelimit", "allauth.mfa.totp.internal.auth")


def keep_allauth_counters_apart() -> None:
    """Point allauth's counters at the counters cache. allauth has no setting for the cache
    alias it uses, so each module's `cache` is replaced; should an upgrade of allauth move them,
    this fails at start-up rather than silently counting in the shared cache again."""
    from django.core import cache as django_cache

    counters = ConnectionProxy(django_cache.caches, COUNTERS_ALIAS)
    for name in ALLAUTH_COUNTER_MODULES:
        module = import_module(name)
        current = getattr(module, "cache", None)
        if current is not django_cache.cache and not (
            isinstance(current, ConnectionProxy) and current._alias == COUNTERS_ALIAS
        ):
            raise ImproperlyConfigured(
                f"{name} no longer counts in django.core.cache.cache: check where allauth "
                "keeps its rate limits now (core/cache.py)."
            )
        setattr(module, "cache", counters)  # noqa: B010 (a module attribute the stubs do not declare)
