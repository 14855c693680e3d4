"""Saved searches and their daily digest.

A signed-in person keeps a search of the marketplace (its words, filters and sort) by name;
once a day the worker (marketplace.tasks.search_digest_task, scheduled in apps.py) sends each
person one e-mail with the listings published since the last digest that match any of their
saved searches, never one e-mail per listing.

The matches come from the search interface (search.api), whichever backend answers, and are
re-read as public listings of active regions, so a digest never carries an unpublished or
expired listing, nor one of a suspended region or one being deleted. Never twice: each listing
reported for a saved search is recorded (SavedSearchMatch, unique per search and listing), and
a person gets at most one digest a day (SearchDigest, unique per person and day); both are
written in the transaction that schedules the e-mail, under a lock of the person's saved
searches, so a repeated run, a restart or a second worker sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, NotFound, field_error
from core.hosts import platform_url
from core.mail import send_templated_email_on_commit
from search.api import build_request, search_listings
from search.query import FACETS, MAX_QUERY_CHARS, PAGE_SIZE, Filters, Sort
from tenants import audit

from .models import Listing, SavedSearch, SavedSearchMatch, SearchDigest
from .policy import can_save_searches

MAX_SAVED_SEARCHES = 20
MAX_NAME = 80
# Matches are looked for from the last digest less this much: a listing whose publishing
# transaction committed just after a digest read the index is still found by the next one
# (SavedSearchMatch keeps it from being reported twice).
OVERLAP = timedelta(hours=6)


class SavedSearchError:
    NAME_REQUIRED = "saved_search_name_required"
    NAME_TOO_LONG = "saved_search_name_too_long"
    NAME_TAKEN = "saved_search_name_taken"
    TOO_MANY = "saved_search_too_many"


def _filters(values: dict) -> dict[str, list[str]]:
    """Only the known facets, as short lists of short codes (the search page's own bounds)."""
    return {
        name: [str(v)[:13] for v in values.get(name, [])[:20] if v]
        for name in FACETS
        if values.get(name)
    }


def query_string(saved: SavedSearch) -> str:
    """The search page's query string for `saved`."""
    query = QueryDict(mutable=True)
    if saved.text:
        query["q"] = saved.text
    for name, values in saved.filters.items():
        query.setlist(name, values)
    if saved.sort:
        query["sort"] = saved.sort
    if saved.near:
        query["near"] = saved.near
    return query.urlencode()


def search_url(saved: SavedSearch) -> str:
    path = reverse("marketplace:search", urlconf="portal.urls_public")
    query = query_string(saved)
    return platform_url(f"{path}?{query}" if query else path)


def save_search(
    *,
    user,
    name: str,
    text: str = "",
    filters: dict | None = None,
    sort: str = "",
    near: str = "",
) -> SavedSearch:
    if not can_save_searches(user):
        raise Forbidden(_("Sign in with a verified e-mail address to save searches."))
    name = " ".join((name or "").split())
    if not name:
        raise field_error(
            "name",
            _("Give the search a name, such as “Tempe from Jawa Timur”."),
            SavedSearchError.NAME_REQUIRED,
        )
    if len(name) > MAX_NAME:
        raise field_error(
            "name",
            _("Keep the name to %(n)s characters.") % {"n": MAX_NAME},
            SavedSearchError.NAME_TOO_LONG,
        )
    sort = sort if sort in {s.value for s in Sort} else ""
    with transaction.atomic():
        # One person's saved searches are decided one at a time (the count below).
        mine = list(SavedSearch.objects.select_for_update().filter(user=user))
        if any(s.name.casefold() == name.casefold() for s in mine):
            raise field_error(
                "name",
                _("You already have a saved search of that name; choose another."),
                SavedSearchError.NAME_TAKEN,
            )
        if len(mine) >= MAX_SAVED_SEARCHES:
            raise field_error(
                None,
                _("You have %(n)s saved searches, the most there can be; delete one first.")
                % {"n": MAX_SAVED_SEARCHES},
                SavedSearchError.TOO_MANY,
            )
        try:
            with transaction.atomic():
                saved = SavedSearch.objects.create(
                    user=user,
                    name=name,
                    text=(text or "")[:MAX_QUERY_CHARS],
                    filters=_filters(filters or {}),
                    sort=sort,
                    near=(near or "")[:13] if sort == Sort.DISTANCE else "",
                )
        except IntegrityError:
            raise field_error(
                "name",
                _("You already have a saved search of that name; choose another."),
                SavedSearchError.NAME_TAKEN,
            ) from None
        audit.record(
            "saved_search.saved",
            actor=user,
            obj=saved,
            data={"name": saved.name, "query": query_string(saved)},
        )
    return saved


def get_own(user, pk: int) -> SavedSearch:
    """`user`'s saved search `pk`; anyone else's is not found (never told apart)."""
    saved = SavedSearch.objects.filter(pk=pk, user_id=getattr(user, "pk", None)).first()
    if saved is None:
        raise NotFound(_("There is no such saved search."))
    return saved


def delete_saved_search(*, user, saved: SavedSearch) -> None:
    if saved.user_id != getattr(user, "pk", None):
        raise NotFound(_("There is no such saved search."))
    with transaction.atomic():
        audit.record("saved_search.removed", actor=user, obj=saved, data={"name": saved.name})
        saved.delete()


def saved_searches(user):
    return SavedSearch.objects.filter(user=user).order_by("name", "id")


# --- The daily digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSection:
    saved: SavedSearch
    listings: list[Listing]
    more: bool  # there were more new matches than one page: the link shows them all
    url: str


def _new_matches(saved: SavedSearch, now: datetime) -> tuple[list[Listing], bool]:
    """The listings published since the last digest (or since the search was saved) that
    match `saved` and are public, of active regions, and not reported for it before."""
    since = (saved.last_digest_at or saved.created_at) - OVERLAP
    request = build_request(
        text=saved.text,
        filters=Filters(**{name: tuple(v) for name, v in saved.filters.items()}),
        sort=Sort.RECENT,
        published_after=max(since, saved.created_at),
    )
    results = search_listings(request)
    ids = [hit.object_id for hit in results.hits]
    reported = set(
        SavedSearchMatch.objects.filter(saved_search=saved, listing_id__in=ids).values_list(
            "listing_id", flat=True
        )
    )
    public = {
        listing.pk: listing
        for listing in Listing.objects.public()
        .filter(pk__in=[i for i in ids if i not in reported])
        .select_related("tenant__region")
    }
    listings = [public[i] for i in ids if i in public]
    return listings, results.total > PAGE_SIZE or results.capped


def send_digest(*, user, today: date | None = None, now: datetime | None = None) -> int:
    """Send `user` today's digest of their saved searches' new matches, if any and if none
    was sent today. Returns how many listings it reported."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        searches = list(
            SavedSearch.objects.select_for_update().filter(user=user).order_by("name", "id")
        )
        if not searches or SearchDigest.objects.filter(user=user, sent_on=today).exists():
            return 0
        sections = []
        for saved in searches:
            listings, more = _new_matches(saved, now)
            SavedSearchMatch.objects.bulk_create(
                SavedSearchMatch(saved_search=saved, listing=listing, sent_on=today)
                for listing in listings
            )
            saved.last_digest_at = now
            if listings:
                sections.append(DigestSection(saved, listings, more, search_url(saved)))
        SavedSearch.objects.bulk_update(searches, ["last_digest_at"])
        count = sum(len(section.listings) for section in sections)
        if not count:
            return 0
        SearchDigest.objects.create(user=user, sent_on=today, listings=count)
        send_templated_email_on_commit(
            "marketplace/email/search_digest",
            {
                "sections": [
                    {
                        "name": section.saved.name,
                        "url": section.url,
                        "more": section.more,
                        "listings": [
                            {
                                "title": listing.title,
                                "region": listing.tenant.region.full_name,
                                "kind": listing.get_kind_display(),
                                "url": platform_url(
                                    reverse(
                                        "marketplace:detail",
                                        args=[listing.pk],
                                        urlconf="portal.urls_public",
                                    )
                                ),
                            }
                            for listing in section.listings
                        ],
                    }
                    for section in sections
                ],
                "count": count,
                "manage_url": platform_url(
                    reverse("marketplace:saved_searches", urlconf="portal.urls_public")
                ),
            },
            [user.email],
        )
    return count


def send_search_digests(*, today: date | None = None, now: datetime | None = None) -> dict:
    """Every person with a saved search gets today's digest (each in their own transaction:
    one failure does not hold back the others' digests, nor resend them)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=SavedSearch.objects.values("user_id"))
        .order_by("pk")
    )
    sent, listings = 0, 0
    for user in users.iterator():
        count = send_digest(user=user, today=today, now=now)
        if count:
            sent += 1
            listings += count
    return {"digests": sent, "listings": listings}
