"""Search's permissions: who extends and who removes the synonyms (search/synonyms.py).
Registered with the permission mechanism (tenants.policy.grant) from SearchConfig.ready()."""

from __future__ import annotations

from enum import StrEnum

from tenants.models import Membership, Role
from tenants.policy import grant, has_perm, has_platform_perm


class SearchPerm(StrEnum):
    # A region's office adds groups and removes the ones it added; platform staff manage them
    # all (can_remove_synonym).
    EXTEND_SYNONYMS = "synonym.extend"
    MANAGE_SYNONYMS = "synonym.manage"


# The office of a region extends the synonyms (a write: not while the region is read-only);
# platform staff manage every group.
ROWS = {Role.ADMIN: {SearchPerm.EXTEND_SYNONYMS}}


def register() -> None:
    grant(
        SearchPerm,
        role_perms=ROWS,
        writes={SearchPerm.EXTEND_SYNONYMS},
        platform={SearchPerm.MANAGE_SYNONYMS},
        owner="search",
    )


def can_remove_synonym(user, membership: Membership | None, synonym) -> bool:
    """Platform staff remove any group; the office of the region that added one removes it (an
    office never removes another region's groups, nor the platform's)."""
    if has_platform_perm(user, SearchPerm.MANAGE_SYNONYMS):
        return True
    return (
        membership is not None
        and synonym.tenant_id is not None
        and membership.tenant_id == synonym.tenant_id
        and has_perm(user, membership.tenant, SearchPerm.EXTEND_SYNONYMS, membership)
    )
