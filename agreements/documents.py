"""Checking and storing an agreement's PDFs (signed scans, internal documents)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError

from cooperation.errors import AgreementError
from tenants.errors import ErrorCode
from tenants.validators import validate_pdf


def validate_agreement_pdf(upload) -> None:
    """A real, readable PDF within JEJARING_DOCUMENT_MAX_BYTES (the archive's limit), refused
    with this app's own codes."""
    try:
        validate_pdf(upload, max_bytes=settings.JEJARING_DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        code = (
            AgreementError.DOCUMENT_TOO_LARGE
            if exc.code == ErrorCode.LETTER_TOO_LARGE
            else AgreementError.DOCUMENT_NOT_PDF
        )
        raise ValidationError(exc.messages[0], code=code) from exc


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
