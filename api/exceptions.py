"""One error shape for every refusal the API gives: `{"error": {"code", "message", "fields"}}`,
with the same stable codes as the web pages (core.errors.error_payload is the one mapping)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from core.errors import DomainError, error_payload

from .errors import ApiError

_DRF_CODES = {
    exceptions.NotAuthenticated: ApiError.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: ApiError.AUTHENTICATION_FAILED,
    exceptions.PermissionDenied: ApiError.PERMISSION_DENIED,
    exceptions.NotFound: ApiError.NOT_FOUND,
    exceptions.MethodNotAllowed: ApiError.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: ApiError.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: ApiError.UNSUPPORTED_MEDIA_TYPE,
    exceptions.ParseError: ApiError.PARSE_ERROR,
    exceptions.Throttled: ApiError.THROTTLED,
}


def _flatten(detail) -> list[exceptions.ErrorDetail]:
    if isinstance(detail, dict):
        return [e for value in detail.values() for e in _flatten(value)]
    if isinstance(detail, list):
        return [e for value in detail for e in _flatten(value)]
    return [detail]


def _fields(detail: dict) -> dict[str, list[dict]]:
    return {
        str(name): [
            {"code": str(getattr(e, "code", None) or ApiError.INVALID), "message": str(e)}
            for e in _flatten(errors)
        ]
        for name, errors in detail.items()
    }


def validation_body(detail) -> dict:
    """A serializer's errors in the error shape: the first error's code and every message."""
    errors = _flatten(detail)
    first = errors[0] if errors else None
    fields = _fields(detail) if isinstance(detail, dict) else {}
    fields.pop("non_field_errors", None)
    return {
        "error": {
            "code": str(getattr(first, "code", None) or ApiError.INVALID),
            "message": " ".join(str(e) for e in errors) or _("The input is not valid."),
            "fields": fields,
        }
    }


def handle(exc, context):
    """DRF's exception handler for the API (settings.REST_FRAMEWORK)."""
    headers = {}
    if isinstance(exc, DomainError | DjangoValidationError):
        status, body = error_payload(exc)
        fields = body["error"].get("fields")
        if fields and body["error"]["code"] == ApiError.INVALID:
            # An action's field errors: the first one's code on top, as for the input's shape.
            body["error"]["code"] = next(iter(fields.values()))[0]["code"]
        if isinstance(exc, DomainError):
            body["error"].setdefault("fields", {})
            if not body["error"]["message"]:
                body["error"]["message"] = (
                    _("Not found.") if exc.status == 404 else _("Not allowed.")
                )
        return Response(body, status=status)
    if isinstance(exc, Http404):
        return Response(
            {"error": {"code": ApiError.NOT_FOUND, "message": _("Not found."), "fields": {}}},
            status=404,
        )
    if isinstance(exc, PermissionDenied):
        return Response(
            {
                "error": {
                    "code": ApiError.PERMISSION_DENIED,
                    "message": str(exc) or _("Not allowed."),
                    "fields": {},
                }
            },
            status=403,
        )
    if isinstance(exc, exceptions.ValidationError):
        return Response(validation_body(exc.detail), status=400)
    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        # A code the view gave (a domain's: unknown_region) wins over the framework's.
        given = getattr(exc.detail, "code", None)
        code = given if given and given != exc.default_code else None
        code = code or next(
            (code for cls, code in _DRF_CODES.items() if isinstance(exc, cls)),
            exc.default_code,
        )
        message = " ".join(str(e) for e in _flatten(exc.detail))
        return Response(
            {"error": {"code": str(code), "message": message, "fields": {}}},
            status=exc.status_code,
            headers=headers,
        )
    return None
