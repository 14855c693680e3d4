"""The marketplace's audit event types (listings, saved searches, inquiries), registered in
tenants.audit's one registry from MarketplaceConfig.ready()."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit
from tenants.audit import Describer, area_name

# --- The listings (marketplace/actions.py) ------------------------------------------------------
# Every listing event's data carries the listing's `title`.

_LISTING_KINDS = {
    "product": gettext_lazy("flagship product"),
    "potential": gettext_lazy("potential"),
    "need": gettext_lazy("need"),
    "offer": gettext_lazy("cooperation offer"),
    "practice": gettext_lazy("good practice"),
}


def _listing_created(data, names):
    kind = str(_LISTING_KINDS.get(data.get("kind"), data.get("kind") or ""))
    if data.get("area"):
        return _("Drafted the %(kind)s “%(title)s” for %(area)s.") % {
            "kind": kind,
            "title": data["title"],
            "area": area_name(data["area"], names),
        }
    return _("Drafted the %(kind)s “%(title)s” for the whole region.") % {
        "kind": kind,
        "title": data["title"],
    }


def _listing_updated(data, names):
    text = _("Edited “%(title)s”: %(fields)s.") % {
        "title": data["title"],
        "fields": ", ".join(data.get("changed") or []),
    }
    if data.get("back_to_moderation"):
        text = f"{text} {_('It awaits moderation again.')}"
    return text


def _listing_step(sentence) -> Describer:
    def describe(data, names):
        return sentence % {"title": data["title"]}

    return describe


def _listing_returned(data, names):
    return _("Returned “%(title)s” to its publisher. Reason: %(reason)s") % {
        "title": data["title"],
        "reason": data["reason"],
    }


def _listing_expired(data, names):
    return _("“%(title)s” expired at the end of its validity (%(date)s).") % {
        "title": data["title"],
        "date": data["valid_until"],
    }


def _listing_photo_added(data, names):
    return _("Added a photo (%(width)s × %(height)s) to “%(title)s”.") % {
        "title": data["title"],
        "width": data["width"],
        "height": data["height"],
    }


# Saved searches of the marketplace (marketplace/saved_searches.py): a person's own.
def _saved_search_saved(data, names):
    return _("Saved the search “%(name)s”.") % {"name": data["name"]}


def _saved_search_removed(data, names):
    return _("Deleted the saved search “%(name)s”.") % {"name": data["name"]}


# --- Inquiries about listings (marketplace/inquiries.py) ----------------------------------------
# Every inquiry event's data carries its `subject` and its listing's title (`listing`).


def _inquiry_sent(data, names):
    if data.get("from_region"):
        return _("%(region)s sent the inquiry “%(subject)s” about “%(listing)s”.") % {
            "region": names.get(data["from_region"], data["from_region"]),
            "subject": data["subject"],
            "listing": data["listing"],
        }
    return _("A third party sent the inquiry “%(subject)s” about “%(listing)s”.") % {
        "subject": data["subject"],
        "listing": data["listing"],
    }


def _inquiry_step(sentence) -> Describer:
    def describe(data, names):
        return sentence % {"subject": data["subject"], "listing": data["listing"]}

    return describe


def register() -> None:
    audit.register("listing.created", gettext_lazy("Listing drafted"), _listing_created)
    audit.register("listing.updated", gettext_lazy("Listing edited"), _listing_updated)
    audit.register(
        "listing.submitted",
        gettext_lazy("Listing submitted for moderation"),
        _listing_step(gettext_lazy("Submitted “%(title)s” for moderation.")),
    )
    audit.register(
        "listing.published",
        gettext_lazy("Listing published"),
        _listing_step(gettext_lazy("Published “%(title)s” in the marketplace.")),
    )
    audit.register("listing.returned", gettext_lazy("Listing returned"), _listing_returned)
    audit.register(
        "listing.archived",
        gettext_lazy("Listing archived"),
        _listing_step(gettext_lazy("Archived “%(title)s”; it left the marketplace.")),
    )
    audit.register("listing.expired", gettext_lazy("Listing expired"), _listing_expired)
    audit.register("listing.photo_added", gettext_lazy("Listing photo added"), _listing_photo_added)
    audit.register(
        "listing.photo_removed",
        gettext_lazy("Listing photo removed"),
        _listing_step(gettext_lazy("Removed a photo from “%(title)s”.")),
    )
    audit.register("saved_search.saved", gettext_lazy("Search saved"), _saved_search_saved)
    audit.register(
        "saved_search.removed", gettext_lazy("Saved search deleted"), _saved_search_removed
    )
    audit.register("inquiry.sent", gettext_lazy("Inquiry received"), _inquiry_sent)
    audit.register(
        "inquiry.answered",
        gettext_lazy("Inquiry answered"),
        _inquiry_step(gettext_lazy("Answered the inquiry “%(subject)s” about “%(listing)s”.")),
    )
    audit.register(
        "inquiry.followed_up",
        gettext_lazy("Inquirer wrote again"),
        _inquiry_step(
            gettext_lazy("The inquirer wrote again in “%(subject)s” about “%(listing)s”.")
        ),
    )
