"""Stable error codes of the signatures app (tests and API clients rely on them)."""

from enum import StrEnum


class SignatureError(StrEnum):
    BEING_CHECKED = "signature_being_checked"
    NOT_FLAGGED = "signature_not_flagged"
    ALREADY_ACCEPTED = "signature_already_accepted"
    REASON_REQUIRED = "signature_reason_required"
