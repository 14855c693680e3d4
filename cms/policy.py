"""The public portal's permissions: who edits the portal, and who grants the editor permission
of a region's section (cms/editors.py). Registered with the permission mechanism
(tenants.policy.grant) from CmsConfig.ready()."""

from __future__ import annotations

from enum import StrEnum

from tenants.models import Membership, Role
from tenants.policy import can_act, grant


class PortalPerm(StrEnum):
    # Grant the portal editor permission of the region's section to members and withdraw it
    # (the office; see can_be_portal_editor).
    MANAGE_PORTAL_EDITORS = "portal.manage_editors"


# Editing the region's section of the public portal (Wagtail) is not a role but a permission the
# region's office (its administrators) grants to chosen members: the office decides who speaks
# for the region in public. It may be held by administrators, TKKSD members and OPD staff (a
# region's public-relations or Diskominfo officer is OPD staff); camat and lurah act for an area
# and viewers (the DPRD) only read, so not by them. A grant is the person's membership of the
# region's Wagtail group, whose page permissions (add, edit, publish) hold on the region's section
# only and whose collection permissions on the region's own collection of images and documents;
# Wagtail enforces them. Leaving the region, or a role change to one that may not hold it,
# withdraws it. Platform editors (a group of Wagtail's, given by platform staff) edit the rest of
# the portal (news, guides, the regulation library, the overview), not the regions' sections.
PORTAL_EDITOR_ROLES = frozenset({Role.ADMIN, Role.TKKSD, Role.OPD})
ROWS = {Role.ADMIN: {PortalPerm.MANAGE_PORTAL_EDITORS}}


def register() -> None:
    grant(
        PortalPerm,
        role_perms=ROWS,
        writes={PortalPerm.MANAGE_PORTAL_EDITORS},
        owner="cms",
    )


def can_edit_portal(user) -> bool:
    """Editors of the public portal (Wagtail's admin at /cms/)."""
    return can_act(user) and user.has_perm("wagtailadmin.access_admin")


def can_be_portal_editor(membership: Membership | None) -> bool:
    """May this member hold the editor permission of their region's section of the portal?"""
    return membership is not None and membership.role in PORTAL_EDITOR_ROLES
