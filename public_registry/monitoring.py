"""When an agreement in force counts as active or dormant: ONE rule, a pure function of dates,
shared by the region's dashboard (agreements.monitoring.selectors) and the public profile (cms).

Monitoring reports are filed per semester (January-June, July-December). An agreement is active
when it has a report for the last completed semester or a later one; otherwise it is dormant.
The public record holds only the end of the latest semester reported on (`last_monitored_on`,
published by publishing.note_monitoring), never a report's content.
"""

from __future__ import annotations

import datetime


def dormancy_start(today: datetime.date) -> datetime.date:
    """The first day of the last semester completed by `today`: a report for it (or a later
    one) keeps an agreement active."""
    if today.month <= 6:
        return datetime.date(today.year - 1, 7, 1)
    return datetime.date(today.year, 1, 1)


def is_active(last_monitored_on: datetime.date | None, today: datetime.date) -> bool:
    """`last_monitored_on`: the end of the latest semester reported on (None: never)."""
    return last_monitored_on is not None and last_monitored_on >= dormancy_start(today)
