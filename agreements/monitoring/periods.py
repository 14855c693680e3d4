"""Monitoring periods: the semesters of the reporting year (January-June, July-December), the
periods of the semester report to the Governor and the Minister of Home Affairs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Period:
    year: int
    semester: int  # 1: January-June, 2: July-December

    @classmethod
    def containing(cls, day: datetime.date) -> Period:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, value: str) -> Period | None:
        """`2026-1` → Period(2026, 1); None for anything else."""
        year, _sep, semester = (value or "").partition("-")
        if not (year.isascii() and year.isdigit() and semester in ("1", "2")):
            return None
        return cls(int(year), int(semester))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.semester}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.semester == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        if self.semester == 1:
            return datetime.date(self.year, 6, 30)
        return datetime.date(self.year, 12, 31)

    def previous(self) -> Period:
        return Period(self.year - 1, 2) if self.semester == 1 else Period(self.year, 1)

    @property
    def label(self) -> str:
        if self.semester == 1:
            return _("January-June %(year)s") % {"year": self.year}
        return _("July-December %(year)s") % {"year": self.year}

    def __str__(self) -> str:
        return self.label


def last_completed(today: datetime.date) -> Period:
    """The last period that has ended by `today`."""
    return Period.containing(today).previous()


def latest_due(today: datetime.date, grace_days: int) -> Period:
    """The latest period whose monitoring report is due by `today`: one that ended at least
    `grace_days` days ago."""
    period = last_completed(today)
    while period.end + datetime.timedelta(days=grace_days) > today:
        period = period.previous()
    return period


def recent(today: datetime.date, count: int = 6) -> list[Period]:
    """The current period and the `count - 1` before it, newest first (the form's choices)."""
    periods = [Period.containing(today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
