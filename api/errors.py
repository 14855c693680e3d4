"""Stable error codes of the API itself (the features' codes come with their actions)."""

from enum import StrEnum


class ApiError(StrEnum):
    # The one error shape's codes for what the framework refuses before any action runs.
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PARSE_ERROR = "parse_error"
    INVALID = "invalid"
    THROTTLED = "throttled"
    # Refused before any view ran (api.middleware): a NUL character, a bad Host header.
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"
    # Tokens (api/tokens.py); error codes, not secrets (ruff's S105 guesses otherwise).
    TOKEN_NAME_REQUIRED = "token_name_required"  # noqa: S105
    TOKEN_LIFETIME_INVALID = "token_lifetime_invalid"  # noqa: S105
    TOO_MANY_TOKENS = "too_many_tokens"
    TOKEN_REVOKED = "token_revoked"  # noqa: S105
    # Reads.
    INVALID_REGION_CODE = "invalid_region_code"
    UNKNOWN_KIND = "unknown_kind"
