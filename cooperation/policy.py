"""The agreements' permissions, and the rules about them that the layers below the agreements
ask.

They live in the shared layer, as the agreements' error codes do (cooperation/errors.py),
because pages outside the register ask them too: the marketplace (an inquiry made into an
offer; the partner finder names agreements only to those who read the whole register), the
public registry (publishing is the office's), the workspace (the letterhead is set by whoever
configures the register). Which roles hold them, and the register's own rules (who reads which
agreement, who carries one out), are in agreements/policy.py, registered with the permission
mechanism (tenants.policy.grant) from AgreementsConfig.ready().
"""

from __future__ import annotations

from enum import StrEnum

from tenants.models import Membership, Role, Tenant
from tenants.policy import can_act, has_perm, membership_for, role_allows


class AgreementPerm(StrEnum):
    # The agreements' register (agreements/register/): read it; read the region's internal chain
    # (notes, TKKSD reviews, internal documents, the DPRD step); create and edit entries;
    # run the lifecycle (the cooperation office); record a TKKSD recommendation.
    VIEW_AGREEMENTS = "agreement.view"
    VIEW_AGREEMENT_INTERNALS = "agreement.view_internal"
    EDIT_AGREEMENTS = "agreement.edit"
    RUN_AGREEMENT_LIFECYCLE = "agreement.run_lifecycle"
    REVIEW_AGREEMENTS = "agreement.review"
    # The register's outputs and bulk input (agreements/import_export/, agreements/reports/):
    # download the list as CSV/XLSX; import old agreements from a file; produce the semester
    # report.
    EXPORT_AGREEMENTS = "agreement.export"
    IMPORT_AGREEMENTS = "agreement.import"
    REPORT_AGREEMENTS = "agreement.report"
    # Carrying agreements out (agreements/monitoring/): edit an agreement's action plan and
    # file its monitoring reports (the office, and OPD staff for their OPD's agreements, see
    # agreements.policy.can_work_on_agreement); set the region's reminder days (the office).
    MONITOR_AGREEMENTS = "agreement.monitor"
    CONFIGURE_AGREEMENTS = "agreement.configure"
    # Give a viewer (a DPRD member) an agreement's dossier, or withdraw it
    # (agreements.policy.readable_agreements).
    SHARE_DOSSIERS = "agreement.share_dossier"
    # Partner regions and proposals (agreements/partners/, agreements/proposals/): read the
    # inbox of offers from other regions; accept or decline one; sign as a party; record a
    # meeting between the parties; read the proposals sent to the region; triage them.
    VIEW_OFFERS = "offer.view"
    ANSWER_OFFERS = "offer.answer"
    RECORD_MEETINGS = "agreement.record_meeting"
    VIEW_PROPOSALS = "proposal.view"
    TRIAGE_PROPOSALS = "proposal.triage"
    # Joint preparation of a shared agreement (agreements/partners/joint.py): list a point in
    # the parties' inventory and add a version of the joint text; record the heads of region's
    # priorities and take the chosen points up as the agreement's scope and its PKS per urusan.
    CONTRIBUTE_JOINT_WORK = "agreement.joint_contribute"
    PRIORITISE_JOINT_POINTS = "agreement.joint_prioritise"
    # Turn an inquiry a member sent for the region into an offer in preparation
    # (agreements/proposals/inquiries.py; the inquiries themselves are the marketplace's).
    OFFER_FROM_INQUIRIES = "inquiry.make_offer"


def can_propose(user) -> bool:
    """Anyone with an account (a company, a university, another region's member) proposes a
    cooperation to a region from its public page, once their e-mail is verified."""
    return can_act(user)


# The office, the TKKSD and OPD staff read the whole register; the others read part of it
# (agreements.policy.readable_agreements).
READS_WHOLE_REGISTER = frozenset({Role.ADMIN, Role.TKKSD, Role.OPD})


def reads_whole_register(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.role in READS_WHOLE_REGISTER
        and role_allows(membership.role, AgreementPerm.VIEW_AGREEMENTS)
    )


def sees_all_agreement_titles(user, tenant: Tenant, membership: Membership | None) -> bool:
    """Pages outside the register that name agreements (the marketplace's partner finder: the
    agreements already between two regions) name them only to those who read the whole
    register."""
    membership = membership or membership_for(user, tenant)
    return has_perm(
        user, tenant, AgreementPerm.VIEW_AGREEMENTS, membership
    ) and reads_whole_register(membership)


def can_offer_from_inquiry(membership: Membership | None, inquiry) -> bool:
    """The office of the region an inquiry was sent for turns it into an offer."""
    return (
        membership is not None
        and inquiry.sender_tenant_id is not None
        and membership.tenant_id == inquiry.sender_tenant_id
        and role_allows(membership.role, AgreementPerm.OFFER_FROM_INQUIRIES)
    )
