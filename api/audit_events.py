"""The API's audit event types (tokens), registered in tenants.audit's one registry from
ApiConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit
from tenants.audit import role_label

# --- API tokens (api/tokens.py) ---------------------------------------------------------------


def _api_token_created(data, names):
    return _(
        "Created the API token “%(name)s” (%(prefix)s…) acting as %(role)s, valid until "
        "%(expires)s."
    ) % {
        "name": data["name"],
        "prefix": data["prefix"],
        "role": role_label(data.get("role")),
        "expires": data["expires"],
    }


def _api_token_revoked(data, names):
    return _("Revoked the API token “%(name)s” (%(prefix)s…).") % {
        "name": data["name"],
        "prefix": data["prefix"],
    }


def register() -> None:
    audit.register("api_token.created", gettext_lazy("API token created"), _api_token_created)
    audit.register("api_token.revoked", gettext_lazy("API token revoked"), _api_token_revoked)
