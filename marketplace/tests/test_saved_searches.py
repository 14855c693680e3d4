"""Saved searches and their daily digest: a person saves the search they see, lists and deletes
their own (never another's), and the worker's daily job sends each person one e-mail with the
new public matches of all their saved searches, never twice, never an unpublished or expired
listing, nor one of a region that is not active."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import schedule
from marketplace import saved_searches
from marketplace.models import Listing, ListingStatus, SavedSearch, SavedSearchMatch, SearchDigest
from marketplace.tasks import search_digest_task
from tenants import region_lifecycle
from tenants.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

PUBLIC = "portal.urls_public"


def url(name, *args):
    return reverse(f"marketplace:{name}", args=args, urlconf=PUBLIC)


@pytest.fixture
def person(user_factory):
    return user_factory(email="pencari@contoh.test")


def save(user, name="Tempe", text="tempe", **kw):
    return saved_searches.save_search(user=user, name=name, text=text, **kw)


def digest(capture, **kw):
    with capture(execute=True):
        return saved_searches.send_search_digests(**kw)


# --- Saving, listing, deleting -----------------------------------------------------------------


def test_a_member_saves_the_search_they_see_and_finds_it_in_their_list(malang, member, client_for):
    user = member(malang, Role.OPD)
    client = client_for(None, user)
    query = {"q": "tempe", "province": "35", "kind": ["product", "need"], "sort": "recent"}
    page = client.get(url("search"), query)
    assert url("saved_search_new") in page.content.decode()  # the page offers it
    form = client.get(url("saved_search_new"), query)
    assert form.status_code == 200
    assert "Provinsi Jawa Timur" in form.content.decode()  # the search, in words
    response = client.post(url("saved_search_new"), {**query, "name": "Tempe Jawa Timur"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=user)
    assert (saved.name, saved.text, saved.sort) == ("Tempe Jawa Timur", "tempe", "recent")
    assert saved.filters == {"province": ["35"], "kind": ["product", "need"]}
    listing = client.get(url("saved_searches")).content.decode()
    assert "Tempe Jawa Timur" in listing and "q=tempe" in listing
    event = AuditEvent.objects.get(action="saved_search.saved")
    assert event.actor == user and event.data["name"] == "Tempe Jawa Timur"


def test_the_name_is_required_unique_per_person_and_bounded(person, user_factory, client_for):
    client = client_for(None, person)
    empty = client.post(url("saved_search_new"), {"q": "tempe", "name": "  "})
    assert empty.status_code == 400
    save(person, name="Tempe")
    again = client.post(url("saved_search_new"), {"q": "kopi", "name": "tempe"})
    assert again.status_code == 400
    assert "already have a saved search of that name" in again.content.decode()
    assert client.post(url("saved_search_new"), {"name": "x" * 81}).status_code == 400
    save(user_factory(), name="Tempe")  # another person's names are theirs
    assert SavedSearch.objects.filter(user=person).count() == 1


def test_a_person_has_at_most_twenty_saved_searches(person):
    for i in range(saved_searches.MAX_SAVED_SEARCHES):
        save(person, name=f"Cari {i}")
    with pytest.raises(Exception) as refused:
        save(person, name="Satu lagi")
    assert refused.value.code == "saved_search_too_many"


def test_unknown_sorts_and_filters_are_not_kept(person):
    saved = saved_searches.save_search(
        user=person,
        name="Aneh",
        text="kopi",
        filters={"kind": ["product"], "evil": ["x"]},
        sort="'; drop",
        near="35.73",
    )
    assert (saved.filters, saved.sort, saved.near) == ({"kind": ["product"]}, "", "")


def test_only_the_owner_sees_and_deletes_a_saved_search(malang, batu, person, member, client_for):
    saved = save(person, name="Rahasia saya")
    for other in (member(batu, Role.ADMIN), member(malang, Role.VIEWER)):
        client = client_for(None, other)
        assert "Rahasia saya" not in client.get(url("saved_searches")).content.decode()
        assert client.post(url("saved_search_delete", saved.pk)).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    owner = client_for(None, person)
    assert owner.get(url("saved_search_delete", saved.pk)).status_code == 405
    assert owner.post(url("saved_search_delete", saved.pk)).status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert AuditEvent.objects.filter(action="saved_search.removed", actor=person).exists()


def test_anonymous_visitors_are_asked_to_sign_in(client_for):
    client = client_for(None)
    assert client.get(url("search")).context["can_save_search"] is False
    for name in ("saved_searches", "saved_search_new"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


# --- The daily digest --------------------------------------------------------------------------


def test_one_digest_a_day_with_the_new_matches_of_every_saved_search(
    malang, batu, person, make_listing, django_capture_on_commit_callbacks
):
    save(person, name="Tempe", text="tempeh")  # a synonym finds "tempe"
    save(person, name="Wisata Batu", text="", filters={"region": ["35.79"]})
    save(person, name="Tidak ada", text="durian")
    tempe = make_listing(malang, title="Tempe Sanan")
    apel = make_listing(
        batu,
        title="Wisata petik apel",
        kind="potential",
        potential_type="tourism",
        description="Agrowisata apel.",
    )
    mail.outbox.clear()
    assert digest(django_capture_on_commit_callbacks) == {"digests": 1, "listings": 2}
    assert len(mail.outbox) == 1  # one e-mail, never one per listing
    message = mail.outbox[0]
    assert message.to == ["pencari@contoh.test"]
    assert "2" in message.subject
    assert "== Tempe ==" in message.body and "== Wisata Batu ==" in message.body
    assert "Tidak ada" not in message.body  # nothing new: not mentioned
    assert f"http://localhost/pasar/{tempe.pk}/" in message.body.replace(":8000", "")
    assert f"/pasar/{apel.pk}/" in message.body
    assert "/pasar/tersimpan/" in message.body
    # Recorded per search and listing, and the day's digest once.
    assert set(SavedSearchMatch.objects.values_list("listing_id", flat=True)) == {tempe.pk, apel.pk}
    assert SearchDigest.objects.get(user=person).listings == 2


def test_never_twice_the_same_day_nor_the_same_listing_later(
    malang, person, make_listing, django_capture_on_commit_callbacks
):
    save(person)
    first = make_listing(malang, title="Tempe Sanan")
    now = timezone.now()
    mail.outbox.clear()
    assert digest(django_capture_on_commit_callbacks, now=now)["listings"] == 1
    # A restart, a retry, a second worker the same day: nothing more, even with news.
    second = make_listing(malang, title="Keripik tempe")
    assert digest(django_capture_on_commit_callbacks, now=now)["digests"] == 0
    # The next day: only what it did not report yet (the first is inside the overlap).
    tomorrow = now + timedelta(days=1)
    assert digest(django_capture_on_commit_callbacks, now=tomorrow)["listings"] == 1
    assert digest(django_capture_on_commit_callbacks, now=tomorrow)["digests"] == 0
    assert len(mail.outbox) == 2
    assert "Keripik tempe" in mail.outbox[1].body and "Tempe Sanan" not in mail.outbox[1].body
    assert list(
        SavedSearchMatch.objects.order_by("listing_id").values_list("listing_id", flat=True)
    ) == [first.pk, second.pk]
    # Nothing new the day after: no e-mail at all.
    assert digest(django_capture_on_commit_callbacks, now=now + timedelta(days=2)) == {
        "digests": 0,
        "listings": 0,
    }


def test_listings_published_before_the_search_was_saved_are_not_new(
    malang, person, make_listing, django_capture_on_commit_callbacks
):
    make_listing(malang, title="Tempe Sanan")
    save(person)
    assert digest(django_capture_on_commit_callbacks)["digests"] == 0


def test_a_digest_never_holds_unpublished_expired_or_inactive_regions_listings(
    malang, batu, person, staff_user, make_listing, django_capture_on_commit_callbacks
):
    save(person)
    make_listing(malang, ListingStatus.SUBMITTED, title="Tempe menunggu moderasi")
    make_listing(malang, ListingStatus.ARCHIVED, title="Tempe diarsipkan")
    stale = make_listing(malang, title="Tempe kedaluwarsa")
    # Its validity ended behind the index's back: the digest re-reads the listing itself.
    Listing.objects.filter(pk=stale.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    make_listing(batu, title="Tempe Kota Batu")
    region_lifecycle.suspend_tenant(tenant=batu, acting_user=staff_user, reason="Audit BPK")
    good = make_listing(malang, title="Tempe Sanan")
    mail.outbox.clear()
    assert digest(django_capture_on_commit_callbacks)["listings"] == 1
    body = mail.outbox[0].body
    assert "Tempe Sanan" in body and f"/pasar/{good.pk}/" in body
    for title in ("menunggu", "diarsipkan", "kedaluwarsa", "Kota Batu"):
        assert title not in body


def test_the_digest_is_a_daily_job_of_the_scheduler_run_by_the_worker(
    malang, person, make_listing, django_capture_on_commit_callbacks
):
    jobs = {job.task: job.interval for job in schedule.jobs()}
    assert jobs["marketplace.tasks.search_digest_task"] == timedelta(days=1)
    save(person)
    make_listing(malang, title="Tempe Sanan")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = search_digest_task.call()
    assert result == {"digests": 1, "listings": 1} and len(mail.outbox) == 1


def test_more_matches_than_a_page_say_so_with_a_link(
    malang, person, member, make_listing, django_capture_on_commit_callbacks, settings
):
    save(person)
    for i in range(21):
        make_listing(malang, title=f"Tempe {i}")
    mail.outbox.clear()
    assert digest(django_capture_on_commit_callbacks)["listings"] == 20
    assert "More new matches" in mail.outbox[0].body
    assert "/pasar/?q=tempe" in mail.outbox[0].body
