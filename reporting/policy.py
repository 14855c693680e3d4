"""Who may submit, read, return, accept and compile the reports upward. Registered with the
permission mechanism (tenants.policy.grant) from ReportingConfig.ready().

A region's office (its administrators, who pass the second factor) submits its semester report
and corrects it; the TKKSD follows the states of its reports. A province's office reviews the
reports of ITS kabupaten/kota only (a kabupaten/kota's code starts with its province's code and a
dot), enters paper reports for those not on the platform, and compiles and submits its own
report to the Ministry; the province's TKKSD reads them too. Nothing here reads a region's
workspace: the province reads the frozen Submission rows of the public schema. The Ministry's
readers are the national side's (reporting/national*.py).
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import F
from django.db.models.lookups import StartsWith

from tenants.models import Membership, Region, RegionKind, Role
from tenants.policy import grant, has_perm, role_allows


class ReportingPerm(StrEnum):
    # Submit (and correct) the region's semester report upward.
    SUBMIT_REPORTS = "report.submit"
    # Follow the states of the region's submitted reports.
    VIEW_SUBMISSIONS = "report.view_submissions"
    # A province's office: review its regions' reports, enter paper ones, compile.
    REVIEW_REPORTS = "report.review"


Perm = ReportingPerm

ROWS = {
    Role.ADMIN: {Perm.SUBMIT_REPORTS, Perm.VIEW_SUBMISSIONS, Perm.REVIEW_REPORTS},
    Role.TKKSD: {Perm.VIEW_SUBMISSIONS},
}
WRITES = {Perm.SUBMIT_REPORTS, Perm.REVIEW_REPORTS}


def register() -> None:
    grant(ReportingPerm, role_perms=ROWS, writes=WRITES, owner="reporting")


def province_code(code: str) -> str:
    """A region's province: the first part of its code (35.73 -> 35; 35 -> 35)."""
    return code.split(".")[0]


def in_province(province: Region | str, region: Region | str) -> bool:
    """Is `region` a kabupaten/kota of `province` (never the province itself)?"""
    p = province if isinstance(province, str) else province.code
    r = region if isinstance(region, str) else region.code
    return r.startswith(f"{p}.")


def is_province(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.tenant.region is not None
        and membership.tenant.region.kind == RegionKind.PROVINSI
    )


def can_submit(membership: Membership | None) -> bool:
    """The office of a province, kabupaten or kota submits its own report."""
    return (
        membership is not None
        and membership.tenant.region is not None
        and has_perm(membership.user, membership.tenant, Perm.SUBMIT_REPORTS, membership)
    )


def can_view_submissions(membership: Membership | None) -> bool:
    return membership is not None and role_allows(membership.role, Perm.VIEW_SUBMISSIONS)


def can_read_own(membership: Membership | None, submission) -> bool:
    """A region's readers read their own region's submissions (any level, any state)."""
    return (
        can_view_submissions(membership)
        and membership is not None
        and submission.region_id == membership.tenant.region_id
    )


def can_review_reports(membership: Membership | None) -> bool:
    """A province's office (reviews, enters paper reports, compiles)."""
    return (
        membership is not None
        and is_province(membership)
        and has_perm(membership.user, membership.tenant, Perm.REVIEW_REPORTS, membership)
    )


def can_read_as_province(membership: Membership | None, submission) -> bool:
    """A province's office and TKKSD read the reports of its own kabupaten/kota, never another
    province's. (Role only: reading stays open while the province is suspended.)"""
    return (
        membership is not None
        and is_province(membership)
        and role_allows(membership.role, Perm.VIEW_SUBMISSIONS)
        and submission.level == "region"
        and in_province(str(membership.tenant.region_id), submission.region_id)
    )


def can_review(membership: Membership | None, submission) -> bool:
    return can_review_reports(membership) and can_read_as_province(membership, submission)


def readable_as_province(membership: Membership | None, submissions):
    """`submissions` narrowed to those the province's office may read (can_read_as_province
    as a query)."""
    if not (
        is_province(membership)
        and membership is not None
        and role_allows(membership.role, Perm.VIEW_SUBMISSIONS)
    ):
        return submissions.none()
    code = membership.tenant.region_id
    return submissions.filter(
        StartsWith(F("region_id"), f"{code}."), level="region", province_id=code
    )
