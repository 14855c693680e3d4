"""When a semester report is due, and whether a submission was on time.

domain.md gives no day for the reports upward (only "every semester"): the defaults here are
the platform's choice, documented as such, not the regulation's text. A kabupaten/kota reports
to its Governor within `region` days after the semester ends (15: 15 January and 15 July); a
province compiles its regions' reports and reports to the Minister within `province` days
(31: the end of January and of July), which leaves it about two weeks after its regions'
deadline. Platform operators change the defaults with the setting
JEJARING_REPORT_DEADLINE_DAYS = {"region": 15, "province": 31}, and one semester's deadline with
a ReportingDeadline row (`manage.py set_report_deadline`), which wins over the default.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from .models import Level, ReportingDeadline

DEFAULT_DAYS = {Level.REGION.value: 15, Level.PROVINCE.value: 31}
# The first reminder goes this many days before the deadline (and one when it is overdue).
REMIND_DAYS_BEFORE = 7


def default_days(level: str) -> int:
    configured = getattr(settings, "JEJARING_REPORT_DEADLINE_DAYS", None) or {}
    return int(configured.get(level, DEFAULT_DAYS[level]))


def deadline(year: int, half: int, level: str) -> datetime.date:
    """The day by which the report of semester (year, half) at `level` is due."""
    row = ReportingDeadline.objects.filter(level=level, year=year, half=half).first()
    if row is not None:
        return row.due_on
    end = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    return end + datetime.timedelta(days=default_days(level))


def deadlines(semesters, level: str) -> dict[tuple[int, int], datetime.date]:
    """deadline() for several semesters, in one query."""
    semesters = list(semesters)
    rows = {
        (r.year, r.half): r.due_on
        for r in ReportingDeadline.objects.filter(level=level, year__in={y for y, _h in semesters})
    }
    result = {}
    for year, half in semesters:
        if (year, half) in rows:
            result[(year, half)] = rows[(year, half)]
        else:
            end = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
            result[(year, half)] = end + datetime.timedelta(days=default_days(level))
    return result
