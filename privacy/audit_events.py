"""The personal-data requests' audit event types, registered in tenants.audit's one registry
from PrivacyConfig.ready(). Their data holds identifiers and kinds, never personal data (an
erased person's history must not keep what the erasure removed)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit

from .models import RequestKind


def _kind(data) -> str:
    try:
        return str(RequestKind(data.get("kind", "")).label)
    except ValueError:
        return data.get("kind", "")


def register() -> None:
    audit.register(
        "privacy.request_made",
        gettext_lazy("Personal data request made"),
        lambda data, names: _("Asked: %(kind)s (request #%(request)s).")
        % {"kind": _kind(data), "request": data.get("request")},
    )
    audit.register(
        "privacy.request_completed",
        gettext_lazy("Personal data request completed"),
        lambda data, names: _("Completed request #%(request)s: %(kind)s.")
        % {"kind": _kind(data), "request": data.get("request")},
    )
    audit.register(
        "privacy.request_refused",
        gettext_lazy("Personal data request refused"),
        lambda data, names: _("Refused request #%(request)s: %(kind)s.")
        % {"kind": _kind(data), "request": data.get("request")},
    )
    audit.register(
        "privacy.request_withdrawn",
        gettext_lazy("Personal data request withdrawn"),
        lambda data, names: _("Withdrew request #%(request)s.") % {"request": data.get("request")},
    )
    audit.register(
        "privacy.account_erased",
        gettext_lazy("Account erased"),
        lambda data, names: _("Erased an account (request #%(request)s).")
        % {"request": data.get("request")},
    )
    audit.register(
        "privacy.copy_ready",
        gettext_lazy("Copy of personal data ready"),
        lambda data, names: _("A copy of a person's data was prepared (request #%(request)s).")
        % {"request": data.get("request")},
    )
    audit.register(
        "privacy.copy_downloaded",
        gettext_lazy("Copy of personal data downloaded"),
        lambda data, names: _("Downloaded their copy (request #%(request)s).")
        % {"request": data.get("request")},
    )
    audit.register(
        "privacy.copy_expired",
        gettext_lazy("Copy of personal data expired"),
        lambda data, names: _("A copy's file was deleted at its expiry (request #%(request)s).")
        % {"request": data.get("request")},
    )
    audit.register(
        "privacy.name_corrected",
        gettext_lazy("Own name corrected"),
        lambda data, names: _("Corrected their own name."),
    )
    audit.register(
        "privacy.letter_deleted",
        gettext_lazy("Assignment letter deleted at the end of its retention"),
        lambda data, names: _(
            "The assignment letter of rejected application #%(application)s was deleted."
        )
        % {"application": data.get("application")},
    )
