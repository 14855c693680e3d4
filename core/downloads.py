"""Bulk downloads of public data as CSV or JSON, streamed: rows are written one at a time, so
the memory used does not grow with their number."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from .spreadsheets import csv_value

FORMATS = ("csv", "json")


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows: Iterable[dict], fields: Sequence[str]):
    """A header row then one row per dict, in `fields` order, each value a cell that no
    spreadsheet runs as a formula (core.spreadsheets.csv_value: lists joined with ";", None
    empty). The byte-order mark lets spreadsheets read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(fields)
    for row in rows:
        yield writer.writerow([csv_value(row[name]) for name in fields])


def json_stream(rows: Iterable[dict]):
    """A JSON array, one object per line."""
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


def streaming_download(
    rows: Iterable[dict], *, fmt: str, fields: Sequence[str], name: str
) -> StreamingHttpResponse:
    """The response of a bulk download: `fmt` "csv" or "json" (anything else is Http404), its
    file named "<name>-<today>.<fmt>"."""
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(rows, fields), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            json_stream(rows), content_type="application/json; charset=utf-8"
        )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{day}.{fmt}"'
    return response
