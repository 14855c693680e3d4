"""Refuse an oversized upload from its Content-Length, before a byte of it is parsed.

Django parses a multipart body the first time anything reads `request.POST` or `request.FILES`
and streams its files to disk; checking the size in a form afterwards means a 2 GB body has
already been read and written. `limit_request_body` answers 413 from the request's declared
length instead, with the error page (or JSON for the API).

The CSRF middleware reads `request.POST` (the token field) before any view runs, so the
decorated view is marked CSRF-exempt *for the middleware* and the very same check
(`csrf_protect`) runs inside the decorator, right after the length check: the view is exactly as
protected as before, only in a different order.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from .errors import DomainError, error_payload
from .middleware import wants_json

# Room for the multipart framing and the form's other fields (title, CSRF token...) on top of
# the file's own limit.
DEFAULT_ALLOWANCE = 64 * 1024


class RequestTooLarge(DomainError):
    status = 413
    default_code = "request_too_large"


def declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # Django reads a malformed length as an empty body


def limit_request_body(max_bytes_setting: str, *, allowance: int = DEFAULT_ALLOWANCE):
    """Answer 413 when the request declares a body longer than the setting named
    `max_bytes_setting` (read at each request, so overriding it works) plus `allowance`."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = int(getattr(settings, max_bytes_setting))
            length = declared_length(request)
            if length is not None and length > limit + allowance:
                return _too_large(request, length, limit)
            return protected(request, *args, **kwargs)

        # The middleware skips its check here; `protected` makes it after the length check.
        wrapper.csrf_exempt = True
        return wrapper

    return decorator


def _too_large(request, length: int, limit: int):
    error = RequestTooLarge(
        _(
            "The upload is %(size)s; the limit is %(limit)s. Nothing was saved. Scan the "
            "document at a lower resolution or split it, and try again."
        )
        % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
    )
    if wants_json(request):
        status, body = error_payload(error)
        return JsonResponse(body, status=status)
    return render(request, "error.html", {"error": error}, status=error.status)
