"""The signatures app's audit event types, registered in tenants.audit's registry from
SignaturesConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit


def _accepted(data, names):
    return _(
        "Accepted “%(document)s” although its electronic signature is flagged (%(problem)s): "
        "%(reason)s"
    ) % {
        "document": data.get("document", data.get("sha256", "")),
        "problem": data.get("problem_label", data.get("problem", "")),
        "reason": data.get("reason", ""),
    }


def register() -> None:
    audit.register(
        "signature.accepted",
        gettext_lazy("Flagged electronic signature accepted"),
        _accepted,
    )
