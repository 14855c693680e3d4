"""Stable error codes of the marketplace, for tests and API clients."""

from enum import StrEnum


class ListingError(StrEnum):
    POTENTIAL_TYPE_REQUIRED = "potential_type_required"
    POTENTIAL_TYPE_NOT_ALLOWED = "potential_type_not_allowed"
    UNKNOWN_SECTOR = "unknown_sector"
    UNKNOWN_URUSAN = "unknown_urusan"
    PRICE_RANGE_REVERSED = "price_range_reversed"
    NEGATIVE_AMOUNT = "negative_amount"
    UNIT_REQUIRED = "unit_required"
    VALIDITY_REVERSED = "validity_reversed"
    VALIDITY_IN_PAST = "validity_in_past"
    VALIDITY_TOO_LONG = "validity_too_long"
    CONTACT_REQUIRED = "contact_required"
    AREA_OUTSIDE_SCOPE = "area_outside_scope"
    AREA_WRONG_KIND = "area_wrong_kind"
    NOT_EDITABLE = "listing_not_editable"
    WRONG_STATUS = "listing_wrong_status"
    REASON_REQUIRED = "reason_required"
    # Photos
    PHOTO_NOT_IMAGE = "photo_not_image"
    PHOTO_TOO_LARGE = "photo_too_large"
    PHOTO_TOO_MANY_PIXELS = "photo_too_many_pixels"
    TOO_MANY_PHOTOS = "too_many_photos"


class InquiryError(StrEnum):
    SUBJECT_REQUIRED = "inquiry_subject_required"
    MESSAGE_REQUIRED = "inquiry_message_required"
    OWN_REGION = "inquiry_own_region"
    NOT_A_MEMBER = "inquiry_not_a_member"
    ALREADY_CONVERTED = "inquiry_already_converted"
    FROM_A_REGION = "inquiry_from_a_region"
    FROM_A_THIRD_PARTY = "inquiry_from_a_third_party"
    NOT_A_REGIONAL_KIND = "inquiry_not_a_regional_kind"
