"""Whole pages for anonymous visitors from a cache, and who may keep an answer (Cache-Control).

**Generations.** What a page shows is named by *scopes* ("registry:region:35.73",
"listings", "pages", ...). Each scope has a generation, a random number in the shared cache
(platform-wide: the keys are read in the public schema, whatever host asks) that every change
of what it names replaces, in its transaction and again after its commit (`bump_on_commit`).
A value is never used twice, so a page stored under the generations it was rendered with is
valid exactly while they stay.

**Pages.** A view that renders the same page for every anonymous visitor says so with
`cache_publicly(request, scopes)` before it renders: the scopes' generations are read then (a
change committed while it renders makes the stored page stale at once, never the reverse).
`PublicPageCacheMiddleware` (before the tenant middleware) then stores the answer, keyed by host,
path and query and the language, with the generations and the day (statuses move at midnight),
and answers later anonymous GETs from it after one read of the generations, with
`Cache-Control: public, max-age, stale-while-revalidate`, a strong `ETag` (the body's hash) and
`Last-Modified` (when it was rendered), and 304 to a matching conditional request, so a proxy
or CDN in front can carry a news day.

Pages are also keyed by the deployment (the static files' manifest, JEJARING_RELEASE when set,
the settings a page shows: tile server, scheme, port), so a new release or setting renders anew.

Never stored or served from the cache: a request with any cookie other than the CSRF and the
language cookie (a session, messages), another method than GET, another host than the
platform's, a signed-in visitor, an answer that sets a cookie, used the CSRF token (a form with a
token is personal), wrote the session, or is not a 200. Answers to signed-in visitors and answers
that set cookies are marked `private` for every page (no shared cache keeps them).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django_tenants.utils import get_public_schema_name, schema_context

GENERATION_PREFIX = "jejaring:gen:"
PAGE_PREFIX = "jejaring:page:"
# How long a proxy may serve a page without asking (and serve it stale while it asks again):
# a publication reaches visitors behind a CDN within a minute, withheld fields within five.
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 240
# The stored page is a safety net only: validity is by generation.
PAGE_TIMEOUT = 24 * 60 * 60
LOCAL_ENTRIES = 256
LOCAL_MAX_BYTES = 512 * 1024
# The paths whose pages may be cached publicly (the view decides; these only spare the lookup
# for everything else): the home page, a region's profile, the registry's list and records.
CACHEABLE_PATHS = re.compile(r"^/(?:|kerja-sama/(?:\d+/)?|[a-z0-9-]+/)$")
# Headers that are the request's own, set again by the outer middleware.
_NOT_STORED = {"set-cookie", "x-request-id"}


# --- Generations ----------------------------------------------------------------------------------


def _new_value() -> int:
    return secrets.randbits(62)


def generations(scopes: Iterable[str]) -> tuple:
    """The current generation of each scope, in order (made when missing)."""
    keys = [GENERATION_PREFIX + scope for scope in scopes]
    with schema_context(get_public_schema_name()):
        found = cache.get_many(keys)
        missing = [key for key in keys if key not in found]
        for key in missing:
            cache.add(key, _new_value(), timeout=None)
        if missing:
            found.update(cache.get_many(missing))
    return tuple(found.get(key) for key in keys)


def bump(scopes: Iterable[str]) -> None:
    """Each scope gets a new generation (a value never used before: no stored page can match)."""
    with schema_context(get_public_schema_name()):
        cache.set_many({GENERATION_PREFIX + s: _new_value() for s in set(scopes)}, timeout=None)


def bump_on_commit(scopes: Iterable[str]) -> None:
    """Renew `scopes` now (the writer's own transaction, and with the database cache everyone at
    its commit, reads the change) and again after the commit (a reader that rendered the old
    state meanwhile stored it under a number that is already gone)."""
    scopes = list(scopes)
    bump(scopes)
    transaction.on_commit(lambda: bump(scopes))


# --- Pages ----------------------------------------------------------------------------------------


def cache_publicly(request, scopes: Iterable[str]) -> None:
    """The page about to be rendered is the same for every anonymous visitor and changes only
    with `scopes` (and the day). Call before reading what it shows."""
    scopes = sorted(set(scopes))
    request._public_page = (scopes, (timezone.localdate().isoformat(), *generations(scopes)))


def _enabled() -> bool:
    return getattr(settings, "JEJARING_PAGE_CACHE", True)


def _language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


@functools.cache
def _static_manifest() -> str:
    """The collected static files' manifest: a deployment with other assets renders other
    pages (their hashed names), so its pages are keyed apart."""
    manifest = Path(settings.STATIC_ROOT or ".") / "staticfiles.json"
    try:
        return hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError:
        return ""


def _deployment() -> str:
    """What besides the data and the request shapes a page: the deployment's settings."""
    return "|".join(
        str(part)
        for part in (
            _static_manifest(),
            os.environ.get("JEJARING_RELEASE", ""),
            settings.DEBUG,
            settings.STATIC_URL,
            getattr(settings, "JEJARING_MAP_TILE_URL", ""),
            getattr(settings, "JEJARING_SCHEME", ""),
            getattr(settings, "JEJARING_PORT", ""),
        )
    )


def _page_key(request) -> str | None:
    """The cache key of this request's page, or None when it may not come from the cache."""
    if request.method != "GET" or not _enabled():
        return None
    if not CACHEABLE_PATHS.match(request.path_info):
        return None
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if any(name not in allowed for name in request.COOKIES) or "HTTP_AUTHORIZATION" in request.META:
        return None
    host = request.get_host().lower()
    if host.rsplit(":", 1)[0] != settings.JEJARING_BASE_DOMAIN:
        return None
    query = request.META.get("QUERY_STRING", "")
    raw = "\n".join((host, request.path_info, query, _language(request), _deployment()))
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _public(response: HttpResponse) -> None:
    patch_cache_control(
        response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE
    )


def _private(response: HttpResponse) -> None:
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return
    if "public" in cache_control:
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_cache=True)


class _LocalPages:
    """Each worker's most recent pages (validated by generation like the shared ones), so a hit
    reads the database once, for the generations."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, dict] = OrderedDict()

    def get(self, key: str) -> dict | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: dict) -> None:
        if len(entry["content"]) > LOCAL_MAX_BYTES:
            return
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > LOCAL_ENTRIES:
            self.entries.popitem(last=False)


_local = _LocalPages()


def _stored(key: str) -> dict | None:
    entry = _local.get(key)
    if entry is None:
        with schema_context(get_public_schema_name()):
            entry = cache.get(key)
        if entry is not None:
            _local.put(key, entry)
    if entry is None:
        return None
    day = timezone.localdate().isoformat()
    if entry["stamps"] != (day, *generations(entry["scopes"])):
        return None
    return entry


def _answer(request, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    conditional = get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=parse_http_date_safe(entry["last_modified"]),
        response=response,
    )
    return conditional if conditional is not None else response


def _storable(request, response) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return (
        getattr(request, "_public_page", None) is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and (user is None or not user.is_authenticated)
        and (session is None or not session.modified)
        and not response.has_header("Cache-Control")
    )


class PublicPageCacheMiddleware:
    """Anonymous pages from the cache (see the module's docstring); `private` on every answer to
    a signed-in visitor or that sets a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _page_key(request)
        if key is not None:
            entry = _stored(key)
            if entry is not None:
                return _answer(request, entry)
        response = self.get_response(request)
        if key is not None and _storable(request, response):
            scopes, stamps = request._public_page
            _public(response)
            content = response.content
            response["ETag"] = f'"{hashlib.sha256(content).hexdigest()[:40]}"'
            response["Last-Modified"] = http_date()
            entry = {
                "scopes": scopes,
                "stamps": stamps,
                "status": response.status_code,
                "content": content,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in _NOT_STORED
                ],
                "etag": response["ETag"],
                "last_modified": response["Last-Modified"],
            }
            with schema_context(get_public_schema_name()):
                cache.set(key, entry, timeout=PAGE_TIMEOUT)
            _local.put(key, entry)
            return get_conditional_response(
                request,
                etag=entry["etag"],
                last_modified=parse_http_date_safe(entry["last_modified"]),
                response=response,
            )
        user = getattr(request, "user", None)
        if response.cookies or (user is not None and user.is_authenticated):
            _private(response)
        return response
