"""Stable error codes of the trade missions, for tests and API clients."""

from enum import StrEnum


class MissionError(StrEnum):
    NOT_A_PROVINCE_OFFICE = "mission_not_a_province_office"
    TITLE_REQUIRED = "mission_title_required"
    DESTINATION_REQUIRED = "mission_destination_required"
    DATES_REVERSED = "mission_dates_reversed"
    SLOT_REVERSED = "mission_slot_reversed"
    SLOT_OUTSIDE_DATES = "mission_slot_outside_dates"
    SLOT_TAKEN = "mission_slot_taken"
    SLOT_IN_USE = "mission_slot_in_use"
    MISSION_OVER = "mission_over"
    LISTING_NOT_PUBLIC = "mission_listing_not_public"
    LISTING_OUTSIDE_PROVINCE = "mission_listing_outside_province"
    ALREADY_ENROLLED = "mission_already_enrolled"
    NOT_ENROLLED = "mission_region_not_enrolled"
    OWN_REGION = "meeting_own_region"
    NOT_A_MEMBER = "meeting_not_a_member"
    MESSAGE_REQUIRED = "meeting_message_required"
    DOUBLE_BOOKED = "meeting_double_booked"
    REQUESTER_BUSY = "meeting_requester_busy"
    WRONG_STATUS = "meeting_wrong_status"
    SAME_SLOT = "meeting_same_slot"
