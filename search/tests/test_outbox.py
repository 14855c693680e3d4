"""The outbox: every write leaves its index work in the same transaction; the worker applies
it to the search server, retries with a growing delay while the server is down, and a rebuild
from scratch restores everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from search import index
from search.models import IndexTask, SearchDocument

pytestmark = pytest.mark.django_db


class FlakyBackend:
    name = "fake"

    def __init__(self, fail: bool):
        self.fail = fail
        self.upserts, self.deletions = [], []

    def apply(self, *, upserts, deletions):
        if self.fail:
            raise ConnectionError("connection refused")
        self.upserts += [d.object_id for d in upserts]
        self.deletions += list(deletions)


def test_retries_with_backoff_while_the_server_is_down_then_applies(malang, make_listing):
    listing = make_listing(malang)
    task = IndexTask.objects.get(object_id=listing.pk)
    now = timezone.now()
    assert index.apply_outbox(now=now, backend=FlakyBackend(fail=True)) == {
        "applied": 0,
        "failed": 1,
    }
    task.refresh_from_db()
    assert (task.attempts, task.done_at) == (1, None)
    assert task.next_attempt_at == now + timedelta(seconds=10)
    assert "connection refused" in task.last_error
    # Not due yet: nothing is tried.
    assert index.apply_outbox(now=now + timedelta(seconds=5), backend=FlakyBackend(fail=True)) == {
        "applied": 0,
        "failed": 0,
    }
    index.apply_outbox(now=now + timedelta(seconds=11), backend=FlakyBackend(fail=True))
    task.refresh_from_db()
    assert task.attempts == 2
    assert task.next_attempt_at == now + timedelta(seconds=11) + timedelta(seconds=20)
    server = FlakyBackend(fail=False)
    assert index.apply_outbox(now=now + timedelta(minutes=5), backend=server) == {
        "applied": 1,
        "failed": 0,
    }
    assert server.upserts == [listing.pk]
    task.refresh_from_db()
    assert task.done_at is not None


def test_the_delay_grows_to_an_hour_at_most():
    assert [index.retry_delay(n).total_seconds() for n in (1, 2, 3, 10, 30)] == [
        10,
        20,
        40,
        3600,
        3600,
    ]


def test_an_unpublished_object_is_deleted_from_the_server(malang, member, make_listing):
    from marketplace import actions
    from tenants.models import Membership, Role

    listing = make_listing(malang)
    admin = Membership.objects.get(user=member(malang, Role.ADMIN), tenant=malang)
    actions.archive_listing(membership=admin, listing=listing)
    server = FlakyBackend(fail=False)
    index.apply_outbox(backend=server)
    assert (server.upserts, server.deletions) == ([], [("listing", listing.pk)])


def test_a_rolled_back_write_leaves_no_index_work(malang, make_listing):
    from django.db import transaction

    class RolledBack(Exception):
        pass

    # (Not RuntimeError: that is what a top-level action raises inside a caller's transaction.)
    with pytest.raises(RolledBack), transaction.atomic():
        make_listing(malang, inner=True)
        raise RolledBack
    assert not IndexTask.objects.exists()
    assert not SearchDocument.objects.exists()


def test_reindex_rebuilds_from_scratch(malang, make_listing, capsys):
    listing = make_listing(malang)
    make_listing(malang, status="draft")
    SearchDocument.objects.all().delete()
    call_command("reindex")
    assert list(SearchDocument.objects.values_list("object_id", flat=True)) == [listing.pk]
    assert "postgresql: 1" in capsys.readouterr().out
    assert not IndexTask.objects.pending().exists()
