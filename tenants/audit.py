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
