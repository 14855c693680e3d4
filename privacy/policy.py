"""Who answers personal-data requests and reads the record of processing: platform staff
(verified, with the second factor, as every staff page). A person reads and asks about their
own data only; nothing here is a region's role. Registered from PrivacyConfig.ready()."""

from __future__ import annotations

from enum import StrEnum

from tenants.policy import grant, has_platform_perm


class PrivacyPerm(StrEnum):
    HANDLE_REQUESTS = "privacy.handle_requests"
    VIEW_RECORD = "privacy.view_record"


def register() -> None:
    grant(
        PrivacyPerm,
        platform={PrivacyPerm.HANDLE_REQUESTS, PrivacyPerm.VIEW_RECORD},
        owner="privacy",
    )


def can_handle_requests(user) -> bool:
    return has_platform_perm(user, PrivacyPerm.HANDLE_REQUESTS)


def can_view_record(user) -> bool:
    return has_platform_perm(user, PrivacyPerm.VIEW_RECORD)
