"""Trade missions' audit event types (missions, their slots and enrolments, meetings),
registered in tenants.audit's one registry from MissionsConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit
from tenants.audit import Describer

# --- Trade missions (missions/actions.py) ------------------------------------------------------
# Mission events carry the mission's `title` (or `mission` with the `listing` enrolled); meeting
# events the `mission`, the `listing` it is about, the `slot` in words and who asked (`with`).


def _mission_created(data, names):
    return _(
        "Created the trade mission “%(title)s” to %(destination)s (%(first)s to %(last)s)."
    ) % {
        "title": data["title"],
        "destination": data["destination"],
        "first": data["starts_on"],
        "last": data["ends_on"],
    }


def _meeting_requested(data, names):
    who = (
        names.get(data["from_region"], data["from_region"])
        if data.get("from_region")
        else _("A third party")
    )
    return _("%(who)s asked to meet about “%(listing)s” in “%(mission)s” at %(slot)s.") % {
        "who": who,
        "listing": data["listing"],
        "mission": data["mission"],
        "slot": data["slot"],
    }


def _meeting_step(sentence) -> Describer:
    def describe(data, names):
        return sentence % {
            "with": data["with"],
            "listing": data["listing"],
            "mission": data["mission"],
            "slot": data["slot"],
            "before": data.get("before", ""),
        }

    return describe


def _mission_updated(data, names):
    labels = {
        "title": _("title"),
        "destination": _("destination"),
        "theme": _("theme"),
        "description": _("description"),
        "starts_on": _("first day"),
        "ends_on": _("last day"),
    }
    changed = ", ".join(str(labels.get(name, name)) for name in data.get("changed", {}))
    return _("Changed the trade mission “%(title)s”: %(changed)s.") % {
        "title": data["title"],
        "changed": changed,
    }


def _meeting_cancelled(data, names):
    values = {
        "with": data["with"],
        "listing": data["listing"],
        "mission": data["mission"],
        "slot": data["slot"],
    }
    if data.get("by") == "organiser":
        return (
            _(
                "The organiser removed the slot %(slot)s: the meeting with %(with)s about "
                "“%(listing)s” was cancelled."
            )
            % values
        )
    return _("%(with)s cancelled the meeting about “%(listing)s” at %(slot)s.") % values


def register() -> None:
    audit.register("mission.created", gettext_lazy("Trade mission created"), _mission_created)
    audit.register(
        "mission.slot_added",
        gettext_lazy("Trade mission slot added"),
        lambda data, names: _("Added the slot %(slot)s to “%(title)s”.")
        % {"slot": data["slot"], "title": data["title"]},
    )
    audit.register(
        "mission.listing_enrolled",
        gettext_lazy("Listing enrolled in a trade mission"),
        lambda data, names: _("Enrolled “%(listing)s” in the trade mission “%(mission)s”.")
        % {"listing": data["listing"], "mission": data["mission"]},
    )
    audit.register("meeting.requested", gettext_lazy("Meeting requested"), _meeting_requested)
    audit.register(
        "meeting.accepted",
        gettext_lazy("Meeting accepted"),
        _meeting_step(
            gettext_lazy("Accepted the meeting with %(with)s about “%(listing)s” at %(slot)s.")
        ),
    )
    audit.register(
        "meeting.declined",
        gettext_lazy("Meeting declined"),
        _meeting_step(
            gettext_lazy("Declined the meeting with %(with)s about “%(listing)s” at %(slot)s.")
        ),
    )
    audit.register(
        "meeting.rescheduled",
        gettext_lazy("Meeting moved"),
        _meeting_step(
            gettext_lazy(
                "Moved the meeting with %(with)s about “%(listing)s” from %(before)s to %(slot)s."
            )
        ),
    )
    audit.register("mission.updated", gettext_lazy("Trade mission changed"), _mission_updated)
    audit.register(
        "mission.slot_removed",
        gettext_lazy("Trade mission slot removed"),
        lambda data, names: _(
            "Removed the slot %(slot)s from “%(title)s” (meetings cancelled: %(cancelled)s)."
        )
        % {"slot": data["slot"], "title": data["title"], "cancelled": data["cancelled"]},
    )
    audit.register("meeting.cancelled", gettext_lazy("Meeting cancelled"), _meeting_cancelled)
