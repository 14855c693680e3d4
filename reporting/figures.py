"""The figures of a report, as stored in Submission.figures (reporting/models.py says their
shape), and how figures add up. Pure functions over plain dicts: the same code sums a province's
regions and the Ministry's provinces, so the totals cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from agreements.reports.semester import STATUSES, SemesterReport
from cooperation.models import Kind

KINDS: tuple[str, ...] = tuple(Kind.values)
STATUS_CODES: tuple[str, ...] = tuple(code for code, _label in STATUSES)


def empty() -> dict:
    return {
        "by_kind_status": {kind: dict.fromkeys(STATUS_CODES, 0) for kind in KINDS},
        "by_kind": dict.fromkeys(KINDS, 0),
        "by_status": dict.fromkeys(STATUS_CODES, 0),
        "by_urusan": {},
        "total": 0,
    }


def from_counts(by_kind_status: dict, by_urusan: dict | None = None) -> dict:
    """Figures from counts per (kind, status) (and per urusan): the margins computed here."""
    figures = empty()
    for kind in KINDS:
        for status in STATUS_CODES:
            n = int((by_kind_status.get(kind) or {}).get(status, 0))
            figures["by_kind_status"][kind][status] = n
            figures["by_kind"][kind] += n
            figures["by_status"][status] += n
            figures["total"] += n
    figures["by_urusan"] = {code: int(n) for code, n in sorted((by_urusan or {}).items()) if n}
    return figures


def of_report(report: SemesterReport) -> dict:
    """A region's figures, counted from the rows its report lists (so they cannot disagree)."""
    by_kind_status: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    urusan: Counter = Counter()
    for row in report.rows:
        by_kind_status.setdefault(row.kind_code, Counter())[row.status_code] += 1
        urusan.update(row.urusan_codes)
    return from_counts({k: dict(v) for k, v in by_kind_status.items()}, dict(urusan))


def add(parts: Iterable[dict]) -> dict:
    """The sum of several figures (their by_kind_status and by_urusan)."""
    by_kind_status: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    urusan: Counter = Counter()
    for part in parts:
        for kind, statuses in part.get("by_kind_status", {}).items():
            by_kind_status.setdefault(kind, Counter()).update(
                {s: int(n) for s, n in statuses.items()}
            )
        urusan.update({code: int(n) for code, n in part.get("by_urusan", {}).items()})
    return from_counts({k: dict(v) for k, v in by_kind_status.items()}, dict(urusan))


def core(figures: dict) -> dict:
    """Only the summable part (what `add` and the tests compare)."""
    return {
        key: figures[key]
        for key in ("by_kind_status", "by_kind", "by_status", "by_urusan", "total")
    }
