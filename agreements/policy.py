"""Who may do what in the agreements' register: which roles hold the agreements' permissions
(cooperation.policy.AgreementPerm, declared in the shared layer because pages below the
register ask them too), registered with the permission mechanism (tenants.policy.grant) from
AgreementsConfig.ready(); and the register's rules: who reads which agreement, who carries one
out. Views, actions, selectors and templates ask here.
"""

from __future__ import annotations

from cooperation.policy import AgreementPerm, reads_whole_register
from core.request_cache import memoised
from tenants.models import Membership, Region, Role
from tenants.policy import AREA_SCOPED_ROLES, grant, role_allows, same_opd

# Who works on agreements: the office (administrators) runs the lifecycle; the TKKSD reads
# everything and reviews; OPD staff draft and edit entries. Viewers (the DPRD) read the dossiers
# the office gives them, camat and lurah the agreements that concern their area, none of them
# the region's internal chain (readable_agreements below decides which agreements).
# The register's outputs: whoever reads the register may download it as a spreadsheet (the
# export holds exactly the list's shared columns, nothing of the internal chain, and only the
# rows the person's list shows), viewers, camat and lurah too: a DPRD member works from their
# dossiers in a spreadsheet. Importing old agreements writes many entries at once, so it is the
# office's alone. The semester report is the office's official report to the Governor and the
# Minister: the office produces it, and the TKKSD (chaired by the Sekda, who signs the report
# off) reads it; OPD staff and viewers get the figures from the register and its dashboard.
# Partner regions and proposals: the office answers another region's offer, signs as a party and
# triages the proposals sent to the region; the TKKSD reads the offers and the proposals (it
# reviews every cooperation). Meetings between the parties are recorded by those who edit
# agreements (the office, OPD staff who draft them); whoever reads the register reads them.
# Joint preparation (as Malang Raya works): each party's OPDs and its office list the points
# their region could cooperate on and draft the joint text; the office records its heads of
# region's priorities and takes the chosen points up. The office of the inquirer's region turns
# an inquiry a member sent for the region into an agreement in preparation.
Perm = AgreementPerm  # within this module
_READ = {Perm.VIEW_AGREEMENTS, Perm.VIEW_AGREEMENT_INTERNALS}
ROLE_PERMS = {
    Role.ADMIN: _READ
    | {Perm.EDIT_AGREEMENTS, Perm.RUN_AGREEMENT_LIFECYCLE, Perm.EXPORT_AGREEMENTS}
    | {Perm.IMPORT_AGREEMENTS, Perm.REPORT_AGREEMENTS}
    | {Perm.MONITOR_AGREEMENTS, Perm.CONFIGURE_AGREEMENTS, Perm.SHARE_DOSSIERS}
    | {Perm.VIEW_OFFERS, Perm.ANSWER_OFFERS, Perm.RECORD_MEETINGS}
    | {Perm.VIEW_PROPOSALS, Perm.TRIAGE_PROPOSALS}
    | {Perm.CONTRIBUTE_JOINT_WORK, Perm.PRIORITISE_JOINT_POINTS, Perm.OFFER_FROM_INQUIRIES},
    Role.TKKSD: _READ
    | {Perm.REVIEW_AGREEMENTS, Perm.EXPORT_AGREEMENTS, Perm.REPORT_AGREEMENTS}
    | {Perm.VIEW_OFFERS, Perm.VIEW_PROPOSALS},
    Role.OPD: _READ
    | {Perm.EDIT_AGREEMENTS, Perm.EXPORT_AGREEMENTS, Perm.MONITOR_AGREEMENTS}
    | {Perm.RECORD_MEETINGS, Perm.CONTRIBUTE_JOINT_WORK},
    # Camat and lurah act only for their own area (see can_act_for_area) and read the
    # agreements that concern it (readable_agreements).
    Role.CAMAT: {Perm.VIEW_AGREEMENTS, Perm.EXPORT_AGREEMENTS},
    Role.LURAH: {Perm.VIEW_AGREEMENTS, Perm.EXPORT_AGREEMENTS},
    Role.VIEWER: {Perm.VIEW_AGREEMENTS, Perm.EXPORT_AGREEMENTS},
}
# The permissions that change data: refused while the region does not accept writes.
WRITES = {
    Perm.EDIT_AGREEMENTS,
    Perm.RUN_AGREEMENT_LIFECYCLE,
    Perm.REVIEW_AGREEMENTS,
    Perm.IMPORT_AGREEMENTS,
    Perm.MONITOR_AGREEMENTS,
    Perm.CONFIGURE_AGREEMENTS,
    Perm.SHARE_DOSSIERS,
    Perm.ANSWER_OFFERS,
    Perm.RECORD_MEETINGS,
    Perm.TRIAGE_PROPOSALS,
    Perm.CONTRIBUTE_JOINT_WORK,
    Perm.PRIORITISE_JOINT_POINTS,
    Perm.OFFER_FROM_INQUIRIES,
}


def register() -> None:
    grant(AgreementPerm, role_perms=ROLE_PERMS, writes=WRITES, owner="agreements")


# --- Who reads which agreement ------------------------------------------------------------------
# The office, the TKKSD and OPD staff read the whole register (cooperation.policy.
# reads_whole_register). The others read part of it, and what they may not read does not exist
# for them (404, absent from the list, the dashboard's counts, the exports and the downloads):
# - A viewer (a DPRD member) reads the agreements whose dossier the office gave them
#   (Perm.SHARE_DOSSIERS; the office withdraws it the same way). A dossier is what the DPRD
#   needs to approve or to oversee a cooperation: the agreement's shared record (terms, parties,
#   stage and the history of its shared stages), its signed documents and its DPRD step (whether
#   it is required and why, the DPRD's decision). It does not hold the region's internal chain:
#   internal notes, the TKKSD's reviews (the Sekda's team advises the head of region, not the
#   DPRD), internal documents, the action plan and monitoring reports. What the office wants the
#   DPRD to read from that chain it sends as a letter, outside the register.
# - A camat reads the agreements that concern their kecamatan or any desa/kelurahan in it; a
#   lurah those that concern their own desa/kelurahan (an agreement concerning the whole
#   kecamatan is the camat's, not each lurah's). The areas are the agreement's own
#   (Agreement.areas, set by those who edit it). They read the same part as a viewer, without
#   the DPRD step (the council's business).
# `can_read_agreement` (one agreement) and `readable_agreements` (a queryset) state the same
# rule; the agreements' tests check both.


def agreement_area_codes(membership: Membership) -> list[str]:
    """The area codes an area-scoped member reads the agreements of: a lurah's desa/kelurahan;
    a camat's kecamatan and every desa/kelurahan in it (from the registry, once a request)."""
    area_id = membership.area_id
    if membership.role not in AREA_SCOPED_ROLES or area_id is None:
        return []
    if membership.role == Role.LURAH:
        return [area_id]

    def kecamatan_codes() -> list[str]:
        area = membership.area
        if area is None:
            return [area_id]
        return [area_id, *Region.objects.within(area).values_list("code", flat=True)]

    return memoised(("agreement_area_codes", area_id), kecamatan_codes)


def can_receive_dossier(membership: Membership | None) -> bool:
    """Dossiers are given to viewers (the DPRD's members); the others read by role or area."""
    return membership is not None and membership.role == Role.VIEWER


def can_read_agreement(membership: Membership | None, *, dossier_members, areas) -> bool:
    """May `membership` read an agreement given to `dossier_members` (membership ids) that
    concerns `areas` (region codes)?"""
    if membership is None or not role_allows(membership.role, Perm.VIEW_AGREEMENTS):
        return False
    if reads_whole_register(membership):
        return True
    if membership.role == Role.VIEWER:
        return membership.pk in (dossier_members or ())
    if membership.role in AREA_SCOPED_ROLES:
        return bool(set(agreement_area_codes(membership)) & set(areas or ()))
    return False


def readable_agreements(
    membership: Membership | None,
    agreements,
    *,
    dossier_field: str = "dossier_members",
    areas_field: str = "areas",
):
    """`agreements` (a queryset of the register) narrowed to what `membership` may read; the
    lookups are GIN-indexed array operators."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_AGREEMENTS):
        return agreements.none()
    if reads_whole_register(membership):
        return agreements
    if membership.role == Role.VIEWER:
        return agreements.filter(**{f"{dossier_field}__contains": [membership.pk]})
    if membership.role in AREA_SCOPED_ROLES:
        codes = agreement_area_codes(membership)
        if not codes:
            return agreements.none()
        return agreements.filter(**{f"{areas_field}__overlap": codes})
    return agreements.none()


def can_read_dprd_step(membership: Membership | None) -> bool:
    """The DPRD step is in the region's internal chain and in a viewer's dossier."""
    return membership is not None and (
        role_allows(membership.role, Perm.VIEW_AGREEMENT_INTERNALS)
        or membership.role == Role.VIEWER
    )


# --- Who carries an agreement out -------------------------------------------------------------
# The action plan and the monitoring reports (monev) of an agreement are kept by the cooperation
# office (administrators) for every agreement, and by OPD staff for the agreements their own OPD
# is responsible for (the agreement's responsible OPD, compared like the documents' OPD rule):
# OPD staff act in their OPD's cooperation only. The TKKSD reads them; viewers, camat and lurah
# do not (they are the region's working record, like its internal chain). The reminders (the
# region's notifications list) follow the same line: the office and the TKKSD see every one,
# OPD staff those of their OPD's agreements.


def can_work_on_agreement(membership: Membership | None, responsible_opd: str) -> bool:
    """May `membership` edit the action plan of, and file monitoring reports on, an agreement
    whose responsible OPD is `responsible_opd`?"""
    if membership is None or not role_allows(membership.role, Perm.MONITOR_AGREEMENTS):
        return False
    if membership.role == Role.OPD:
        return same_opd(membership.opd, responsible_opd)
    return True


def visible_reminders(membership: Membership | None, reminders, opd_field: str):
    """`reminders` (a queryset) narrowed to those `membership` sees; `opd_field` is the lookup
    of the responsible OPD of each reminder's agreement."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_AGREEMENT_INTERNALS):
        return reminders.none()
    if membership.role == Role.OPD:
        opd = membership.opd.strip()
        return reminders.filter(**{f"{opd_field}__iexact": opd}) if opd else reminders.none()
    return reminders
