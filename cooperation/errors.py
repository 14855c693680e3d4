"""Stable error codes of the agreements' register and lifecycle, for tests and API clients.

They live in the shared layer because both the region's working record (`agreements`) and the
parties' shared record (`cooperation`) raise them."""

from enum import StrEnum


class AgreementError(StrEnum):
    # Moves that end or change the agreement for every party are the owner's.
    OWNER_ONLY = "owner_only"
    # The register
    TITLE_REQUIRED = "title_required"
    TERM_END_BEFORE_START = "term_end_before_start"
    PARTNER_REQUIRED = "partner_required"
    PARTY_KIND_MISMATCH = "party_kind_mismatch"
    PARTY_INCOMPLETE = "party_incomplete"
    PARENT_NOT_KSB = "parent_not_ksb"
    URUSAN_REQUIRED = "urusan_required"
    UNKNOWN_URUSAN = "unknown_urusan"
    AGREEMENT_LOCKED = "agreement_locked"
    NO_REGION = "no_region"  # a space without a region keeps no register
    STALE_VERSION = "stale_version"
    # Documents
    DOCUMENT_NOT_PDF = "document_not_pdf"
    DOCUMENT_TOO_LARGE = "document_too_large"
    # The lifecycle
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    SIGNED_DOCUMENT_REQUIRED = "signed_document_required"
    SIGNATORIES_REQUIRED = "signatories_required"
    SIGNING_DATE_REQUIRED = "signing_date_required"
    KSB_NOT_SIGNED = "ksb_not_signed"
    DPRD_REQUIRED = "dprd_required"
    DPRD_NOT_REQUIRED = "dprd_not_required"
    DPRD_DECISION_REQUIRED = "dprd_decision_required"
    END_BEFORE_START = "end_before_start"
    NOT_YET_EXPIRED = "not_yet_expired"
    REASON_REQUIRED = "reason_required"
    ALREADY_SIGNED = "already_signed"
    # Partner regions on one agreement
    PARTIES_NOT_SIGNED = "parties_not_signed"
    NOT_A_PARTY = "not_a_party"
    ALREADY_ANSWERED = "already_answered"
    OFFER_CLOSED = "offer_closed"
    NOT_SIGNING_NOW = "not_signing_now"
    MEETING_INCOMPLETE = "meeting_incomplete"
    # Joint preparation: the inventory of points and the joint text's versions
    POINT_INCOMPLETE = "point_incomplete"
    PRIORITY_INVALID = "priority_invalid"
    NOTHING_CHOSEN = "nothing_chosen"
    TEXT_VERSION_EMPTY = "text_version_empty"
    DPRD_ALREADY_DECIDED = "dprd_already_decided"
    # Proposals
    PROPOSAL_INCOMPLETE = "proposal_incomplete"
    PROPOSAL_CLOSED = "proposal_closed"
    MESSAGE_REQUIRED = "message_required"
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    # TKKSD review
    REVIEW_NOT_OPEN = "review_not_open"
    REVIEW_ALREADY_OPEN = "review_already_open"
