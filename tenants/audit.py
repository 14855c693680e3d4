"""The audit log: its single writer and its one registry of event types.

Actions call `record`; nothing else writes AuditEvent rows. Every action string is registered
here with a translated label and a function that says in words what its data means (in the
manner of Wagtail's log-action registry), so the history shows "Changed the role of x@y from
TKKSD member to Region administrator" rather than `member.role_changed` and a dict. `record`
refuses an action that is not registered: a typo fails where it is made, in a test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent, Region, Role, Tenant

# A describer turns an event's data into one translated sentence. `names` maps the Kemendagri
# codes found in the data to the regions' names (looked up once for a whole page of events).
Describer = Callable[[dict, dict[str, str]], str]


@dataclass(frozen=True)
class EventType:
    action: str
    label: Any  # a lazy translation
    describe: Describer | None = None


class UnregisteredAuditAction(LookupError):
    """`record` was called with an action string that is not in the registry."""


_REGISTRY: dict[str, EventType] = {}


def register(action: str, label, describe: Describer | None = None) -> None:
    if action in _REGISTRY:
        raise ValueError(f"Audit action {action!r} is registered twice.")
    _REGISTRY[action] = EventType(action, label, describe)


def registered_actions() -> frozenset[str]:
    return frozenset(_REGISTRY)


def event_type(action: str) -> EventType | None:
    return _REGISTRY.get(action)


def record(
    action: str,
    *,
    actor=None,
    tenant: Tenant | None = None,
    obj: Any = None,
    data: dict | None = None,
) -> AuditEvent:
    """Record `action` (a registered, namespaced string such as `member.role_changed`)."""
    if action not in _REGISTRY:
        raise UnregisteredAuditAction(
            f"Audit action {action!r} is not registered in tenants/audit.py; register it with a "
            "label and a description first."
        )
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        tenant=tenant,
        tenant_schema=tenant.schema_name if tenant else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )


# --- Reading the log ------------------------------------------------------------------------


@dataclass(frozen=True)
class DescribedEvent:
    event: AuditEvent
    label: str
    description: str


_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def _codes_in(value) -> Iterable[str]:
    if isinstance(value, str) and _REGION_CODE.match(value):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _codes_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _codes_in(item)


def _generic(data: dict) -> str:
    """Whatever the data holds, as "key: value" pairs (for events whose data has no
    describer, or data a describer does not understand)."""
    parts = [
        f"{key}: {value}"
        for key, value in sorted((data or {}).items())
        if value not in (None, "", [], {})
    ]
    return "; ".join(parts)


def describe_events(events: Iterable[AuditEvent]) -> list[DescribedEvent]:
    """Each event with its label and its description, translated into the active language.
    Region names are fetched in one query for all the events."""
    events = list(events)
    codes = {code for e in events for code in _codes_in(e.data)}
    names = (
        {region.code: region.full_name for region in Region.objects.filter(code__in=codes)}
        if codes
        else {}
    )
    return [_describe(e, names) for e in events]


def describe_event(event: AuditEvent) -> DescribedEvent:
    return describe_events([event])[0]


def _describe(event: AuditEvent, names: dict[str, str]) -> DescribedEvent:
    kind = _REGISTRY.get(event.action)
    if kind is None:  # recorded before its registration was removed: say what we can
        return DescribedEvent(event, event.action, _generic(event.data))
    description = ""
    if kind.describe is not None:
        try:
            description = kind.describe(event.data or {}, names)
        except (KeyError, TypeError, ValueError, AttributeError):
            description = ""
    return DescribedEvent(event, str(kind.label), description or _generic(event.data))


# --- Helpers for describers -----------------------------------------------------------------


def role_label(value) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return str(value or "")


def area_name(code, names: dict[str, str]) -> str:
    return names.get(code, code) if code else ""


def _role_with_scope(snapshot: dict, names: dict[str, str]) -> str:
    """The role with its scope: Camat (Kecamatan Blimbing), OPD staff (Dinas Pertanian)."""
    role = role_label(snapshot.get("role"))
    scope = area_name(snapshot.get("area"), names) or (snapshot.get("opd") or "")
    return f"{role} ({scope})" if scope else role


# --- The registry ---------------------------------------------------------------------------


def _member_invited(data, names):
    if not data.get("role"):
        return _("Invited %(email)s.") % {"email": data["email"]}
    return _("Invited %(email)s as %(role)s.") % {
        "email": data["email"],
        "role": _role_with_scope(data, names),
    }


def _member_joined(data, names):
    return _("%(email)s joined as %(role)s.") % {
        "email": data["email"],
        "role": _role_with_scope(data, names),
    }


def _member_role_changed(data, names):
    return _("Changed the role of %(email)s from %(before)s to %(after)s.") % {
        "email": data["email"],
        "before": _role_with_scope(data["before"], names),
        "after": _role_with_scope(data["after"], names),
    }


def _member_removed(data, names):
    return _("Removed %(email)s (%(role)s) from the region.") % {
        "email": data["email"],
        "role": _role_with_scope(data, names),
    }


def _invitation_revoked(data, names):
    return _("Revoked the invitation to %(email)s.") % {"email": data["email"]}


def _document_uploaded(data, names):
    if data.get("area"):
        sentence = _("Filed the document “%(title)s” for %(area)s.") % {
            "title": data["title"],
            "area": area_name(data["area"], names),
        }
    else:
        sentence = _("Filed the region-wide document “%(title)s”.") % {"title": data["title"]}
    if data.get("restricted"):
        restricted = _(
            "Restricted: only the administrators, the TKKSD, the uploader and their OPD open it."
        )
        sentence = f"{sentence} {restricted}"
    return sentence


def _application_submitted(data, names):
    return _("Applied to bring %(region)s onto Jejaring.") % {
        "region": area_name(data["region"], names)
    }


def _application_approved(data, names):
    return _("Approved the application; the region's workspace was created.")


def _application_rejected(data, names):
    return _("Rejected the application. Reason: %(reason)s") % {"reason": data["reason"]}


def _application_email_confirmed(data, names):
    if data.get("email"):
        return _("The official address %(email)s was confirmed from the link sent to it.") % {
            "email": data["email"]
        }
    return _("The official e-mail address was confirmed from the link sent to it.")


def _application_confirmation_resent(data, names):
    if data.get("email"):
        return _("Sent the confirmation e-mail again to %(email)s.") % {"email": data["email"]}
    return _("Sent the confirmation e-mail again.")


def _tenant_provisioned(data, names):
    region = area_name(data.get("region"), names)
    if data.get("first_admin"):
        return _(
            "Created the workspace of %(region)s, with %(admin)s as its first administrator."
        ) % {"region": region, "admin": data["first_admin"]}
    return _("Created the workspace of %(region)s.") % {"region": region}


def _tenant_suspended(data, names):
    return _("Suspended the region (read-only). Reason: %(reason)s") % {"reason": data["reason"]}


def _tenant_reactivated(data, names):
    return _("Reactivated the region; its members can make changes again.")


def _tenant_exported(data, names):
    return _("Exported the workspace to %(file)s.") % {"file": data["file"]}


def _tenant_deleted(data, names):
    return _("Deleted the workspace of %(region)s, its documents and memberships.") % {
        "region": data.get("name") or area_name(data["region"], names)
    }


def _tenant_export_requested(data, names):
    return _("Asked for an export of the workspace.")


def _tenant_export_failed(data, names):
    if data.get("error"):
        return _("The export of the workspace failed: %(error)s") % {"error": data["error"]}
    return _("The export of the workspace failed.")


def _tenant_deletion_scheduled(data, names):
    if data.get("purge_after"):
        when = datetime.fromisoformat(data["purge_after"])
        return _("Scheduled the workspace for deletion; it is removed for good after %(date)s.") % {
            "date": date_format(localtime(when) if is_aware(when) else when, "DATE_FORMAT")
        }
    return _("Scheduled the workspace for deletion.")


def _tenant_restored(data, names):
    return _("Restored the workspace; its deletion is cancelled.")


def _tenant_purged(data, names):
    region = data.get("name") or area_name(data.get("region"), names)
    if region:
        return _("Removed the workspace of %(region)s and its files for good.") % {"region": region}
    return _("Removed the workspace and its files for good.")


def _tenant_export_expired(data, names):
    if data.get("file"):
        return _("The export %(file)s expired and was removed.") % {"file": data["file"]}
    return _("An export of the workspace expired and was removed.")


def _tenant_export_downloaded(data, names):
    if data.get("file"):
        return _("Downloaded the export %(file)s.") % {"file": data["file"]}
    return _("Downloaded an export of the workspace.")


register("member.invited", gettext_lazy("Member invited"), _member_invited)
register("member.invitation_revoked", gettext_lazy("Invitation revoked"), _invitation_revoked)
register("member.joined", gettext_lazy("Member joined"), _member_joined)
register("member.role_changed", gettext_lazy("Role changed"), _member_role_changed)
register("member.removed", gettext_lazy("Member removed"), _member_removed)
register("document.uploaded", gettext_lazy("Document filed"), _document_uploaded)
register("application.submitted", gettext_lazy("Application submitted"), _application_submitted)
register("application.approved", gettext_lazy("Application approved"), _application_approved)
register("application.rejected", gettext_lazy("Application rejected"), _application_rejected)
register(
    "application.email_confirmed",
    gettext_lazy("Official e-mail address confirmed"),
    _application_email_confirmed,
)
register("tenant.provisioned", gettext_lazy("Workspace created"), _tenant_provisioned)
register("tenant.suspended", gettext_lazy("Region suspended"), _tenant_suspended)
register("tenant.reactivated", gettext_lazy("Region reactivated"), _tenant_reactivated)
register("tenant.exported", gettext_lazy("Workspace exported"), _tenant_exported)
register("tenant.deleted", gettext_lazy("Workspace deleted"), _tenant_deleted)
register("tenant.export_requested", gettext_lazy("Export requested"), _tenant_export_requested)
register("tenant.export_failed", gettext_lazy("Export failed"), _tenant_export_failed)
register(
    "tenant.deletion_scheduled", gettext_lazy("Deletion scheduled"), _tenant_deletion_scheduled
)
register("tenant.restored", gettext_lazy("Workspace restored"), _tenant_restored)
register("tenant.purged", gettext_lazy("Workspace purged"), _tenant_purged)
register("tenant.export_expired", gettext_lazy("Export expired"), _tenant_export_expired)
register("tenant.export_downloaded", gettext_lazy("Export downloaded"), _tenant_export_downloaded)
register(
    "application.email_confirmation_resent",
    gettext_lazy("Confirmation e-mail sent again"),
    _application_confirmation_resent,
)


# --- Agreements (agreements/): the register, the lifecycle, the TKKSD review ----------------
# Every event's data carries the agreement's `title`; stage codes (`from`, `to`) are for
# programs, the sentences say what happened.


def _signed_sentence(data) -> str:
    parts = []
    if data.get("place"):
        parts.append(
            _("Signed on %(date)s in %(place)s.")
            % {"date": data["signed_on"], "place": data["place"]}
        )
    elif data.get("signed_on"):
        parts.append(_("Signed on %(date)s.") % {"date": data["signed_on"]})
    if data.get("sha256"):
        parts.append(
            _("Signed document %(file)s (SHA-256 %(sha)s).")
            % {"file": data.get("file", ""), "sha": data["sha256"]}
        )
    return " ".join(parts)


def _agreement_step(sentence: str) -> Describer:
    """A lifecycle step: `sentence` (with %(title)s), then what the step recorded."""

    def describe(data, names):
        text = sentence % {"title": data["title"]}
        extra = _signed_sentence(data)
        return f"{text} {extra}".strip()

    return describe


def _agreement_created(data, names):
    return _("Added “%(title)s” to the register, in preparation.") % {"title": data["title"]}


def _agreement_registered_signed(data, names):
    text = _("Entered the signed agreement “%(title)s” in the register.") % {"title": data["title"]}
    return f"{text} {_signed_sentence(data)}".strip()


def _agreement_updated(data, names):
    return _("Edited “%(title)s”: %(fields)s.") % {
        "title": data["title"],
        "fields": ", ".join(data.get("changed") or []),
    }


def _agreement_dprd_approved(data, names):
    return _("Recorded the DPRD's approval of “%(title)s” (decision %(number)s of %(date)s).") % {
        "title": data["title"],
        "number": data["number"],
        "date": data["date"],
    }


def _agreement_expired(data, names):
    return _("“%(title)s” ended when its term ran out on %(date)s.") % {
        "title": data["title"],
        "date": data["ended_on"],
    }


def _agreement_terminated(data, names):
    return _("Terminated “%(title)s” as of %(date)s. Reason: %(reason)s") % {
        "title": data["title"],
        "date": data["ended_on"],
        "reason": data["reason"],
    }


def _agreement_rejected(data, names):
    return _("Rejected “%(title)s”. Reason: %(reason)s") % {
        "title": data["title"],
        "reason": data["reason"],
    }


def _agreement_extended(data, names):
    return _("Extended “%(title)s” with a renewal until %(date)s.") % {
        "title": data["title"],
        "date": data["term_end"],
    }


def _agreement_amended(data, names):
    text = _("Recorded the addendum “%(addendum)s” to “%(title)s”.") % {
        "addendum": data["addendum_title"],
        "title": data["title"],
    }
    return f"{text} {_signed_sentence(data)}".strip()


def _agreement_document_filed(data, names):
    return _("Filed the internal document “%(document)s” (SHA-256 %(sha)s).") % {
        "document": data["title"],
        "sha": data["sha256"],
    }


def _agreement_review_requested(data, names):
    return _("Asked the TKKSD to review “%(title)s” (round %(round)s).") % {
        "title": data["title"],
        "round": data["round"],
    }


def _agreement_review_recorded(data, names):
    recommendation = {
        "approve": _("approve"),
        "revise": _("revise"),
        "reject": _("reject"),
    }.get(data["recommendation"], data["recommendation"])
    return _("Recommended to %(recommendation)s “%(title)s” (round %(round)s).") % {
        "recommendation": recommendation,
        "title": data["title"],
        "round": data["round"],
    }


register("agreement.created", gettext_lazy("Agreement added"), _agreement_created)
register(
    "agreement.registered_signed",
    gettext_lazy("Signed agreement entered"),
    _agreement_registered_signed,
)
register("agreement.updated", gettext_lazy("Agreement edited"), _agreement_updated)
register(
    "agreement.offer_sent",
    gettext_lazy("Offer sent"),
    _agreement_step(gettext_lazy("Sent the offer for “%(title)s” to the partner.")),
)
register(
    "agreement.ksb_drafting_started",
    gettext_lazy("KSB drafting started"),
    _agreement_step(gettext_lazy("Started drafting the KSB of “%(title)s”.")),
)
register(
    "agreement.ksb_signed",
    gettext_lazy("KSB signed"),
    _agreement_step(gettext_lazy("Recorded the signing of the KSB “%(title)s”.")),
)
register(
    "agreement.submitted_to_dprd",
    gettext_lazy("Submitted to the DPRD"),
    _agreement_step(gettext_lazy("Submitted “%(title)s” to the DPRD for approval.")),
)
register("agreement.dprd_approved", gettext_lazy("DPRD approved"), _agreement_dprd_approved)
register(
    "agreement.pks_drafting_started",
    gettext_lazy("PKS drafting started"),
    _agreement_step(gettext_lazy("Started drafting the PKS of “%(title)s”.")),
)
register(
    "agreement.pks_signed",
    gettext_lazy("PKS signed"),
    _agreement_step(gettext_lazy("Recorded the signing of the PKS “%(title)s”.")),
)
register(
    "agreement.implementation_started",
    gettext_lazy("Implementation started"),
    _agreement_step(gettext_lazy("Started the implementation of “%(title)s”.")),
)
register(
    "agreement.monitoring_started",
    gettext_lazy("Monitoring started"),
    _agreement_step(gettext_lazy("Started monitoring and evaluating “%(title)s”.")),
)
register("agreement.expired", gettext_lazy("Agreement expired"), _agreement_expired)
register("agreement.terminated", gettext_lazy("Agreement terminated"), _agreement_terminated)
register("agreement.rejected", gettext_lazy("Agreement rejected"), _agreement_rejected)
register("agreement.extended", gettext_lazy("Agreement extended"), _agreement_extended)
register("agreement.amended", gettext_lazy("Addendum recorded"), _agreement_amended)
register(
    "agreement.document_filed",
    gettext_lazy("Agreement document filed"),
    _agreement_document_filed,
)
register(
    "agreement.review_requested",
    gettext_lazy("TKKSD review requested"),
    _agreement_review_requested,
)
register(
    "agreement.review_recorded",
    gettext_lazy("TKKSD recommendation recorded"),
    _agreement_review_recorded,
)


# --- The register's outputs and bulk input (agreements/exporting, importing, reporting) ------


def _agreement_register_exported(data, names):
    return _("Downloaded the register (%(rows)s agreements) as %(format)s.") % {
        "rows": data["rows"],
        "format": str(data["format"]).upper(),
    }


def _agreement_imported(data, names):
    return _("Imported %(rows)s old agreements from the file %(file)s (SHA-256 %(sha)s).") % {
        "rows": data["rows"],
        "file": data["file"],
        "sha": data["sha256"],
    }


def _agreement_semester_report(data, names):
    return _(
        "Downloaded the semester report for %(period)s as %(format)s (%(rows)s agreements)."
    ) % {
        "period": data["period"],
        "format": str(data["format"]).upper(),
        "rows": data["rows"],
    }


register(
    "agreement.register_exported",
    gettext_lazy("Register downloaded"),
    _agreement_register_exported,
)
register("agreement.imported", gettext_lazy("Agreements imported"), _agreement_imported)
register(
    "agreement.semester_report_downloaded",
    gettext_lazy("Semester report downloaded"),
    _agreement_semester_report,
)


# --- Carrying an agreement out: action plan, monitoring, reminders (agreements/monitoring.py,
# agreements/reminders.py) --------------------------------------------------------------------


def _action_item_sentence(template):
    def describe(data, names):
        return template % {
            "activity": data["activity"],
            "opd": data["owner_opd"],
            "due": data["due_on"],
            "title": data["title"],
        }

    return describe


def _action_item_updated(data, names):
    text = _("Updated the action plan item “%(activity)s” of “%(title)s”.") % {
        "activity": data["activity"],
        "title": data["title"],
    }
    if data.get("changed"):
        text += " " + _("Changed: %(fields)s.") % {"fields": ", ".join(data["changed"])}
    return text


def _monitoring_filed(data, names):
    recommendation = {
        "continue": _("continue"),
        "expand": _("expand"),
        "stop": _("stop"),
    }.get(data["recommendation"], data["recommendation"])
    return _(
        "Filed the monitoring report on “%(title)s” for %(period)s: %(done)s of %(total)s action "
        "plan items done; recommends to %(recommendation)s."
    ) % {
        "title": data["title"],
        "period": data["period"],
        "done": data["items_done"],
        "total": data["items_total"],
        "recommendation": recommendation,
    }


def _reminder_sent(data, names):
    if data["kind"] == "expiry":
        return _(
            "Reminded %(count)s people that “%(title)s” expires on %(date)s (%(days)s days before)."
        ) % {
            "count": len(data["recipients"]),
            "title": data["title"],
            "date": data["about_on"],
            "days": data["days_before"],
        }
    return _(
        "Reminded %(count)s people that the monitoring report on “%(title)s” for the period "
        "ending %(date)s is overdue."
    ) % {"count": len(data["recipients"]), "title": data["title"], "date": data["about_on"]}


def _reminder_settings_changed(data, names):
    return _(
        "Set the expiry reminders to %(days)s days before the end, and monitoring reports due "
        "%(grace)s days after each period."
    ) % {"days": ", ".join(str(d) for d in data["expiry_days"]), "grace": data["grace_days"]}


register(
    "agreement.action_item_added",
    gettext_lazy("Action plan item added"),
    _action_item_sentence(
        gettext_lazy(
            "Added “%(activity)s” (%(opd)s, due %(due)s) to the action plan of “%(title)s”."
        )
    ),
)
register(
    "agreement.action_item_updated",
    gettext_lazy("Action plan item updated"),
    _action_item_updated,
)
register(
    "agreement.action_item_removed",
    gettext_lazy("Action plan item removed"),
    _action_item_sentence(
        gettext_lazy(
            "Removed “%(activity)s” (%(opd)s, due %(due)s) from the action plan of “%(title)s”."
        )
    ),
)
register(
    "agreement.monitoring_filed",
    gettext_lazy("Monitoring report filed"),
    _monitoring_filed,
)
register("agreement.reminder_sent", gettext_lazy("Reminder sent"), _reminder_sent)
register(
    "agreement.reminder_settings_changed",
    gettext_lazy("Reminder settings changed"),
    _reminder_settings_changed,
)


# --- Who reads an agreement besides the whole register's readers; the stages' labels
# (agreements/scope.py, agreements/stages.py) ----------------------------------------------------


def _agreement_areas_changed(data, names):
    if not data["areas"]:
        return _("Recorded that “%(title)s” concerns the whole region.") % {"title": data["title"]}
    return _("Recorded the areas “%(title)s” concerns: %(areas)s.") % {
        "title": data["title"],
        "areas": ", ".join(data.get("names") or data["areas"]),
    }


def _stage_labels_changed(data, names):
    if not data["labels"]:
        return _("Restored the default labels of the stages.")
    return _("Named the stages: %(labels)s.") % {
        "labels": "; ".join(f"{stage} → {label}" for stage, label in data["labels"].items())
    }


register(
    "agreement.areas_changed",
    gettext_lazy("Areas of an agreement changed"),
    _agreement_areas_changed,
)
register(
    "agreement.dossier_given",
    gettext_lazy("DPRD dossier given"),
    lambda data, names: _("Gave %(member)s the dossier of “%(title)s”.")
    % {"member": data["member"], "title": data["title"]},
)
register(
    "agreement.dossier_withdrawn",
    gettext_lazy("DPRD dossier withdrawn"),
    lambda data, names: _("Withdrew the dossier of “%(title)s” from %(member)s.")
    % {"member": data["member"], "title": data["title"]},
)
register(
    "agreement.stage_labels_changed",
    gettext_lazy("Stages' labels changed"),
    _stage_labels_changed,
)


# --- Partner regions on one agreement, meetings, proposals (agreements/partners.py, proposals) -


def _region(code, names) -> str:
    return names.get(code, code) if code else ""


def _instrument(value) -> str:
    return {"ksb": "KSB", "pks": "PKS"}.get(value, str(value or "").upper())


def _agreement_offer_accepted(data, names):
    return _("Accepted the offer of “%(title)s” from %(owner)s; it is in the register now.") % {
        "title": data["title"],
        "owner": _region(data["owner"], names),
    }


def _agreement_offer_declined(data, names):
    return _("Declined the offer of “%(title)s” from %(owner)s. Reason: %(reason)s") % {
        "title": data["title"],
        "owner": _region(data["owner"], names),
        "reason": data["reason"],
    }


def _agreement_partner_accepted(data, names):
    return _("%(partner)s accepted the offer of “%(title)s”.") % {
        "partner": _region(data["partner"], names),
        "title": data["title"],
    }


def _agreement_partner_declined(data, names):
    return _("%(partner)s declined the offer of “%(title)s”. Reason: %(reason)s") % {
        "partner": _region(data["partner"], names),
        "title": data["title"],
        "reason": data["reason"],
    }


def _agreement_party_signed(data, names):
    return _("Signed the %(instrument)s “%(title)s” for %(region)s on %(date)s.") % {
        "instrument": _instrument(data["instrument"]),
        "title": data["title"],
        "region": _region(data["region"], names),
        "date": data["signed_on"],
    }


def _agreement_meeting_recorded(data, names):
    return _("Recorded the meeting of %(date)s in %(place)s on “%(title)s”.") % {
        "date": data["held_on"],
        "place": data["place"],
        "title": data["title"],
    }


def _agreement_point_proposed(data, names):
    return _("Added a point under %(urusan)s to the inventory of “%(title)s”: %(point)s") % {
        "urusan": data["urusan"],
        "title": data["title"],
        "point": data["point"],
    }


def _agreement_points_prioritised(data, names):
    return _("Recorded the heads of region's priorities for “%(title)s”: %(count)s chosen.") % {
        "title": data["title"],
        "count": data["chosen"],
    }


def _agreement_points_adopted(data, names):
    return _("Made %(count)s chosen points the scope of “%(title)s”; new PKS: %(pks)s.") % {
        "count": data["points"],
        "title": data["title"],
        "pks": ", ".join(data["pks"]) or "—",
    }


def _agreement_text_version_added(data, names):
    return _("Added version %(number)s of the joint text of “%(title)s”.") % {
        "number": data["number"],
        "title": data["title"],
    }


def _agreement_own_dprd_recorded(data, names):
    return _("Recorded the region's DPRD decision %(number)s of %(date)s on “%(title)s”.") % {
        "number": data["number"],
        "date": data["date"],
        "title": data["title"],
    }


def _proposal_submitted(data, names):
    return _("%(organisation)s proposed a cooperation: “%(title)s”.") % {
        "organisation": data["organisation"],
        "title": data["title"],
    }


def _proposal_more_info(data, names):
    return _("Asked the proposer of “%(title)s” for more: %(message)s") % {
        "title": data["title"],
        "message": data["message"],
    }


def _proposal_info_provided(data, names):
    return _("The proposer of “%(title)s” answered the office's question.") % {
        "title": data["title"]
    }


def _proposal_accepted(data, names):
    return _("Accepted the proposal “%(title)s” into preparation (agreement #%(agreement)s).") % {
        "title": data["title"],
        "agreement": data["agreement"],
    }


def _proposal_declined(data, names):
    return _("Declined the proposal “%(title)s”. Reason: %(reason)s") % {
        "title": data["title"],
        "reason": data["reason"],
    }


register("agreement.offer_accepted", gettext_lazy("Offer accepted"), _agreement_offer_accepted)
register("agreement.offer_declined", gettext_lazy("Offer declined"), _agreement_offer_declined)
register(
    "agreement.partner_accepted",
    gettext_lazy("Partner accepted the offer"),
    _agreement_partner_accepted,
)
register(
    "agreement.partner_declined",
    gettext_lazy("Partner declined the offer"),
    _agreement_partner_declined,
)
register("agreement.party_signed", gettext_lazy("Signed as a party"), _agreement_party_signed)
register(
    "agreement.meeting_recorded", gettext_lazy("Meeting recorded"), _agreement_meeting_recorded
)
register(
    "agreement.point_proposed",
    gettext_lazy("Point of cooperation added"),
    _agreement_point_proposed,
)
register(
    "agreement.points_prioritised",
    gettext_lazy("Priorities recorded"),
    _agreement_points_prioritised,
)
register(
    "agreement.points_adopted",
    gettext_lazy("Chosen points made the scope"),
    _agreement_points_adopted,
)
register(
    "agreement.text_version_added",
    gettext_lazy("Joint text version added"),
    _agreement_text_version_added,
)
register(
    "agreement.own_dprd_recorded",
    gettext_lazy("Region's DPRD decision recorded"),
    _agreement_own_dprd_recorded,
)
register("proposal.submitted", gettext_lazy("Proposal received"), _proposal_submitted)
register(
    "proposal.more_info_requested",
    gettext_lazy("More information asked of the proposer"),
    _proposal_more_info,
)
register("proposal.info_provided", gettext_lazy("Proposer answered"), _proposal_info_provided)
register("proposal.accepted", gettext_lazy("Proposal accepted"), _proposal_accepted)
register("proposal.declined", gettext_lazy("Proposal declined"), _proposal_declined)


# Inquiries made into offers and proposals (agreements/inquiries.py): to move to
# agreements/audit_events.py (issue 14).


def _inquiry_offer_made(data, names):
    return _(
        "Turned the inquiry “%(subject)s” about “%(listing)s” into an agreement in preparation "
        "with %(partner)s (shared record #%(cooperation)s)."
    ) % {
        "subject": data["subject"],
        "listing": data["listing"],
        "partner": names.get(data["partner"], data["partner"]),
        "cooperation": data["cooperation"],
    }


def _inquiry_proposal_made(data, names):
    return _(
        "Turned the inquiry “%(subject)s” about “%(listing)s” into the cooperation proposal "
        "#%(proposal)s."
    ) % {"subject": data["subject"], "listing": data["listing"], "proposal": data["proposal"]}


register("inquiry.offer_made", gettext_lazy("Offer made from an inquiry"), _inquiry_offer_made)
register(
    "inquiry.proposal_made",
    gettext_lazy("Proposal made from an inquiry"),
    _inquiry_proposal_made,
)
