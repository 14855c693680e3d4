"""Kemendagri region codes: `35` province, `35.73` kabupaten/kota, `35.73.01` kecamatan,
`35.73.01.1007` desa/kelurahan. Validated everywhere a code is typed."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import ErrorCode

REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def validate_region_code(value: str) -> None:
    if not isinstance(value, str) or not REGION_CODE_RE.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid Kemendagri region code. Use the forms 35, 35.73, "
                "35.73.01 or 35.73.01.1007."
            ),
            code=ErrorCode.INVALID_REGION_CODE,
            params={"value": value},
        )


def code_level(code: str) -> int:
    """1 province, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan."""
    return code.count(".") + 1


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None
