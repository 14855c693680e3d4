"""Stable error codes of the personal-data requests (asserted by tests, read by programs)."""

from enum import StrEnum


class ErrorCode(StrEnum):
    REQUEST_OPEN = "privacy_request_open"
    REQUEST_CLOSED = "privacy_request_closed"
    EXPORT_NOT_READY = "privacy_export_not_ready"
    EXPORT_EXPIRED = "privacy_export_expired"
    LAST_ADMINISTRATOR = "privacy_last_administrator"
    WRONG_KIND = "privacy_wrong_kind"
