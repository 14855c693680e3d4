"""The workspace's audit event types, registered in tenants.audit's one registry from
WorkspaceConfig.ready() (their texts are in the portal catalogue)."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit


def _emblem_changed(data, names):
    if data.get("removed"):
        return _("Removed the region's emblem from its letterhead.")
    return _("Set the region's emblem on its letterhead (%(size)s).") % {
        "size": filesizeformat(data.get("bytes", 0))
    }


def register() -> None:
    audit.register("region.emblem_changed", gettext_lazy("Emblem changed"), _emblem_changed)
