"""The reporting actions' stable error codes (for programs: the API, the commands, tests)."""


class ReportingError:
    NOT_AN_OFFICE = "reporting_not_an_office"
    NOT_A_PROVINCE_OFFICE = "reporting_not_a_province_office"
    NOT_IN_PROVINCE = "reporting_region_not_in_province"
    ALREADY_SUBMITTED = "reporting_already_submitted"
    NOTHING_TO_CORRECT = "reporting_nothing_to_correct"
    NOT_CURRENT = "reporting_not_current"
    REASON_REQUIRED = "reporting_reason_required"
    ALREADY_DECIDED = "reporting_already_decided"
    SEMESTER_NOT_OVER = "reporting_semester_not_over"
    ON_THE_PLATFORM = "reporting_region_on_the_platform"
    FIGURES_INVALID = "reporting_figures_invalid"
    SCAN_REQUIRED = "reporting_scan_required"
    SCAN_INVALID = "reporting_scan_invalid"
