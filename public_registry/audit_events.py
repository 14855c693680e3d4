"""The registry's audit event types, registered in tenants.audit's one registry (their texts are
in this app's catalogue)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit


def _withholding_changed(data, names):
    if not data.get("fields") and not data.get("documents"):
        return _("The public record of “%(title)s” withholds nothing now.") % {
            "title": data["title"]
        }
    return _(
        "The public record of “%(title)s” withholds: %(fields)s%(documents)s. Reason: %(reason)s"
    ) % {
        "title": data["title"],
        "fields": ", ".join(data.get("fields") or []) or "—",
        "documents": _(" and the signed documents") if data.get("documents") else "",
        "reason": data.get("reason", ""),
    }


def register() -> None:
    audit.register(
        "registry.withholding_changed",
        gettext_lazy("Public record's withholding changed"),
        _withholding_changed,
    )
