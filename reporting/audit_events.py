"""Reporting's audit event types, registered in tenants.audit's one registry from
ReportingConfig.ready(). Every event carries the reporting `region` (its code), the `period`
in words, and the submission's letter `number`."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit


def _values(data, names):
    return {
        "region": names.get(data.get("region", ""), data.get("region", "")),
        "period": data.get("period", ""),
        "number": data.get("number", ""),
        "reason": data.get("reason", ""),
        "total": data.get("total", 0),
        "missing": data.get("missing", 0),
    }


def _submitted(data, names):
    if data.get("supersedes"):
        return _(
            "Submitted a correction of the semester report %(period)s (letter %(number)s, "
            "%(total)s agreements): %(reason)s"
        ) % _values(data, names)
    return _(
        "Submitted the semester report %(period)s (letter %(number)s, %(total)s agreements)."
    ) % _values(data, names)


def register() -> None:
    audit.register("report.submitted", gettext_lazy("Semester report submitted"), _submitted)
    audit.register(
        "report.returned",
        gettext_lazy("Semester report returned"),
        lambda data, names: _(
            "Returned %(region)s's semester report %(period)s for correction: %(reason)s"
        )
        % _values(data, names),
    )
    audit.register(
        "report.accepted",
        gettext_lazy("Semester report accepted"),
        lambda data, names: _("Accepted %(region)s's semester report %(period)s.")
        % _values(data, names),
    )
    audit.register(
        "report.paper_entered",
        gettext_lazy("Paper report entered"),
        lambda data, names: _(
            "Entered %(region)s's paper report %(period)s (letter %(number)s, %(total)s "
            "agreements)."
        )
        % _values(data, names),
    )
    audit.register(
        "report.compiled",
        gettext_lazy("Province report compiled and submitted"),
        lambda data, names: _(
            "Compiled and submitted the province's report %(period)s to the Ministry (letter "
            "%(number)s, %(total)s agreements; regions not included: %(missing)s)."
        )
        % _values(data, names),
    )
    audit.register(
        "report.reminder_sent",
        gettext_lazy("Semester report reminder sent"),
        lambda data, names: (
            _("Reminded the office that the semester report %(period)s is overdue.")
            if data.get("kind") == "overdue"
            else _("Reminded the office that the semester report %(period)s is due on %(due)s.")
        )
        % {**_values(data, names), "due": data.get("due_on", "")},
    )
