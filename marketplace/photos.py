"""Listing photos: proven to be images, re-encoded, stripped of their metadata.

Nothing of the uploaded file is kept: Pillow decodes it (JPEG, PNG or WebP only), the pixels
are turned upright by their EXIF orientation, shrunk to fit `MAX_SIDE`, and written out as a
new JPEG, which carries no EXIF, GPS position, camera serial or comment from the original."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ListingError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 1600
# A decompression bomb (a small file that decodes to gigabytes) is refused before decoding.
MAX_PIXELS = 40_000_000
QUALITY = 85


@dataclass(frozen=True)
class ProcessedPhoto:
    content: ContentFile
    width: int
    height: int


def max_bytes() -> int:
    return int(getattr(settings, "JEJARING_LISTING_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def process_photo(upload) -> ProcessedPhoto:
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The photo is %(size)s; the limit is %(limit)s. Choose a smaller photo.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code=ListingError.PHOTO_TOO_LARGE,
        )
    not_image = ValidationError(
        _("This file is not a photo we can read. Upload a JPEG, PNG or WebP image."),
        code=ListingError.PHOTO_NOT_IMAGE,
    )
    try:
        upload.seek(0)
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(
                _("The photo is larger than %(limit)s. Choose a smaller photo.")
                % {"limit": filesizeformat(limit)},
                code=ListingError.PHOTO_TOO_LARGE,
            )
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise not_image
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo has too many pixels (%(w)s × %(h)s). Use a smaller photo.")
                    % {"w": width, "h": height},
                    code=ListingError.PHOTO_TOO_MANY_PIXELS,
                )
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif=, no icc_profile=, no comment=: the new file carries no metadata.
            image.save(out, format="JPEG", quality=QUALITY, optimize=True)
            return ProcessedPhoto(ContentFile(out.getvalue()), image.width, image.height)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_image from None
