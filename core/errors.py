"""One error model for the web views and the API.

Actions raise a `DomainError` (or a Django `ValidationError` with a code for bad input in a
field). Each carries a stable machine-readable `code` and the HTTP `status` it answers with, so a
view, the API and a management command report the same refusal the same way.
`core.middleware.DomainErrorMiddleware` turns one that no view handled into an error page (or
JSON for the API) with that status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is for people (translated),
    `code` for programs (stable)."""

    status: int = 400
    default_code: str = "invalid"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = str(code or self.default_code)

    def __str__(self) -> str:
        return self.message


class Forbidden(DomainError, PermissionDenied):
    """Not allowed. Also a Django `PermissionDenied`, so anything that handles those (the 403
    page, Wagtail) handles it too."""

    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    """Does not exist, or is not visible to this person: the two are never told apart."""

    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The current state does not allow it (already decided, already a member...)."""

    status = 409
    default_code = "conflict"


class StaleVersion(Conflict):
    """Someone else changed the record since the person loaded it (optimistic locking: the
    version the form carried is no longer the record's). A conflict: 409, code
    `stale_version`."""

    default_code = "stale_version"


def status_for(exc: Exception) -> int:
    """The HTTP status of a refusal, chosen here and nowhere else: a domain error's own (403
    forbidden, 404 not found, 409 a state conflict such as a stale version, 400 otherwise), 400
    for bad input (a ValidationError), 403 for Django's PermissionDenied."""
    if isinstance(exc, DomainError):
        return exc.status
    if isinstance(exc, ValidationError):
        return 400
    if isinstance(exc, PermissionDenied):
        return 403
    raise TypeError(f"Not an error of the error model: {exc!r}")


def error_payload(exc: Exception) -> tuple[int, dict]:
    """The status and the JSON body for an error: `{"error": {"code", "message", "fields"}}`."""
    if isinstance(exc, DomainError):
        return status_for(exc), {"error": {"code": exc.code, "message": exc.message}}
    if isinstance(exc, ValidationError):
        fields: dict[str, list[dict]] = {}
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                fields[field] = [
                    {"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errors
                ]
        first = exc.error_list[0] if hasattr(exc, "error_list") else None
        code = (first.code if first is not None else None) or "invalid"
        return status_for(exc), {
            "error": {"code": code, "message": " ".join(exc.messages), "fields": fields}
        }
    if isinstance(exc, PermissionDenied):
        return status_for(exc), {"error": {"code": "permission_denied", "message": str(exc)}}
    raise TypeError(f"Not an error of the error model: {exc!r}")


def add_to_form(form, exc: Exception, *, field: str | None = None) -> None:
    """Show an action's refusal on the form that asked for it: a field's error by its field
    (or at the top when the form has no such field), anything else at the top (or by `field`,
    for a form whose one choice the action judged), with its stable code."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(field, exc)
    else:  # a DomainError: its message, with its stable code
        error = ValidationError(str(exc), code=getattr(exc, "code", "invalid"))
        form.add_error(field, error)


def field_error(field: str | None, message, code: str) -> ValidationError:
    """A refusal with a stable code, attached to `field` (or to the whole input when None)."""
    error = ValidationError(str(message), code=code)
    return ValidationError({field: error}) if field else error
