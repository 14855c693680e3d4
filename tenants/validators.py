from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

from .errors import ErrorCode


def validate_pdf_letter(upload) -> None:
    validate_pdf(upload, max_bytes=settings.JEJARING_LETTER_MAX_BYTES)


def validate_pdf(upload, *, max_bytes: int) -> None:
    """A real, readable, unencrypted PDF within the size limit. The file's name and the
    browser's content type are not trusted: the bytes are read."""
    limit = max_bytes
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Scan it at a lower resolution.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code=ErrorCode.LETTER_TOO_LARGE,
        )
    not_pdf = ValidationError(
        _("The file must be a PDF. Save or scan it as PDF and upload it again."),
        code=ErrorCode.LETTER_NOT_PDF,
    )
    upload.seek(0)
    if not upload.read(5).startswith(b"%PDF-"):
        raise not_pdf
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is password-protected. Upload a copy without a password."),
                code=ErrorCode.LETTER_NOT_PDF,
            )
        if len(reader.pages) < 1:
            raise not_pdf
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed file makes pypdf raise almost anything
        raise not_pdf from exc
    finally:
        upload.seek(0)


def required_reason(reason: str | None, message: str) -> str:
    """A decision's reason, stripped; a blank one is refused with `message` on the field."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(message, code=ErrorCode.REASON_REQUIRED)})
    return reason
