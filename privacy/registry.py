"""The record of processing (UU 27/2022): every kind of personal data Jejaring holds, why, who
reads it, how long it is kept and what an erasure does to it. One registry in code, read by the
staff page (/platform/data-pribadi/catatan/), the operator's document (docs/privacy-record.md,
written by `manage.py privacy_record --write`, checked equal by a test), the erasure plan shown
to a person (privacy/erasure.py) and the breach notice (privacy/breach.py).

A test walks every model of the project and fails for a field that holds personal data (a link
to an account, an e-mail address, a phone number, a name or NIP of a person) that no kind lists:
a new feature cannot start keeping personal data without saying why here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class OnErasure(StrEnum):
    ERASED = "erased"
    PSEUDONYMISED = "pseudonymised"
    KEPT = "kept"


class Schema(StrEnum):
    PUBLIC = "public"
    REGION = "region"


@dataclass(frozen=True)
class DataKind:
    key: str
    label: object  # lazy translations, here and below
    fields: tuple[str, ...]  # "app_label.Model.field"
    purpose: object
    legal_basis: object
    readers: object
    retention: object
    on_erasure: OnErasure
    erasure_reason: object
    schema: Schema = Schema.PUBLIC


CONSENT_AND_CONTRACT = _(
    "The person's own request to use the platform (UU 27/2022 Pasal 20(2)(b): to fulfil an "
    "agreement with them)."
)
PUBLIC_TASK = _(
    "The regions' public duties in regional cooperation (UU 23/2014, PP 28/2018; UU 27/2022 "
    "Pasal 20(2)(e))."
)
LEGAL_OBLIGATION = _(
    "A legal obligation of the regions and the platform (UU 27/2022 Pasal 20(2)(c)): records "
    "of official acts and public information (UU 14/2008)."
)
ACCOUNTABILITY = _(
    "Kept: it records who carried out an official act for a region, which the region must be "
    "able to show (UU 27/2022 Pasal 15(1): the law's exceptions for the public interest and "
    "legal obligations). Your account is pseudonymised, so these rows no longer give your "
    "name or e-mail address."
)

KINDS: tuple[DataKind, ...] = (
    DataKind(
        key="account",
        label=_("Account: name and e-mail address"),
        fields=(
            "accounts.User.email",
            "accounts.User.full_name",
            "account.EmailAddress.email",
            "account.EmailAddress.user",
        ),
        purpose=_("Signing in, telling the person about their work, naming who did what."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_(
            "The person; members of the regions they belong to; platform staff; the "
            "counterparts they write to (inquiries, meetings, proposals)."
        ),
        retention=_("Until the account is erased."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Your name and e-mail address are replaced by a pseudonym and sign-in is turned "
            "off. The account row stays, without your name, so that the records that point at "
            "it (below) stay consistent."
        ),
    ),
    DataKind(
        key="second_factor",
        label=_("Second factor (TOTP, recovery codes) and sessions"),
        fields=("mfa.Authenticator.user",),
        purpose=_("Keeping accounts safe: the second factor at sign-in, staying signed in."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_("Nobody: the secrets are only compared at sign-in and never shown or exported."),
        retention=_(
            "Until the person turns the second factor off; sessions until they end or expire."
        ),
        on_erasure=OnErasure.ERASED,
        erasure_reason=_("Deleted, and every session of the account is ended."),
    ),
    DataKind(
        key="membership",
        label=_("Memberships of regions, roles, invitations"),
        fields=(
            "tenants.Membership.user",
            "tenants.Membership.opd",
            "tenants.Invitation.email",
            "tenants.Invitation.invited_by",
            "tenants.Invitation.accepted_by",
            "reporting.MinistryOfficial.user",
            "reporting.MinistryOfficial.granted_by",
        ),
        purpose=_("Deciding what a person may do in each region (and the Ministry's role)."),
        legal_basis=PUBLIC_TASK,
        readers=_("The person; the region's administrators; platform staff."),
        retention=_(
            "While the person is a member; an invitation until it is accepted, revoked or "
            "expires, then with the region's history."
        ),
        on_erasure=OnErasure.ERASED,
        erasure_reason=_(
            "Your memberships and roles, their API tokens and the open invitations to your "
            "address are deleted."
        ),
    ),
    DataKind(
        key="application",
        label=_("Applications to onboard a region: position, office, contact, assignment letter"),
        fields=(
            "tenants.RegionApplication.applicant",
            "tenants.RegionApplication.position",
            "tenants.RegionApplication.official_email",
            "tenants.RegionApplication.phone",
            "tenants.RegionApplication.letter",
            "tenants.RegionApplication.reviewed_by",
        ),
        purpose=_("Checking that the applicant is assigned by their region before it joins."),
        legal_basis=PUBLIC_TASK,
        readers=_("The applicant; platform staff."),
        retention=_(
            "Approved: as the record of the region's onboarding. Rejected: the assignment "
            "letter is deleted JEJARING_REJECTED_LETTER_RETENTION_DAYS days after the decision "
            "(the scheduler does it daily)."
        ),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Applications awaiting review or rejected are deleted with their letters. An "
            "approved application is kept as the record of the region's onboarding (an "
            "official act), pointing at your pseudonymised account."
        ),
    ),
    DataKind(
        key="audit",
        label=_("Activity history (audit trail)"),
        fields=("tenants.AuditEvent.actor", "tenants.AuditEvent.actor_email"),
        purpose=_("Showing who did what in each region and on the platform."),
        legal_basis=LEGAL_OBLIGATION,
        readers=_(
            "The region's administrators (their region's history); platform staff; the person "
            "(in their copy)."
        ),
        retention=_("As long as the region's records."),
        on_erasure=OnErasure.KEPT,
        erasure_reason=_(
            "What you did for a region stays in its history under your e-mail address of the "
            "time: it is the audit trail of official acts, which the region must keep (UU 27/2022 "
            "Pasal 15(1)). Events of your own account, outside any region, are pseudonymised."
        ),
    ),
    DataKind(
        key="api_token",
        label=_("API tokens"),
        fields=("api.ApiToken.membership",),
        purpose=_("Letting a member's programs act for their membership."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_("The person (name, prefix, dates; the token itself only once)."),
        retention=_("Until revoked or expired, or the membership ends."),
        on_erasure=OnErasure.ERASED,
        erasure_reason=_("Deleted with your memberships."),
    ),
    DataKind(
        key="listing_contact",
        label=_("Marketplace listings: contact person, phone and e-mail"),
        fields=(
            "marketplace.Listing.contact_name",
            "marketplace.Listing.contact_phone",
            "marketplace.Listing.contact_email",
            "marketplace.Listing.created_by",
            "marketplace.ListingPhoto.uploaded_by",
            "marketplace.ListingReminder.recipient",
        ),
        purpose=_("Letting interested regions and parties reach the publishing region."),
        legal_basis=PUBLIC_TASK,
        readers=_("Everyone, while the listing is published."),
        retention=_("While the listing exists; its region's office decides."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Where a listing's contact e-mail is yours, it is removed; the listing is the "
            "region's publication and its office names another contact."
        ),
    ),
    DataKind(
        key="inquiry",
        label=_("Inquiries and their messages"),
        fields=(
            "marketplace.Inquiry.sender",
            "marketplace.Inquiry.sender_email",
            "marketplace.Inquiry.converted_by",
            "marketplace.InquiryMessage.author",
        ),
        purpose=_("Carrying the conversation between an interested party and a region."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_("The sender; the members of the listing's region who answer inquiries."),
        retention=_("While the listing exists."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Inquiries you sent that led to nothing are deleted with their messages. Those that "
            "became a cooperation offer or proposal, and messages you wrote for a region, are "
            "kept without your e-mail address: they are part of the region's record."
        ),
    ),
    DataKind(
        key="saved_search",
        label=_("Saved searches and their digests"),
        fields=("marketplace.SavedSearch.user", "marketplace.SearchDigest.user"),
        purpose=_("E-mailing the person new listings they asked for."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_("The person."),
        retention=_("Until the person deletes them."),
        on_erasure=OnErasure.ERASED,
        erasure_reason=_("Deleted."),
    ),
    DataKind(
        key="mission",
        label=_("Trade missions: meeting requests and answers"),
        fields=(
            "missions.Mission.created_by",
            "missions.Enrolment.enrolled_by",
            "missions.Meeting.requester",
            "missions.Meeting.requester_email",
            "missions.Meeting.answered_by",
            "missions.Meeting.cancelled_by",
        ),
        purpose=_("Arranging meetings in a province's trade mission."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_("The requester; the region asked; the organising province's office."),
        retention=_("With the mission."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Kept in the regions' agendas without your e-mail address (the region's record of "
            "its meetings)."
        ),
    ),
    DataKind(
        key="proposal",
        label=_("Cooperation proposals to a region"),
        fields=(
            "cooperation.Proposal.proposer",
            "cooperation.Proposal.proposer_email",
            "cooperation.Proposal.organisation_details",
        ),
        purpose=_("Letting anyone propose a cooperation, triaged by the region's office."),
        legal_basis=CONSENT_AND_CONTRACT,
        readers=_("The proposer; the office of the region it was sent to."),
        retention=_("While the region keeps its proposals; accepted ones with the agreement."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Proposals not accepted are deleted with their attachments. An accepted proposal "
            "became an agreement in preparation and is kept, without your e-mail address."
        ),
    ),
    DataKind(
        key="shared_record_acts",
        label=_("Acts on the parties' shared agreement records"),
        fields=(
            "cooperation.SignedDocument.uploaded_by",
            "cooperation.SignedDocument.uploaded_by_email",
            "cooperation.Participation.answered_by",
            "cooperation.Participation.answered_by_email",
            "cooperation.PartySignature.signed_by",
            "cooperation.PartySignature.signed_by_email",
            "cooperation.Meeting.recorded_by",
            "cooperation.Meeting.recorded_by_email",
            "cooperation.Meeting.attendees",
            "cooperation.InventoryPoint.proposed_by",
            "cooperation.InventoryPoint.proposed_by_email",
            "cooperation.TextVersion.author",
            "cooperation.TextVersion.author_email",
            "public_registry.Withholding.set_by_email",
            "signatures.Acceptance.accepted_by",
            "signatures.Acceptance.accepted_by_email",
        ),
        purpose=_("Recording who did what on an agreement that several regions share."),
        legal_basis=LEGAL_OBLIGATION,
        readers=_("The parties' offices, TKKSD and OPD staff."),
        retention=_("With the agreement: shared records are never deleted."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=ACCOUNTABILITY,
    ),
    DataKind(
        key="signatory",
        label=_("Signatories of agreements and reports: name, position, authority, NIP"),
        fields=(
            "cooperation.Party.signatory_name",
            "cooperation.Party.signatory_position",
            "cooperation.Party.signatory_authority",
            "public_registry.PublishedVersion.snapshot",
            # The signers named in the certificates of electronically signed PDFs.
            "signatures.Check.signatures",
            "reporting.Submission.signatory_name",
            "reporting.Submission.signatory_position",
            "reporting.Submission.signatory_nip",
            "reporting.Submission.submitted_by",
            "reporting.Submission.submitted_by_email",
            "reporting.Submission.returned_by",
            "reporting.Submission.accepted_by",
            "reporting.ReportingDeadline.set_by",
        ),
        purpose=_(
            "Stating who signed for each party, in the agreement and in its public record; "
            "who signed a region's report upward."
        ),
        legal_basis=LEGAL_OBLIGATION,
        readers=_(
            "Everyone, for a signed agreement's public record (unless the office withholds the "
            "signatories); the parties; the province and the ministry for reports."
        ),
        retention=_("Permanently: signed agreements and their public versions are public records."),
        on_erasure=OnErasure.KEPT,
        erasure_reason=_(
            "Kept unchanged: a signatory of a signed agreement is part of a public record of an "
            "official act (UU 14/2008; UU 27/2022 Pasal 15(1)), and the public versions are never "
            "edited. These rows name the official by the name they signed with, not by account."
        ),
    ),
    DataKind(
        key="region_workspace",
        label=_("Work in a region's workspace (documents, agreements, reviews, reports)"),
        fields=(
            "workspace.Document.uploaded_by",
            "workspace.Document.uploaded_by_email",
            "agreements.Agreement.created_by",
            "agreements.Agreement.created_by_email",
            "agreements.Review.reviewer",
            "agreements.Review.reviewer_email",
            "agreements.InternalDocument.uploaded_by",
            "agreements.InternalDocument.uploaded_by_email",
            "agreements.MonitoringReport.filed_by",
            "agreements.MonitoringReport.filed_by_email",
        ),
        purpose=_("The region's own working record: who filed, reviewed or uploaded what."),
        legal_basis=PUBLIC_TASK,
        readers=_("The region's members, by their role."),
        retention=_("As long as the region keeps its records."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=ACCOUNTABILITY,
        schema=Schema.REGION,
    ),
    DataKind(
        key="platform_work",
        label=_("Platform staff's and editors' work (synonyms, region lifecycle, exports)"),
        fields=(
            "search.Synonym.created_by",
            "tenants.Tenant.deletion_scheduled_by",
            "tenants.TenantExport.requested_by",
        ),
        purpose=_("Recording who changed the platform's shared data."),
        legal_basis=LEGAL_OBLIGATION,
        readers=_("Platform staff; a region's office (its own synonyms)."),
        retention=_("While the row exists."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=ACCOUNTABILITY,
    ),
    DataKind(
        key="portal_editing",
        label=_("Editing the public portal (pages, revisions)"),
        fields=(
            "wagtailcore.Page.owner",
            "wagtailcore.Page.locked_by",
            "wagtailcore.Revision.user",
        ),
        purpose=_("Wagtail's record of who wrote and published each page of the portal."),
        legal_basis=LEGAL_OBLIGATION,
        readers=_("The portal's editors and moderators."),
        retention=_("With the page and its revisions."),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "The pages and revisions you wrote stay, pointing at your pseudonymised account."
        ),
    ),
    DataKind(
        key="privacy_request",
        label=_("Requests about personal data and their copies"),
        fields=(
            "privacy.DataRequest.user",
            "privacy.DataRequest.handled_by",
            "privacy.PersonalExport.user",
        ),
        purpose=_("Answering a person's requests within 3 × 24 hours and proving it."),
        legal_basis=LEGAL_OBLIGATION,
        readers=_("The person; platform staff."),
        retention=_(
            "Requests: as proof that they were answered. A copy: JEJARING_PRIVACY_EXPORT_TTL_HOURS "
            "hours after it is ready, then its file is deleted."
        ),
        on_erasure=OnErasure.PSEUDONYMISED,
        erasure_reason=_(
            "Your requests are kept as proof that they were answered, pointing at your "
            "pseudonymised account; your copies' files are deleted."
        ),
    ),
)


def kinds() -> tuple[DataKind, ...]:
    return KINDS


def kind(key: str) -> DataKind:
    for item in KINDS:
        if item.key == key:
            return item
    raise KeyError(key)


def listed_fields() -> set[str]:
    return {field for item in KINDS for field in item.fields}
