"""Every answer under /api/v1/ is JSON in the API's one error shape, whoever gave it.

DRF's exception handler (api.exceptions.handle) shapes what the API's views refuse. What is
refused before a view runs or outside DRF came out as the site's pages: the HTML 404 page for a
path no route matches (/api/v1/agreements/abc/), the text/plain 400 of the NUL-character guard
(portal.middleware.RejectNullBytesMiddleware), the 400 of a bad Host header, the HTML 500 page
of an uncaught error. This middleware, the outermost of the stack, turns any such answer into
the documented shape with a stable code for its status, keeping its headers (Allow,
Retry-After, the security headers)."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import ApiError

PREFIX = "/api/v1/"

_CODES = {
    400: ApiError.BAD_REQUEST,
    401: ApiError.NOT_AUTHENTICATED,
    403: ApiError.PERMISSION_DENIED,
    404: ApiError.NOT_FOUND,
    405: ApiError.METHOD_NOT_ALLOWED,
    406: ApiError.NOT_ACCEPTABLE,
    415: ApiError.UNSUPPORTED_MEDIA_TYPE,
    429: ApiError.THROTTLED,
}


def is_api(request) -> bool:
    path = request.path_info
    return path.startswith(PREFIX) or path == PREFIX.rstrip("/")


def _message(request, status: int) -> str:
    if status == 400 and (
        "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", "")
    ):
        return _("The address contains a NUL character, which is not allowed.")
    if status == 404:
        return _("Not found: no such address in the API. The schema at /api/v1/schema/ lists them.")
    if status == 405:
        return _("This method is not allowed here.")
    if status == 429:
        return _("Too many requests. Try again later.")
    if status >= 500:
        return _("Something went wrong on our side. Try again later.")
    if status == 400:
        return _("The request is not valid.")
    return HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else str(status)


def error_response(request, status: int, *, code: str = "", message: str = "") -> JsonResponse:
    """The error shape for `status`, in the language the answer was given in. A refusal that
    said what it refused (`code`, `message`: the second factor, a read-only region) keeps it."""
    code = (
        code or _CODES.get(status) or (ApiError.SERVER_ERROR if status >= 500 else ApiError.INVALID)
    )
    return JsonResponse(
        {
            "error": {
                "code": str(code),
                "message": message or _message(request, status),
                "fields": {},
            }
        },
        status=status,
    )


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        language = response.get("Content-Language") or settings.LANGUAGE_CODE
        with translation.override(language):
            shaped = error_response(
                request,
                response.status_code,
                code=getattr(response, "error_code", ""),
                message=str(getattr(response, "error_message", "")),
            )
        for name, value in response.items():
            if name.lower() not in ("content-type", "content-length"):
                shaped[name] = value
        shaped.cookies = response.cookies
        return shaped
