"""Search's audit event types (the synonyms), registered in tenants.audit's one registry from
SearchConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit


def _synonym_saved(data, names):
    return _("Saved the synonyms: %(words)s.") % {"words": data["words"]}


def _synonym_removed(data, names):
    return _("Removed the synonyms: %(words)s.") % {"words": data["words"]}


def register() -> None:
    audit.register("synonym.saved", gettext_lazy("Synonyms saved"), _synonym_saved)
    audit.register("synonym.removed", gettext_lazy("Synonyms removed"), _synonym_removed)
