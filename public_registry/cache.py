"""The public registry's caches: its data (the list's and the detail page's content as HTML, the
facet counts, the portal's figures) and, through core/http_cache.py, whole pages for anonymous
visitors. Both are keyed by *generations* of scopes that publications renew after their commit:

- "registry": everything published (the unfiltered list, a list filtered by kind or status, the
  home page's "recently signed", the platform's figures): renewed by every publication;
- "registry:region:<code>" and "registry:province:<2 digits>": what shows the agreements of one
  region or province (its profile, the list filtered by it, its records): renewed only by a
  publication of an agreement it is a party to (the record's codes before and after).

So a publication in region X renews what shows X and the few pages that show everything, not
every list. Keys also carry the day, because the status (in force, expiring, expired) moves
with the date. The generations live in the public schema's namespace (a publication runs on the
region's subdomain, the pages are read on the platform).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from core import http_cache

ALL = "registry"
# Moved by a publication that names no region: every page keyed by the registry renews.
EPOCH = "registry:epoch"
TIMEOUT = 60 * 60  # a safety net; invalidation is by generation


def region_scope(code: str) -> str:
    return f"registry:region:{code}"


def province_scope(code: str) -> str:
    return f"registry:province:{code[:2]}"


def scopes_of(region_codes: Iterable[str]) -> list[str]:
    """What a publication concerning these regions renews: them, their provinces, everything."""
    codes = [c for c in region_codes if c]
    return [ALL, *(region_scope(c) for c in codes), *(province_scope(c) for c in codes)]


def list_scopes(filters) -> list[str]:
    """A list filtered by regions or provinces changes only with their publications (every row
    it counts or shows is one of theirs); any other list with every publication."""
    if filters.region:
        return [region_scope(str(c)) for c in filters.region]
    if filters.province:
        return [province_scope(str(c)) for c in filters.province]
    return [ALL]


def record_scopes(region_codes: Iterable[str]) -> list[str]:
    """A record's page changes with a publication of one of its parties' agreements (its own,
    or a related record's, which shares a party)."""
    return [region_scope(c) for c in region_codes] or [ALL]


def generation() -> int:
    """The generation of everything published (renewed by every publication)."""
    return http_cache.generations([ALL])[0]


def bump(region_codes: Iterable[str] | None = None) -> None:
    """Renew what a publication concerning `region_codes` changes; with none, every region's
    too (the page-wide "registry" generation and each region's are renewed)."""
    if region_codes is None:
        # Nothing names the regions: every scope a page can be keyed by moves (a new epoch).
        http_cache.bump([ALL, EPOCH])
    else:
        http_cache.bump(scopes_of(region_codes))


# How long a publication's own renewal waits for a generation another publication renewed and
# has not committed yet (the database cache's row is locked until that commit).
RENEW_WAIT = "5ms"


def changed_on_commit(region_codes: Iterable[str] | None = None) -> None:
    """Renew now and after the commit (core.http_cache.bump_on_commit says why both).

    With the database cache the renewal now writes the generation's row, which stays locked
    until the publication commits: every publication renews "registry", so waiting for that
    lock would queue all of them platform-wide. The renewal now gives up on a row another
    publication holds (RENEW_WAIT); that other publication renews it again after its commit,
    and this one after its own, so no page keeps a stale generation: only this transaction's
    own reads of that scope, inside it, may still see the cached copy."""
    codes = None if region_codes is None else list(region_codes)
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                [RENEW_WAIT],
            )
            before = cursor.fetchone()[0]
            try:
                bump(codes)
            finally:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
    else:
        bump(codes)
    transaction.on_commit(lambda: bump(codes))


def _stamps(scopes: Iterable[str]) -> tuple:
    return http_cache.generations([EPOCH, *scopes])


def page_scopes(scopes: Iterable[str]) -> list[str]:
    """`scopes` for a whole page (core.http_cache.cache_publicly), with the registry's epoch."""
    return [EPOCH, *scopes]


def cached(name: str, parts: str, compute: Callable[[], Any], scopes=(ALL,)) -> Any:
    """`compute()`'s value for `name` and `parts` under the current generations of `scopes`
    and the day."""
    stamps = ":".join(str(s) for s in _stamps(scopes))
    text = f"{stamps}|{timezone.localdate().isoformat()}|{parts}"
    key = f"public_registry:{name}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"
    with schema_context(get_public_schema_name()):
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout=TIMEOUT)
    return value
