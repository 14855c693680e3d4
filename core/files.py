import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


@contextmanager
def removed_on_failure(stored: FieldFile) -> Iterator[None]:
    """A file is written to storage before its row; if writing the row (or anything else in the
    block) fails, remove the file too, so nothing is left half-written."""
    try:
        yield
    except BaseException:
        stored.delete(save=False)
        raise


def download_name(title: str) -> str:
    """A file name made from the whole of `title`: a slash or backslash (which would cut the name
    at the last one: "No. 12/2024.pdf" became "2024.pdf") becomes a hyphen, control characters
    go, and the name is never empty."""
    name = re.sub(r"[/\\]+", "-", title)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name or "dokumen.pdf"


def pdf_attachment(stored: FieldFile, filename: str) -> FileResponse:
    """An uploaded PDF as a download, never rendered in the platform's origin: the browser must
    not sniff another type, and should it open the file anyway, the sandbox keeps scripts and
    forms off. A file missing from storage is "not found"."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=download_name(filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
