"""Where the signed files are: features register their documents here, so that the sweep
(signatures.tasks.sweep_task) finds those not yet checked against the trust roots in force
without this app knowing the features (it sits below them in the layers).

A source is a callable returning a queryset of dicts with the keys `sha256`, `schema` (the
schema whose storage holds the file) and `name` (the file's name in that storage)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

Source = Callable[[], QuerySet]
_SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    _SOURCES[name] = source


def sources() -> dict[str, Source]:
    return dict(_SOURCES)
