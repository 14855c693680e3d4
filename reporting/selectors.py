"""Reporting's reads: a region's reports by semester, and a province's overview of its
kabupaten/kota. Public-schema rows only (the frozen submissions and the region registry)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from agreements.reports.semester import Semester
from tenants.models import Region, Tenant

from . import deadlines
from .models import Level, Source, State, Submission
from .policy import readable_as_province

# The first semester the platform shows (earlier reports went by letter).
FIRST_SEMESTER = Semester(2024, 1)
LIST_FIELDS = ("agreements",)


def semesters_until(today: datetime.date, first: Semester = FIRST_SEMESTER) -> list[Semester]:
    """Every semester that is over, newest first, back to `first`."""
    last = Semester.last_ended(today)
    result = []
    year, half = last.year, last.half
    while (year, half) >= (first.year, first.half):
        result.append(Semester(year, half))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return result


@dataclass(frozen=True)
class SemesterLine:
    semester: Semester
    deadline: datetime.date
    current: Submission | None
    history: tuple[Submission, ...]  # superseded ones, newest first

    @property
    def status(self) -> str:
        """draft (nothing submitted yet) or the current submission's state."""
        return self.current.state if self.current is not None else "draft"


def region_reports(region: Region, level: str, today: datetime.date) -> list[SemesterLine]:
    """The region's reports at `level`, one line per semester that is over (two queries)."""
    semesters = semesters_until(today)
    rows = list(
        Submission.objects.filter(region=region, level=level)
        .defer(*LIST_FIELDS)
        .select_related("submitted_by", "returned_by", "accepted_by")
        .order_by("-submitted_at")
    )
    due = deadlines.deadlines([(s.year, s.half) for s in semesters], level)
    lines = []
    for semester in semesters:
        mine = [r for r in rows if (r.year, r.half) == (semester.year, semester.half)]
        current = next((r for r in mine if r.state != State.SUPERSEDED), None)
        lines.append(
            SemesterLine(
                semester=semester,
                deadline=due[(semester.year, semester.half)],
                current=current,
                history=tuple(r for r in mine if r.state == State.SUPERSEDED),
            )
        )
    return lines


class Standing:
    """Where a kabupaten/kota stands for one semester, as the province sees it."""

    ACCEPTED = "accepted"
    PAPER = "paper"
    SUBMITTED_ON_TIME = "on_time"
    SUBMITTED_LATE = "late"
    RETURNED = "returned"
    NOT_YET_DUE = "not_yet_due"
    MISSING = "missing"


@dataclass(frozen=True)
class RegionLine:
    region: Region
    on_platform: bool
    submission: Submission | None
    standing: str


def province_overview(
    membership, province: Region, semester: Semester, today: datetime.date
) -> list[RegionLine]:
    """Every kabupaten/kota of the province from the registry, on the platform or not, with its
    current report of `semester` (three queries, whatever the number of regions)."""
    from .actions import province_regions

    regions = list(province_regions(province))
    current = {
        s.region_id: s
        for s in readable_as_province(membership, Submission.objects.all())
        .filter(year=semester.year, half=semester.half)
        .current()
        .defer(*LIST_FIELDS)
        .select_related("submitted_by")
    }
    on_platform = set(
        Tenant.objects.live().filter(region__in=regions).values_list("region_id", flat=True)
    )
    due = deadlines.deadline(semester.year, semester.half, Level.REGION)
    lines = []
    for region in regions:
        s = current.get(region.code)
        if s is None:
            standing = Standing.MISSING if today > due else Standing.NOT_YET_DUE
        elif s.source == Source.PAPER:
            standing = Standing.PAPER
        elif s.state == State.ACCEPTED:
            standing = Standing.ACCEPTED
        elif s.state == State.RETURNED:
            standing = Standing.RETURNED
        else:
            standing = Standing.SUBMITTED_LATE if s.late else Standing.SUBMITTED_ON_TIME
        lines.append(RegionLine(region, region.code in on_platform, s, standing))
    return lines


def own_submission(membership, pk: int) -> Submission | None:
    """One of the member's region's own submissions (any level), or None."""
    return (
        Submission.objects.filter(pk=pk, region_id=membership.tenant.region_id)
        .select_related("region", "province", "submitted_by", "returned_by", "accepted_by")
        .prefetch_related(Prefetch("files"))
        .first()
    )


def province_submission(membership, pk: int) -> Submission | None:
    """A submission of one of the province's kabupaten/kota, or None."""
    return (
        readable_as_province(membership, Submission.objects.filter(pk=pk))
        .select_related("region", "province", "submitted_by", "returned_by", "accepted_by")
        .first()
    )


def files_of(submission: Submission) -> list:
    return list(submission.files.defer("content").order_by("kind"))
