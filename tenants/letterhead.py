"""A region's emblem (lambang daerah), printed on its letterhead: the semester report to the
Governor or the Minister (agreements/reports/semester.py) and, later, its other official documents.

One file per region, in the region's own folder (the tenant storage, like every other file of the
region), at a fixed name: no table. An upload is checked by its bytes (a PNG or JPEG image that
Pillow opens), then re-encoded as a PNG of at most EMBLEM_MAX_PX a side: what is stored is an
image the platform wrote itself, with no metadata and nothing else hidden in it. The writes with
their permission and history are workspace.actions.set_emblem / remove_emblem.
"""

from __future__ import annotations

import base64
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

EMBLEM_PATH = "letterhead/emblem.png"
EMBLEM_MAX_BYTES = 2 * 1024 * 1024
EMBLEM_MAX_PX = 600
# A decompression bomb is refused before it is decoded.
EMBLEM_MAX_PIXELS = 25_000_000


class EmblemError:
    TOO_LARGE = "emblem_too_large"
    NOT_AN_IMAGE = "emblem_not_an_image"


def emblem_png(upload) -> bytes:
    """The upload as the PNG to store, or ValidationError saying why not."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > EMBLEM_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(EMBLEM_MAX_BYTES)},
            code=EmblemError.TOO_LARGE,
        )
    not_image = ValidationError(
        _("The emblem must be a PNG or JPEG image."), code=EmblemError.NOT_AN_IMAGE
    )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in ("PNG", "JPEG"):
                raise not_image
            if image.width * image.height > EMBLEM_MAX_PIXELS:
                raise not_image
            image.load()
            converted = image.convert("RGBA")
            converted.thumbnail((EMBLEM_MAX_PX, EMBLEM_MAX_PX))
            out = io.BytesIO()
            converted.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise not_image from exc
    finally:
        upload.seek(0)
    return out.getvalue()


def store_emblem(png: bytes) -> None:
    """Replace the current region's emblem (call in the region's schema context)."""
    if default_storage.exists(EMBLEM_PATH):
        default_storage.delete(EMBLEM_PATH)
    default_storage.save(EMBLEM_PATH, ContentFile(png))


def delete_emblem() -> bool:
    if default_storage.exists(EMBLEM_PATH):
        default_storage.delete(EMBLEM_PATH)
        return True
    return False


def has_emblem() -> bool:
    return default_storage.exists(EMBLEM_PATH)


def emblem_data_uri() -> str | None:
    """The current region's emblem as a data: URI (for a PDF made without fetching anything,
    and for the settings page), or None when it has none."""
    if not default_storage.exists(EMBLEM_PATH):
        return None
    with default_storage.open(EMBLEM_PATH, "rb") as handle:
        data = handle.read()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
