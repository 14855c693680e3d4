from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile


@contextmanager
def removed_on_failure(stored: FieldFile) -> Iterator[None]:
    """A file is written to storage before its row; if writing the row (or anything else in the
    block) fails, remove the file too, so nothing is left half-written."""
    try:
        yield
    except BaseException:
        stored.delete(save=False)
        raise
