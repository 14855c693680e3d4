"""The public registry's cache: the list's and the detail page's data (not their HTML: a page
carries the visitor's CSRF token and menu), keyed by a generation that every publication moves
on after its commit. A cached answer is thus never older than the last published change; keys
also carry the day, because the status (in force, expiring, expired) moves with the date.

The keys live in the public schema's namespace (core/cache.py prefixes keys with the current
schema): a publication runs on the region's subdomain, the pages are read on the platform.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

GENERATION_KEY = "public_registry:generation"
TIMEOUT = 60 * 60  # a safety net; invalidation is by generation


def generation() -> int:
    with schema_context(get_public_schema_name()):
        value = cache.get(GENERATION_KEY)
        if value is None:
            # Never a number used before, should the key be evicted.
            value = time.time_ns()
            cache.add(GENERATION_KEY, value, timeout=None)
            value = cache.get(GENERATION_KEY, value)
        return value


def bump() -> None:
    with schema_context(get_public_schema_name()):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def changed_on_commit() -> None:
    transaction.on_commit(bump)


def cached(name: str, parts: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value for `name` and `parts` under the current generation and day."""
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    key = f"public_registry:{name}:{generation()}:{timezone.localdate().isoformat()}:{digest}"
    with schema_context(get_public_schema_name()):
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout=TIMEOUT)
    return value
