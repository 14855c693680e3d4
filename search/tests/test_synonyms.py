"""Synonyms as data the office or staff extend: platform staff on the platform and a region's
office on its subdomain list, add and remove groups (validated); an office removes only the
groups its region added, staff any; a change counts in the PostgreSQL backend's next search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from search import synonyms
from search.api import build_request, search_listings
from search.models import Synonym
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db

PUBLIC = "portal.urls_public"
REGION = "portal.urls_tenant"


def platform_url(name, *args):
    return reverse(f"marketplace:{name}", args=args, urlconf=PUBLIC)


def region_url(name, *args):
    return reverse(f"marketplace_region:{name}", args=args, urlconf=REGION)


def office(member, tenant):
    user = member(tenant, Role.ADMIN)
    return user, Membership.objects.select_related("tenant").get(user=user, tenant=tenant)


def titles(text):
    return search_listings(build_request(text=text)).total


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("tempe", "synonym_too_few_terms"),
        ("tempe, ", "synonym_too_few_terms"),
        ("tempe, Tempe", "synonym_duplicate_term"),
        ("tempé, tempe", "synonym_duplicate_term"),
        ("a, tempe", "synonym_term_length"),
        ("x" * 41 + ", tempe", "synonym_term_length"),
        ("tem*pe, tempeh", "synonym_term_characters"),
        ("tempe OR 1=1, tempeh", "synonym_term_characters"),
        (", ".join(f"kata{i}" for i in range(11)), "synonym_too_many_terms"),
        ("tempeh, tempe", "synonym_duplicate_group"),  # the seeded group, in another order
    ],
)
def test_a_group_is_validated_with_a_clear_code(staff_user, words, code):
    with pytest.raises(Exception) as refused:
        synonyms.add_synonym_group(user=staff_user, words=words)
    assert refused.value.error_dict["words"][0].code == code


def test_an_added_group_counts_in_the_next_search_and_a_removed_one_stops(
    malang, member, make_listing
):
    make_listing(malang, title="Bandeng asap", description="Bandeng asap khas Sidoarjo.")
    assert titles("milkfish") == 0
    user, membership = office(member, malang)
    group = synonyms.add_synonym_group(
        user=user, membership=membership, words=" Bandeng ,  milkfish,ikan bandeng"
    )
    assert group.words == "bandeng, milkfish, ikan bandeng"
    assert (group.tenant, group.created_by) == (malang, user)
    assert titles("milkfish") == 1  # no reindex
    event = AuditEvent.objects.get(action="synonym.saved")
    assert (event.tenant, event.actor, event.data) == (malang, user, {"words": group.words})
    synonyms.remove_synonym_group(user=user, membership=membership, synonym=group)
    assert titles("milkfish") == 0
    assert AuditEvent.objects.filter(action="synonym.removed", tenant=malang).exists()


def test_an_office_removes_only_its_own_groups_staff_any(malang, batu, member, staff_user):
    user, membership = office(member, malang)
    other, other_membership = office(member, batu)
    mine = synonyms.add_synonym_group(user=user, membership=membership, words="apel, apple")
    theirs = synonyms.add_synonym_group(
        user=other, membership=other_membership, words="jeruk, orange"
    )
    platform = Synonym.objects.get(words="tempe, tempeh")  # the platform's (seeded)
    for group in (theirs, platform):
        with pytest.raises(Exception) as refused:
            synonyms.remove_synonym_group(user=user, membership=membership, synonym=group)
        assert refused.value.code == "synonym_not_allowed"
    synonyms.remove_synonym_group(user=staff_user, synonym=theirs)
    synonyms.remove_synonym_group(user=staff_user, synonym=platform)
    assert set(Synonym.objects.filter(pk__in=[mine.pk, theirs.pk, platform.pk])) == {mine}


def test_other_roles_cannot_add(malang, member):
    for role in (Role.TKKSD, Role.OPD, Role.VIEWER):
        user = member(malang, role)
        membership = Membership.objects.get(user=user)
        with pytest.raises(Exception) as refused:
            synonyms.add_synonym_group(user=user, membership=membership, words="apel, apple")
        assert refused.value.code == "synonym_not_allowed"


def test_a_suspended_regions_office_cannot_add(malang, member, staff_user):
    from tenants import region_lifecycle

    user, membership = office(member, malang)
    region_lifecycle.suspend_tenant(tenant=malang, acting_user=staff_user, reason="Audit")
    membership = Membership.objects.select_related("tenant").get(pk=membership.pk)
    with pytest.raises(Exception) as refused:
        synonyms.add_synonym_group(user=user, membership=membership, words="apel, apple")
    assert refused.value.code == "synonym_not_allowed"


# --- The pages ---------------------------------------------------------------------------------


def test_the_office_lists_adds_and_removes_on_its_subdomain(malang, member, client_for):
    user, _ = office(member, malang)
    client = client_for(malang, user)
    page = client.get(region_url("synonyms"))
    assert page.status_code == 200
    assert "tempe, tempeh" in page.content.decode()
    bad = client.post(region_url("synonyms"), {"words": "apel"})
    assert bad.status_code == 400
    assert "at least two words" in bad.content.decode()
    assert client.post(region_url("synonyms"), {"words": "apel, apple"}).status_code == 302
    group = Synonym.objects.get(words="apel, apple")
    html = client.get(region_url("synonyms")).content.decode()
    assert "Kota Malang" in html and user.email in html  # who added it
    # Its own group has a remove button; the platform's does not.
    assert region_url("synonym_remove", group.pk) in html
    seeded = Synonym.objects.get(words="tempe, tempeh")
    assert region_url("synonym_remove", seeded.pk) not in html
    assert client.post(region_url("synonym_remove", seeded.pk)).status_code == 403
    assert client.post(region_url("synonym_remove", group.pk)).status_code == 302
    assert not Synonym.objects.filter(pk=group.pk).exists()


def test_other_roles_and_other_regions_are_refused_on_the_subdomain(
    malang, batu, member, client_for
):
    group = synonyms.add_synonym_group(
        user=member(malang, Role.ADMIN),
        membership=Membership.objects.select_related("tenant").get(tenant=malang, role=Role.ADMIN),
        words="apel, apple",
    )
    viewer = client_for(malang, member(malang, Role.OPD))
    assert viewer.get(region_url("synonyms")).status_code == 403
    assert viewer.post(region_url("synonym_remove", group.pk)).status_code == 403
    stranger = client_for(malang, member(batu, Role.ADMIN))  # Kota Batu's office at Malang
    assert stranger.get(region_url("synonyms")).status_code == 404
    # Kota Batu's office on its own subdomain sees the list, but cannot remove Malang's group.
    batu_office = client_for(batu, Membership.objects.get(tenant=batu).user)
    assert batu_office.get(region_url("synonyms")).status_code == 200
    assert batu_office.post(region_url("synonym_remove", group.pk)).status_code == 403
    assert Synonym.objects.filter(pk=group.pk).exists()


def test_staff_manage_every_group_on_the_platform(malang, member, staff_user, client_for):
    group = synonyms.add_synonym_group(
        user=member(malang, Role.ADMIN),
        membership=Membership.objects.select_related("tenant").get(tenant=malang, role=Role.ADMIN),
        words="apel, apple",
    )
    client = client_for(None, staff_user)
    assert client.post(platform_url("synonyms"), {"words": "durian, durio"}).status_code == 302
    added = Synonym.objects.get(words="durian, durio")
    assert added.tenant is None and added.created_by == staff_user
    html = client.get(platform_url("synonyms")).content.decode()
    assert "Platform" in html and platform_url("synonym_remove", group.pk) in html
    assert client.post(platform_url("synonym_remove", group.pk)).status_code == 302
    assert client.post(platform_url("synonym_remove", 999999)).status_code == 404
    for user in (member(malang, Role.ADMIN), None):
        other = client_for(None, user)
        response = other.get(platform_url("synonyms"))
        assert response.status_code in (302, 403)
        assert other.post(platform_url("synonyms"), {"words": "a1, b1"}).status_code in (302, 403)
    assert not Synonym.objects.filter(words="a1, b1").exists()


def test_with_elasticsearch_a_change_enqueues_a_rebuild_after_the_commit(
    settings, staff_user, django_capture_on_commit_callbacks
):
    """Elasticsearch fixes its analyzers at index creation: a change queues a rebuild (the
    worker runs it; here the queue only records it)."""
    from django_tasks import default_task_backend

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        group = synonyms.add_synonym_group(user=staff_user, words="durian, durio")
    assert default_task_backend.results == []  # nothing before the commit
    for callback in callbacks:
        callback()
    queued = [r.task.name for r in default_task_backend.results]
    assert queued == ["rebuild_for_synonyms_task"]
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        synonyms.remove_synonym_group(user=staff_user, synonym=group)
    assert [r.task.name for r in default_task_backend.results] == ["rebuild_for_synonyms_task"]


def test_the_synonym_actions_never_run_inside_a_callers_transaction(staff_user):
    """Top-level actions (core.actions.top_level): the Elasticsearch rebuild follows their own
    commit, so inside a caller's transaction they refuse and write nothing."""
    from django.db import transaction

    with transaction.atomic():
        with pytest.raises(RuntimeError, match="durable"):
            synonyms.add_synonym_group(user=staff_user, words="ikan, iwak")
        group = synonyms.add_synonym_group.inner(user=staff_user, words="ikan, iwak")
        with pytest.raises(RuntimeError, match="durable"):
            synonyms.remove_synonym_group(user=staff_user, synonym=group)
    assert Synonym.objects.filter(pk=group.pk).exists()
