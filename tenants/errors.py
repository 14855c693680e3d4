"""Stable error codes carried by validation errors, for tests and API clients."""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_REGION_CODE = "invalid_region_code"
    UNKNOWN_REGION = "unknown_region"
    REGION_NOT_AUTONOMOUS = "region_not_autonomous"
    REGION_ALREADY_ONBOARDED = "region_already_onboarded"
    APPLICATION_ALREADY_PENDING = "application_already_pending"
    APPLICATION_NOT_PENDING = "application_not_pending"
    LETTER_NOT_PDF = "letter_not_pdf"
    LETTER_TOO_LARGE = "letter_too_large"
    REASON_REQUIRED = "reason_required"
    AREA_REQUIRED = "area_required"
    AREA_OUTSIDE_REGION = "area_outside_region"
    AREA_WRONG_KIND = "area_wrong_kind"
    OPD_REQUIRED = "opd_required"
    ALREADY_MEMBER = "already_member"
    INVITATION_PENDING = "invitation_pending"
    INVITATION_INVALID = "invitation_invalid"
    INVITATION_EMAIL_MISMATCH = "invitation_email_mismatch"
    LAST_ADMIN = "last_admin"
    TENANT_SUSPENDED = "tenant_suspended"
    EMAIL_UNVERIFIED = "email_unverified"
    AREA_OUTSIDE_SCOPE = "area_outside_scope"
    CONFIRMATION_MISMATCH = "confirmation_mismatch"
    PROVISIONING_FAILED = "provisioning_failed"
