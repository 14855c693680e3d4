"""Who may do what: every permission decision about regions' workspaces and the platform.

Views, actions and templates ask here; nothing else decides. Tested as a matrix in
tenants/tests/test_policy.py.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import F, Q
from django.db.models.lookups import StartsWith

from core.request_cache import memoised

from .models import Membership, Region, Role, Tenant, accepts_writes


class Perm(StrEnum):
    VIEW_WORKSPACE = "workspace.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    UPLOAD_DOCUMENT = "document.upload"
    # The shared marketplace (marketplace/): see the region's own listings whatever their
    # status; publish listings (within the member's area, can_edit_listing); moderate them.
    VIEW_LISTINGS = "listing.view"
    PUBLISH_LISTINGS = "listing.publish"
    MODERATE_LISTINGS = "listing.moderate"
    # Search's synonyms (search/synonyms.py): a region's office adds groups and removes the ones
    # it added; platform staff manage them all (can_remove_synonym).
    EXTEND_SYNONYMS = "synonym.extend"
    MANAGE_SYNONYMS = "synonym.manage"
    # The agreements' register (agreements/): read it; read the region's internal chain
    # (notes, TKKSD reviews, internal documents, the DPRD step); create and edit entries;
    # run the lifecycle (the cooperation office); record a TKKSD recommendation.
    VIEW_AGREEMENTS = "agreement.view"
    VIEW_AGREEMENT_INTERNALS = "agreement.view_internal"
    EDIT_AGREEMENTS = "agreement.edit"
    RUN_AGREEMENT_LIFECYCLE = "agreement.run_lifecycle"
    REVIEW_AGREEMENTS = "agreement.review"
    # The register's outputs and bulk input (agreements/exporting, importing, reporting): download
    # the list as CSV/XLSX; import old agreements from a file; produce the semester report.
    EXPORT_AGREEMENTS = "agreement.export"
    IMPORT_AGREEMENTS = "agreement.import"
    REPORT_AGREEMENTS = "agreement.report"
    # Carrying agreements out (agreements/monitoring.py): edit an agreement's action plan and
    # file its monitoring reports (the office, and OPD staff for their OPD's agreements, see
    # can_work_on_agreement); set the region's reminder days (the office).
    MONITOR_AGREEMENTS = "agreement.monitor"
    CONFIGURE_AGREEMENTS = "agreement.configure"
    # Give a viewer (a DPRD member) an agreement's dossier, or withdraw it (readable_agreements).
    SHARE_DOSSIERS = "agreement.share_dossier"
    # Partner regions and proposals (agreements/partners.py, agreements/proposals.py): read the
    # inbox of offers from other regions; accept or decline one; sign as a party; record a
    # meeting between the parties; read the proposals sent to the region; triage them.
    VIEW_OFFERS = "offer.view"
    ANSWER_OFFERS = "offer.answer"
    RECORD_MEETINGS = "agreement.record_meeting"
    VIEW_PROPOSALS = "proposal.view"
    TRIAGE_PROPOSALS = "proposal.triage"
    # Joint preparation of a shared agreement (agreements/joint.py): list a point in the parties'
    # inventory and add a version of the joint text; record the heads of region's priorities and
    # take the chosen points up as the agreement's scope and its PKS per urusan.
    CONTRIBUTE_JOINT_WORK = "agreement.joint_contribute"
    PRIORITISE_JOINT_POINTS = "agreement.joint_prioritise"
    # Inquiries about listings (marketplace/inquiries.py): read the inquiries about the region's
    # listings; answer them; turn an inquiry a member sent for the region into an offer in
    # preparation (agreements/inquiries.py). See can_read_inquiry and the rules below.
    VIEW_INQUIRIES = "inquiry.view"
    ANSWER_INQUIRIES = "inquiry.answer"
    OFFER_FROM_INQUIRIES = "inquiry.make_offer"
    # Trade missions (missions/): organise a province's missions (its office; see
    # can_organise_missions); enrol the region's listings in a mission of its province; read the
    # meetings requested with the region in a mission and answer them (see the rules below).
    ORGANISE_MISSIONS = "mission.organise"
    ENROL_IN_MISSIONS = "mission.enrol"
    VIEW_MEETINGS = "meeting.view"
    ANSWER_MEETINGS = "meeting.answer"
    # The region's section of the public portal (cms/editors.py): grant the portal editor
    # permission to members and withdraw it (the office; see can_be_portal_editor).
    MANAGE_PORTAL_EDITORS = "portal.manage_editors"
    # Platform staff only.
    REVIEW_APPLICATIONS = "platform.review_applications"
    MANAGE_TENANTS = "platform.manage_tenants"


# Who works on agreements: the office (administrators) runs the lifecycle; the TKKSD reads
# everything and reviews; OPD staff draft and edit entries. Viewers (the DPRD) read the dossiers
# the office gives them, camat and lurah the agreements that concern their area, none of them
# the region's internal chain (readable_agreements below decides which agreements).
_AGREEMENT_READ = frozenset({Perm.VIEW_AGREEMENTS, Perm.VIEW_AGREEMENT_INTERNALS})
# The register's outputs. Whoever reads the register may download it as a spreadsheet (the
# export holds exactly the list's shared columns, nothing of the internal chain, and only the
# rows the person's list shows), viewers, camat and lurah too: a DPRD member works from their
# dossiers in a spreadsheet. Importing old agreements
# writes many entries at once, so it is the office's alone. The semester report is the office's
# official report to the Governor and the Minister: the office produces it, and the TKKSD
# (chaired by the Sekda, who signs the report off) reads it; OPD staff and viewers get the
# figures from the register and its dashboard instead.
_AGREEMENT_OUTPUTS_READ = frozenset({Perm.EXPORT_AGREEMENTS})

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {Perm.VIEW_WORKSPACE, Perm.MANAGE_MEMBERS, Perm.VIEW_AUDIT, Perm.UPLOAD_DOCUMENT}
    )
    | _AGREEMENT_READ
    | {Perm.EDIT_AGREEMENTS, Perm.RUN_AGREEMENT_LIFECYCLE}
    | _AGREEMENT_OUTPUTS_READ
    | {Perm.IMPORT_AGREEMENTS, Perm.REPORT_AGREEMENTS}
    | {Perm.MONITOR_AGREEMENTS, Perm.CONFIGURE_AGREEMENTS, Perm.SHARE_DOSSIERS},
    Role.TKKSD: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT})
    | _AGREEMENT_READ
    | {Perm.REVIEW_AGREEMENTS}
    | _AGREEMENT_OUTPUTS_READ
    | {Perm.REPORT_AGREEMENTS},
    Role.OPD: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT})
    | _AGREEMENT_READ
    | {Perm.EDIT_AGREEMENTS}
    | _AGREEMENT_OUTPUTS_READ
    | {Perm.MONITOR_AGREEMENTS},
    # Camat and lurah act only for their own area (see can_act_for_area) and read the
    # agreements that concern it (readable_agreements).
    Role.CAMAT: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT, Perm.VIEW_AGREEMENTS})
    | _AGREEMENT_OUTPUTS_READ,
    Role.LURAH: frozenset({Perm.VIEW_WORKSPACE, Perm.UPLOAD_DOCUMENT, Perm.VIEW_AGREEMENTS})
    | _AGREEMENT_OUTPUTS_READ,
    Role.VIEWER: frozenset({Perm.VIEW_WORKSPACE, Perm.VIEW_AGREEMENTS}) | _AGREEMENT_OUTPUTS_READ,
}
# Partner regions and proposals. The office (administrators) answers another region's offer,
# signs as a party and triages the proposals sent to the region; the TKKSD reads the offers and
# the proposals (it reviews every cooperation). Meetings between the parties are recorded by
# those who edit agreements (the office, OPD staff who draft them); whoever reads the register
# reads the meetings, which every party sees alike.
_PARTNER_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {
            Perm.VIEW_OFFERS,
            Perm.ANSWER_OFFERS,
            Perm.RECORD_MEETINGS,
            Perm.VIEW_PROPOSALS,
            Perm.TRIAGE_PROPOSALS,
        }
    ),
    Role.TKKSD: frozenset({Perm.VIEW_OFFERS, Perm.VIEW_PROPOSALS}),
    Role.OPD: frozenset({Perm.RECORD_MEETINGS}),
}
ROLE_PERMS = {
    role: perms | _PARTNER_PERMS.get(role, frozenset()) for role, perms in ROLE_PERMS.items()
}
# Joint preparation (as Malang Raya works): each party's OPDs and its office list the points
# their region could cooperate on and draft the joint text; the office records its heads of
# region's priorities and takes the chosen points up. Everyone who reads the register reads the
# inventory and the versions (they are on the shared record, like the meetings).
_JOINT_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset({Perm.CONTRIBUTE_JOINT_WORK, Perm.PRIORITISE_JOINT_POINTS}),
    Role.OPD: frozenset({Perm.CONTRIBUTE_JOINT_WORK}),
}
ROLE_PERMS = {
    role: perms | _JOINT_PERMS.get(role, frozenset()) for role, perms in ROLE_PERMS.items()
}
PLATFORM_PERMS = frozenset({Perm.REVIEW_APPLICATIONS, Perm.MANAGE_TENANTS})
# Permissions that change data: refused while a tenant is suspended.
WRITE_PERMS = frozenset(
    {
        Perm.MANAGE_MEMBERS,
        Perm.UPLOAD_DOCUMENT,
        Perm.EDIT_AGREEMENTS,
        Perm.RUN_AGREEMENT_LIFECYCLE,
        Perm.REVIEW_AGREEMENTS,
        Perm.IMPORT_AGREEMENTS,
        Perm.MONITOR_AGREEMENTS,
        Perm.CONFIGURE_AGREEMENTS,
        Perm.SHARE_DOSSIERS,
    }
)
WRITE_PERMS |= {
    Perm.ANSWER_OFFERS,
    Perm.RECORD_MEETINGS,
    Perm.TRIAGE_PROPOSALS,
    Perm.CONTRIBUTE_JOINT_WORK,
    Perm.PRIORITISE_JOINT_POINTS,
}
AREA_SCOPED_ROLES = frozenset({Role.CAMAT, Role.LURAH})

# The marketplace. Every member sees the region's own listings, drafts included (unpublished
# listings exist for their region only). The office, OPD staff, camat and lurah publish: the
# office and OPD staff for the whole region, a camat for their kecamatan, a lurah for their
# desa/kelurahan (can_edit_listing). The office (the administrators) moderates: publishes,
# returns with a reason, archives. TKKSD members and viewers read.
_LISTING_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset({Perm.VIEW_LISTINGS, Perm.PUBLISH_LISTINGS, Perm.MODERATE_LISTINGS}),
    Role.OPD: frozenset({Perm.VIEW_LISTINGS, Perm.PUBLISH_LISTINGS}),
    Role.CAMAT: frozenset({Perm.VIEW_LISTINGS, Perm.PUBLISH_LISTINGS}),
    Role.LURAH: frozenset({Perm.VIEW_LISTINGS, Perm.PUBLISH_LISTINGS}),
    Role.TKKSD: frozenset({Perm.VIEW_LISTINGS}),
    Role.VIEWER: frozenset({Perm.VIEW_LISTINGS}),
}
ROLE_PERMS = {
    role: perms | _LISTING_PERMS.get(role, frozenset()) for role, perms in ROLE_PERMS.items()
}
WRITE_PERMS = WRITE_PERMS | {Perm.PUBLISH_LISTINGS, Perm.MODERATE_LISTINGS}
# Synonyms: the office of a region extends them (a write: not while the region is suspended);
# platform staff manage every group.
ROLE_PERMS = {
    role: perms | ({Perm.EXTEND_SYNONYMS} if role == Role.ADMIN else set())
    for role, perms in ROLE_PERMS.items()
}
WRITE_PERMS = WRITE_PERMS | {Perm.EXTEND_SYNONYMS}
PLATFORM_PERMS = PLATFORM_PERMS | {Perm.MANAGE_SYNONYMS}

# Inquiries about listings. The listing's region reads the inquiries about its listings (the
# office, the TKKSD that reviews every cooperation, and the publishers: OPD staff region-wide,
# a camat or lurah for the listings of their own area, can_read_inquiry) and answers them (the
# office and the publishers, within the same area rule: can_answer_inquiry). Viewers (the DPRD)
# do not: an inquiry carries the inquirer's address. The office of the inquirer's region turns an
# inquiry a member sent for the region into an agreement in preparation with the listing's
# region as partner (it creates agreements and runs their lifecycle); a third party turns theirs
# into a proposal like any proposal (can_propose).
_INQUIRY_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {Perm.VIEW_INQUIRIES, Perm.ANSWER_INQUIRIES, Perm.OFFER_FROM_INQUIRIES}
    ),
    Role.TKKSD: frozenset({Perm.VIEW_INQUIRIES}),
    Role.OPD: frozenset({Perm.VIEW_INQUIRIES, Perm.ANSWER_INQUIRIES}),
    Role.CAMAT: frozenset({Perm.VIEW_INQUIRIES, Perm.ANSWER_INQUIRIES}),
    Role.LURAH: frozenset({Perm.VIEW_INQUIRIES, Perm.ANSWER_INQUIRIES}),
}
ROLE_PERMS = {
    role: perms | _INQUIRY_PERMS.get(role, frozenset()) for role, perms in ROLE_PERMS.items()
}
WRITE_PERMS = WRITE_PERMS | {Perm.ANSWER_INQUIRIES, Perm.OFFER_FROM_INQUIRIES}

# Trade missions. A province's office organises its missions (only a province's: the ORGANISE
# permission means nothing in a kabupaten or kota, can_organise_missions). The publishers of a
# region of the province enrol its published listings (the office any of them, OPD staff, camat
# and lurah those they may edit: can_enrol_listing). A meeting requested with the region is
# about one of its enrolled listings, so it is read and answered like an inquiry about that
# listing: the office, the TKKSD and the publishers read it (a camat or lurah for their area),
# the office and the publishers answer; viewers do not (it carries the requester's address).
_MISSION_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {Perm.ORGANISE_MISSIONS, Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS}
    ),
    Role.TKKSD: frozenset({Perm.VIEW_MEETINGS}),
    Role.OPD: frozenset({Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS}),
    Role.CAMAT: frozenset({Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS}),
    Role.LURAH: frozenset({Perm.ENROL_IN_MISSIONS, Perm.VIEW_MEETINGS, Perm.ANSWER_MEETINGS}),
}
ROLE_PERMS = {
    role: perms | _MISSION_PERMS.get(role, frozenset()) for role, perms in ROLE_PERMS.items()
}
WRITE_PERMS = WRITE_PERMS | {
    Perm.ORGANISE_MISSIONS,
    Perm.ENROL_IN_MISSIONS,
    Perm.ANSWER_MEETINGS,
}

# The region's section of the public portal (Wagtail; cms/editors.py). Editing it is not a role
# but a permission the region's office (its administrators) grants to chosen members: the office
# decides who speaks for the region in public. It may be held by administrators, TKKSD members
# and OPD staff (a region's public-relations or Diskominfo officer is OPD staff); camat and lurah
# act for an area and viewers (the DPRD) only read, so not by them. A grant is the person's
# membership of the region's Wagtail group, whose page permissions (add, edit, publish) hold on
# the region's section only and whose collection permissions on the region's own collection of
# images and documents; Wagtail enforces them. Leaving the region, or a role change to one that
# may not hold it, withdraws it. Platform editors (a group of Wagtail's, given by platform staff)
# edit the rest of the portal (news, guides, the regulation library, the overview), not the
# regions' sections.
PORTAL_EDITOR_ROLES = frozenset({Role.ADMIN, Role.TKKSD, Role.OPD})
ROLE_PERMS = {
    role: perms | ({Perm.MANAGE_PORTAL_EDITORS} if role == Role.ADMIN else frozenset())
    for role, perms in ROLE_PERMS.items()
}
WRITE_PERMS = WRITE_PERMS | {Perm.MANAGE_PORTAL_EDITORS}


def can_act(user) -> bool:
    """An active account whose e-mail is verified (allauth refuses unverified logins, and this
    also guards sessions created before verification was required)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return memoised(
        ("can_act", user.pk), lambda: user.emailaddress_set.filter(verified=True).exists()
    )


def membership_for(user, tenant: Tenant) -> Membership | None:
    if not (user and user.is_authenticated) or tenant is None or tenant.region_id is None:
        return None
    return memoised(
        ("membership", user.pk, tenant.pk),
        lambda: Membership.objects.select_related("area", "tenant")
        .filter(user=user, tenant=tenant)
        .first(),
    )


def role_allows(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())


def has_perm(user, tenant: Tenant, perm: Perm, membership: Membership | None = None) -> bool:
    if perm in PLATFORM_PERMS:
        return has_platform_perm(user, perm)
    if not can_act(user):
        return False
    if tenant is not None and tenant.region_id is not None and tenant.is_pending_deletion:
        return False  # a region being deleted: nobody works in it (tenants/lifecycle.py)
    membership = membership or membership_for(user, tenant)
    if membership is None or not role_allows(membership.role, perm):
        return False
    if perm in WRITE_PERMS and refuses_writes(tenant):
        return False
    return True


def permissions_for(user, tenant: Tenant | None, membership: Membership | None = None) -> set[Perm]:
    """Every permission `user` holds here: what the navigation and the templates show."""
    granted = {p for p in PLATFORM_PERMS if has_platform_perm(user, p)}
    if tenant is not None and tenant.region_id is not None:
        membership = membership or membership_for(user, tenant)
        if membership is not None:
            granted |= {
                p
                for p in ROLE_PERMS.get(membership.role, ())
                if has_perm(user, tenant, p, membership=membership)
            }
    return granted


def can_propose(user) -> bool:
    """Anyone with an account (a company, a university, another region's member) proposes a
    cooperation to a region from its public page, once their e-mail is verified."""
    return can_act(user)


def has_platform_perm(user, perm: Perm) -> bool:
    return perm in PLATFORM_PERMS and can_act(user) and user.is_staff


def requires_second_factor(user) -> bool:
    """Platform staff, every region administrator and every portal (Wagtail) editor must pass
    a second factor in the session before they do anything else."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return memoised(
        ("requires_second_factor", user.pk),
        lambda: user.memberships.filter(role=Role.ADMIN).exists()
        or user.has_perm("wagtailadmin.access_admin"),
    )


def refuses_writes(tenant: Tenant | None) -> bool:
    """A suspended region is read-only, a region being deleted closed: no change to its data by
    anyone (the one writability rule: tenants.models.accepts_writes)."""
    return not accepts_writes(tenant)


def can_edit_portal(user) -> bool:
    """Editors of the public portal (Wagtail's admin at /cms/)."""
    return can_act(user) and user.has_perm("wagtailadmin.access_admin")


def can_be_portal_editor(membership: Membership | None) -> bool:
    """May this member hold the editor permission of their region's section of the portal?"""
    return membership is not None and membership.role in PORTAL_EDITOR_ROLES


def can_act_for_area(membership: Membership, area: Region | None) -> bool:
    """A camat acts for their kecamatan and the desa/kelurahan in it; a lurah for their own
    desa/kelurahan only. Other roles act region-wide, for any area inside their region."""
    if membership.role in AREA_SCOPED_ROLES:
        if area is None or membership.area_id is None:
            return False
        return area.code == membership.area_id or membership.area.contains(area)
    if area is None:
        return True
    region = membership.tenant.region
    return region is not None and region.contains(area)


def areas_for(membership: Membership):
    """The areas a member may pick when acting for an area."""
    if membership.role == Role.LURAH:
        return Region.objects.filter(code=membership.area_id)
    if membership.role == Role.CAMAT:
        return Region.objects.filter(code=membership.area_id) | Region.objects.within(
            membership.area
        )
    return Region.objects.within(membership.tenant.region).filter(
        kind__in=["kecamatan", "kelurahan", "desa", "desa_adat"]
    )


# --- Who reads which document -----------------------------------------------------------------
# The region's archive is readable by its members, within these rules:
# - Administrators and the TKKSD (who review every cooperation) read every document.
# - A *restricted* document is for them, the OPD that filed it (every member whose OPD is the
#   uploader's OPD at the time of filing) and the person who filed it. No one else.
# - OPD staff and viewers (the DPRD, a partner region's officer) read every other document.
# - Camat and lurah speak for an area, so they read the region-wide documents and those of their
#   own area: a camat the kecamatan and every desa/kelurahan in it; a lurah their own
#   desa/kelurahan and the kecamatan above it (its circulars concern them), not their
#   neighbours'.
# A document someone may not read does not exist for them (404, like a missing one).
# `can_read_document` (one document) and `readable_documents` (a queryset, for lists, counts and
# downloads) state the same rule; tenants/tests/test_policy.py checks that they agree.

_READS_EVERYTHING = frozenset({Role.ADMIN, Role.TKKSD})


def _same_opd(a: str, b: str) -> bool:
    a, b = (a or "").strip(), (b or "").strip()
    return bool(a) and a.casefold() == b.casefold()


def _reading_areas(membership: Membership) -> list[str]:
    """The area codes whose documents a camat or lurah reads (besides region-wide ones)."""
    if membership.area_id is None:
        return []
    if membership.role == Role.LURAH:
        return [code for code in (membership.area_id, membership.area.parent_id) if code]
    return [membership.area_id]


def can_read_document(membership: Membership | None, document) -> bool:
    if membership is None or not role_allows(membership.role, Perm.VIEW_WORKSPACE):
        return False
    if membership.role in _READS_EVERYTHING:
        return True
    if document.uploaded_by_id is not None and document.uploaded_by_id == membership.user_id:
        return True
    if document.restricted:
        return membership.role == Role.OPD and _same_opd(membership.opd, document.uploaded_by_opd)
    if membership.role in AREA_SCOPED_ROLES:
        if document.area_id is None:
            return True
        areas = _reading_areas(membership)
        return document.area_id in areas or (
            membership.role == Role.CAMAT
            and membership.area_id is not None
            and document.area_id.startswith(f"{membership.area_id}.")
        )
    return True


def readable_documents(membership: Membership | None, documents):
    """`documents` (a queryset of workspace documents) narrowed to what `membership` may read."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_WORKSPACE):
        return documents.none()
    if membership.role in _READS_EVERYTHING:
        return documents
    own = Q(uploaded_by_id=membership.user_id)
    if membership.role == Role.OPD and membership.opd.strip():
        restricted_ok = Q(restricted=True, uploaded_by_opd__iexact=membership.opd.strip())
    else:
        restricted_ok = Q(pk__in=[])
    open_docs = Q(restricted=False)
    if membership.role in AREA_SCOPED_ROLES:
        in_area = Q(area__isnull=True) | Q(area_id__in=_reading_areas(membership))
        if membership.role == Role.CAMAT and membership.area_id is not None:
            # On the column itself: `area_id__startswith` is refused on a foreign key, and
            # `area__code__startswith` would join the public registry.
            in_area |= Q(StartsWith(F("area_id"), f"{membership.area_id}."))
        open_docs &= in_area
    return documents.filter(own | restricted_ok | open_docs)


# --- Who reads which agreement ------------------------------------------------------------------
# The office, the TKKSD and OPD staff read the whole register. The others read part of it, and
# what they may not read does not exist for them (404, absent from the list, the dashboard's
# counts, the exports and the downloads):
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

_READS_WHOLE_REGISTER = frozenset({Role.ADMIN, Role.TKKSD, Role.OPD})


def reads_whole_register(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.role in _READS_WHOLE_REGISTER
        and role_allows(membership.role, Perm.VIEW_AGREEMENTS)
    )


def agreement_area_codes(membership: Membership) -> list[str]:
    """The area codes an area-scoped member reads the agreements of: a lurah's desa/kelurahan;
    a camat's kecamatan and every desa/kelurahan in it (from the registry, once a request)."""
    if membership.role not in AREA_SCOPED_ROLES or membership.area_id is None:
        return []
    if membership.role == Role.LURAH:
        return [membership.area_id]
    return memoised(
        ("agreement_area_codes", membership.area_id),
        lambda: [
            membership.area_id,
            *Region.objects.within(membership.area).values_list("code", flat=True),
        ],
    )


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


def sees_all_agreement_titles(user, tenant: Tenant, membership: Membership | None) -> bool:
    """Pages outside the register that name agreements (the marketplace's partner finder: the
    agreements already between two regions) name them only to those who read the whole
    register."""
    membership = membership or membership_for(user, tenant)
    return has_perm(user, tenant, Perm.VIEW_AGREEMENTS, membership) and reads_whole_register(
        membership
    )


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
        return _same_opd(membership.opd, responsible_opd)
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


# --- The marketplace's listings -----------------------------------------------------------------
# A listing belongs to the region that publishes it. Its publishers are the members of that
# region who may publish for its area (a lurah's listing names their desa/kelurahan; one for the
# whole region is for the office and OPD staff). Anyone sees a published, valid listing; an
# unpublished or expired one exists only for its own region's members.


def can_edit_listing(membership: Membership | None, listing) -> bool:
    if membership is None or membership.tenant_id != listing.tenant_id:
        return False
    if not role_allows(membership.role, Perm.PUBLISH_LISTINGS):
        return False
    return can_act_for_area(membership, listing.area)


def can_publish_for_area(membership: Membership | None, area: Region | None) -> bool:
    return (
        membership is not None
        and role_allows(membership.role, Perm.PUBLISH_LISTINGS)
        and can_act_for_area(membership, area)
    )


def can_moderate_listing(membership: Membership | None, listing) -> bool:
    return (
        membership is not None
        and membership.tenant_id == listing.tenant_id
        and role_allows(membership.role, Perm.MODERATE_LISTINGS)
    )


def can_see_listing(membership: Membership | None, listing) -> bool:
    """`membership` is the person's membership in the listing's region (or None)."""
    if listing.is_public:
        return True
    return (
        membership is not None
        and membership.tenant_id == listing.tenant_id
        and role_allows(membership.role, Perm.VIEW_LISTINGS)
    )


# --- Saved searches and synonyms (marketplace/saved_searches.py, search/synonyms.py) --------------
# Anyone with a verified account saves searches of the marketplace; each sees and deletes only
# their own. A synonym group is removed by platform staff, or by the office of the region that
# added it (an office never removes another region's groups, nor the platform's).


def can_save_searches(user) -> bool:
    return can_act(user)


def can_remove_synonym(user, membership: Membership | None, synonym) -> bool:
    if has_platform_perm(user, Perm.MANAGE_SYNONYMS):
        return True
    return (
        membership is not None
        and synonym.tenant_id is not None
        and membership.tenant_id == synonym.tenant_id
        and has_perm(user, membership.tenant, Perm.EXTEND_SYNONYMS, membership)
    )


# --- Inquiries about listings ---------------------------------------------------------------------
# Anyone with a verified account inquires about a published listing, for themselves (a third
# party) or for a region they are a member of (any role: camat and lurah talk to their peers
# directly), never for the listing's own region. The inquirer follows the thread on the platform.


def can_inquire(user) -> bool:
    return can_act(user)


def can_inquire_for(user, tenant: Tenant | None) -> bool:
    """May `user` write an inquiry for `tenant` (as a member of that region)?"""
    return (
        tenant is not None
        and can_act(user)
        and not tenant.is_pending_deletion
        and not refuses_writes(tenant)
        and membership_for(user, tenant) is not None
    )


def _inquiry_in_scope(membership: Membership, inquiry) -> bool:
    listing = inquiry.listing
    if membership.tenant_id != listing.tenant_id:
        return False
    if membership.role in AREA_SCOPED_ROLES:
        return can_act_for_area(membership, listing.area)
    return True


def can_read_inquiry(membership: Membership | None, inquiry) -> bool:
    """An inquiry about a listing of the member's region (a camat or lurah: of their area)."""
    return (
        membership is not None
        and role_allows(membership.role, Perm.VIEW_INQUIRIES)
        and _inquiry_in_scope(membership, inquiry)
    )


def can_answer_inquiry(membership: Membership | None, inquiry) -> bool:
    return (
        membership is not None
        and role_allows(membership.role, Perm.ANSWER_INQUIRIES)
        and _inquiry_in_scope(membership, inquiry)
    )


def readable_inquiries(membership: Membership | None, inquiries):
    """`inquiries` narrowed to those about the member's region's listings that they may read
    (the same rule as can_read_inquiry, as a query)."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_INQUIRIES):
        return inquiries.none()
    inquiries = inquiries.filter(listing__tenant_id=membership.tenant_id)
    if membership.role in AREA_SCOPED_ROLES and membership.area_id is None:
        return inquiries.none()
    if membership.role == Role.LURAH:
        return inquiries.filter(listing__area_id=membership.area_id)
    if membership.role == Role.CAMAT:
        return inquiries.filter(
            Q(listing__area_id=membership.area_id)
            | Q(StartsWith(F("listing__area_id"), f"{membership.area_id}."))
        )
    return inquiries


def can_offer_from_inquiry(membership: Membership | None, inquiry) -> bool:
    """The office of the region an inquiry was sent for turns it into an offer."""
    return (
        membership is not None
        and inquiry.sender_tenant_id is not None
        and membership.tenant_id == inquiry.sender_tenant_id
        and role_allows(membership.role, Perm.OFFER_FROM_INQUIRIES)
    )


# --- Trade missions (missions/) ---------------------------------------------------------------
# A mission belongs to the province whose office organised it; the regions "of the province"
# are the province itself and every kabupaten and kota in it. Anyone with a verified account
# requests a meeting, for themselves (a buyer, a company) or for a region they are a member of
# (never the region asked); the region asked answers (the rules above).


def can_organise_missions(membership: Membership | None) -> bool:
    """The office of a province (not of a kabupaten or kota) organises trade missions."""
    return (
        membership is not None
        and membership.tenant.region is not None
        and membership.tenant.region.kind == "provinsi"
        and has_perm(membership.user, membership.tenant, Perm.ORGANISE_MISSIONS, membership)
    )


def can_manage_mission(membership: Membership | None, mission) -> bool:
    return (
        membership is not None
        and membership.tenant_id == mission.organiser_id
        and can_organise_missions(membership)
    )


def in_mission_province(mission, region: Region | None) -> bool:
    province = mission.organiser.region_id
    return region is not None and (
        region.code == province or region.code.startswith(f"{province}.")
    )


def can_enrol_for_mission(membership: Membership | None, mission) -> bool:
    """May the member enrol listings of their region in `mission` at all?"""
    return (
        membership is not None
        and in_mission_province(mission, membership.tenant.region)
        and has_perm(membership.user, membership.tenant, Perm.ENROL_IN_MISSIONS, membership)
    )


def can_enrol_listing(membership: Membership | None, mission, listing) -> bool:
    """The office enrols any of its region's listings; a publisher those they may edit."""
    if not can_enrol_for_mission(membership, mission):
        return False
    if membership.tenant_id != listing.tenant_id:
        return False
    return membership.role == Role.ADMIN or can_edit_listing(membership, listing)


def can_request_meeting(user, requester_tenant: Tenant | None) -> bool:
    """For themselves, or for a region they may write for (as for an inquiry)."""
    if requester_tenant is None:
        return can_act(user)
    return can_inquire_for(user, requester_tenant)


def can_read_meeting(membership: Membership | None, meeting) -> bool:
    """A meeting with the member's region, about a listing within their reach (like an
    inquiry about that listing)."""
    return (
        membership is not None
        and role_allows(membership.role, Perm.VIEW_MEETINGS)
        and _inquiry_in_scope(membership, meeting)
    )


def can_answer_meeting(membership: Membership | None, meeting) -> bool:
    return (
        membership is not None
        and has_perm(membership.user, membership.tenant, Perm.ANSWER_MEETINGS, membership)
        and _inquiry_in_scope(membership, meeting)
    )


def readable_meetings(membership: Membership | None, meetings):
    """`meetings` narrowed to those with the member's region they may read (can_read_meeting
    as a query: the inquiries' rule, on the meeting's listing)."""
    if membership is None or not role_allows(membership.role, Perm.VIEW_MEETINGS):
        return meetings.none()
    meetings = meetings.filter(tenant_id=membership.tenant_id)
    if membership.role in AREA_SCOPED_ROLES and membership.area_id is None:
        return meetings.none()
    if membership.role == Role.LURAH:
        return meetings.filter(listing__area_id=membership.area_id)
    if membership.role == Role.CAMAT:
        return meetings.filter(
            Q(listing__area_id=membership.area_id)
            | Q(StartsWith(F("listing__area_id"), f"{membership.area_id}."))
        )
    return meetings


# A region's outgoing requests (asked by its members for the region): its office and its TKKSD
# follow them all, as they follow the inquiries sent for the region; any other member sees the
# requests they made themselves. The requester cancels their request or meeting, and so does the
# office of the region they asked for (it speaks for the region when the person cannot).
SENT_MEETING_READERS = frozenset({Role.ADMIN, Role.TKKSD})


def can_read_sent_meeting(membership: Membership | None, meeting) -> bool:
    return (
        membership is not None
        and meeting.requester_tenant_id is not None
        and membership.tenant_id == meeting.requester_tenant_id
        and membership.role in SENT_MEETING_READERS
    )


def readable_sent_meetings(membership: Membership | None, meetings):
    """`meetings` narrowed to the requests made for the member's region that they may follow
    (can_read_sent_meeting as a query)."""
    if membership is None or membership.role not in SENT_MEETING_READERS:
        return meetings.none()
    return meetings.filter(requester_tenant_id=membership.tenant_id)


def can_cancel_meeting(user, meeting, membership: Membership | None = None) -> bool:
    """`membership` is the person's membership in the region the request was made for."""
    if not can_act(user):
        return False
    if meeting.requester_id == user.pk:
        return True
    return (
        membership is not None
        and meeting.requester_tenant_id is not None
        and membership.tenant_id == meeting.requester_tenant_id
        and membership.role == Role.ADMIN
    )
