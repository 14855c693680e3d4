"""The registry at scale (issue 19): the facet counts of the whole registry come from the counts
table (models.FacetDelta/FacetTotal, kept by triggers) and equal the counts over the records
themselves; the change feed, with publications no longer queued behind one lock, never lets a
mirror's cursor pass a publication that commits later."""

from __future__ import annotations

import datetime
import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cooperation.models import Cooperation
from public_registry import selectors
from public_registry.models import FacetDelta, FacetTotal, PublishedAgreement
from public_registry.selectors import RegistryFilters

KINDS = ["ksdd_wajib", "ksdd_sukarela", "ksdpk", "sinergi", "ksdll"]
URUSAN = ["3.26", "1.03", "1.01", "2.11"]
REGIONS = ["35.73", "35.79", "35.07", "61.71", "11.01", "35.15"]


def _records(n: int, rng: random.Random, today: datetime.date) -> list[PublishedAgreement]:
    """n published records whose term ends fall on every side of the status boundaries
    (this month before and after today, within the 90 days, later, none, terminated)."""
    ends = [
        None,
        today.replace(day=1),
        today - datetime.timedelta(days=1),
        today,
        today + datetime.timedelta(days=1),
        today + datetime.timedelta(days=90),
        today + datetime.timedelta(days=91),
        today - datetime.timedelta(days=400),
        today + datetime.timedelta(days=800),
    ]
    now = timezone.now()
    records = []
    for i in range(n):
        codes = rng.sample(REGIONS, rng.choice([1, 2]))
        term_end = rng.choice(ends)
        signed = today - datetime.timedelta(days=rng.randint(0, 2000))
        coop = Cooperation.objects.create(
            kind=rng.choice(KINDS),
            title=f"Kerja sama {i}",
            urusan=[rng.choice(URUSAN)],
            stage="implementation",
            signed_on=signed,
        )
        record = PublishedAgreement(
            cooperation=coop,
            title=coop.title,
            kind=coop.kind,
            instrument="ksb",
            urusan=coop.urusan,
            stage="implementation",
            region_codes=codes,
            province_codes=sorted({c[:2] for c in codes}),
            partner_names=["Bank Jatim"] if rng.random() < 0.3 else [],
            signed_on=signed,
            signed_year=signed.year,
            term_start=signed,
            term_end=term_end,
            terminated=rng.random() < 0.1,
            published_at=now,
            modified_at=now,
        )
        record.fill_facet_keys()
        records.append(record)
    return records


def _same_counts(today: datetime.date) -> None:
    counted = selectors.counted_facets(today=today)
    direct = selectors.records_facets(RegistryFilters(), today=today)
    assert counted == direct
    assert sum(counted["status"].values()) == PublishedAgreement.objects.count()


@pytest.mark.django_db
def test_the_counts_table_gives_the_counts_of_the_records_themselves():
    rng = random.Random(19)
    today = timezone.localdate()
    # One at a time (row by row, as publications) and many in one statement (bulk_create).
    for record in _records(15, rng, today):
        record.save()
    PublishedAgreement.objects.bulk_create(_records(60, rng, today))
    # Statuses on other days than today, month boundaries included.
    for day in (today, today.replace(day=1), datetime.date(2026, 3, 31), datetime.date(2026, 1, 1)):
        _same_counts(day)
    # Changes: a kind, an ending, a term moved, regions, deletions.
    records = list(PublishedAgreement.objects.order_by("id"))
    records[0].kind, records[0].terminated = "sinergi", True
    records[1].term_end = today + datetime.timedelta(days=30)
    records[2].region_codes, records[2].province_codes = ["61.71"], ["61"]
    for record in records[:3]:
        record.fill_facet_keys()
        record.save()
    PublishedAgreement.objects.filter(pk__in=[r.pk for r in records[3:8]]).update(terminated=True)
    PublishedAgreement.objects.filter(pk__in=[r.pk for r in records[8:12]]).delete()
    _same_counts(today)
    # Folded into the totals, the same; a change after the fold, still the same.
    assert FacetDelta.objects.exists()
    assert selectors.fold_facets()
    assert not FacetDelta.objects.exists() and FacetTotal.objects.exists()
    _same_counts(today)
    records[12].kind = "ksdpk"
    records[12].fill_facet_keys()
    records[12].save()
    _same_counts(today)
    # The page's counts (regions and partners trimmed the same way) and its total.
    assert selectors.facet_counts(RegistryFilters(), today=today) == selectors.facet_counts(
        RegistryFilters(kind=tuple(KINDS)), today=today
    )


def _direct_pairs(limit: int) -> list[tuple[str, str, int]]:
    """The top pairs counted over the records themselves (what the overview used to run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x.code, y.code, count(DISTINCT a.id) FROM public_registry_publishedagreement a,"
            " unnest(a.region_codes) AS x(code), unnest(a.region_codes) AS y(code)"
            " WHERE x.code < y.code GROUP BY 1, 2 ORDER BY 3 DESC, x.code || '|' || y.code"
            " LIMIT %s",
            [limit],
        )
        return [(a, b, n) for a, b, n in cursor.fetchall()]


def _direct_facet(facet: str) -> list[tuple[str, int]]:
    counts = selectors.records_facets(RegistryFilters(), today=timezone.localdate())[facet]
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))


def _same_pairs() -> None:
    for limit in (1, 3, 20, 100):
        assert selectors.top_pairs(limit) == _direct_pairs(limit), limit
    for facet in ("kind", "urusan", "year"):
        assert selectors.facet_counts_of(facet) == _direct_facet(facet), facet


@pytest.mark.django_db
def test_the_pair_and_facet_counts_equal_the_records_own(django_assert_max_num_queries):
    """The overview's top pairs of regions and its counts by kind, urusan and year come from
    the counts tables (triggers) and equal the counts over the records, before and after a
    fold, through inserts, updates of regions, deletions and duplicated codes."""
    from public_registry.models import PairDelta, PairTotal

    rng = random.Random(7)
    today = timezone.localdate()
    for record in _records(10, rng, today):
        record.save()
    PublishedAgreement.objects.bulk_create(_records(70, rng, today))
    _same_pairs()
    assert PairDelta.objects.exists()
    assert selectors.fold_pairs() and selectors.fold_facets()
    assert not PairDelta.objects.exists() and PairTotal.objects.exists()
    _same_pairs()
    # After the fold: regions changed (pairs move), a record gone, a code given twice.
    records = list(PublishedAgreement.objects.order_by("id"))
    records[0].region_codes = ["35.73", "61.71", "11.01"]
    records[1].region_codes = ["35.73", "35.73", "35.79"]
    records[0].save()
    records[1].save()
    PublishedAgreement.objects.filter(pk__in=[r.pk for r in records[2:6]]).delete()
    PublishedAgreement.objects.filter(pk__in=[r.pk for r in records[6:12]]).update(
        region_codes=["35.07", "35.15"]
    )
    _same_pairs()
    # Bounded: the top pairs read the totals' index and the pending changes, in one query.
    with django_assert_max_num_queries(2):
        selectors.top_pairs(20)


@pytest.mark.django_db
def test_the_unfiltered_list_reads_the_counts_table_not_the_records(client):
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    PublishedAgreement.objects.bulk_create(_records(20, random.Random(3), today))
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.facet_counts(RegistryFilters(), today=today)
    assert sum(counts["status"].values()) == 20
    reads = [q["sql"] for q in queries if "public_registry_publishedagreement" in q["sql"]]
    # Only the live records ending around today (the status's boundary months), by index.
    assert len(reads) == 1 and "term_end" in reads[0] and "facet_keys" not in reads[0]


def _feed(position):
    records = selectors.changes_after(position, limit=100)
    return list(records.values_list("feed_xid", "feed_seq", "id"))


def _publish_in_thread(coop, started: threading.Event, release: threading.Event, out: dict):
    """Publishes one record in its own connection's transaction; commits once `release`."""
    try:
        with transaction.atomic():
            now = timezone.now()
            record = PublishedAgreement(
                cooperation=coop,
                title=coop.title,
                kind=coop.kind,
                instrument="ksb",
                urusan=coop.urusan,
                stage="implementation",
                signed_on=coop.signed_on,
                signed_year=coop.signed_on.year,
                published_at=now,
                modified_at=now,
            )
            record.fill_facet_keys()
            record.save()
            out["id"] = record.pk
            started.set()
            assert release.wait(60)
    finally:
        started.set()
        connection.close()


def test_a_publication_that_commits_late_is_never_skipped_by_a_feed_reader(committed_platform):
    """Two publications at once, the first to start committing last: a reader following the
    cursor in between never passes the late one (with transaction ids as the order and no
    lock, a reader that served the early committer first would skip it)."""
    today = timezone.localdate()
    coops = [
        Cooperation.objects.create(
            kind="ksdpk",
            title=f"Kerja sama {name}",
            urusan=["3.26"],
            stage="implementation",
            signed_on=today,
            term_start=today,
        )
        for name in ("lambat", "cepat")
    ]
    late_started, late_release, late = threading.Event(), threading.Event(), {}
    early_started, early_release, early = threading.Event(), threading.Event(), {}
    slow = threading.Thread(
        target=_publish_in_thread, args=(coops[0], late_started, late_release, late)
    )
    slow.start()
    assert late_started.wait(60)
    fast = threading.Thread(
        target=_publish_in_thread, args=(coops[1], early_started, early_release, early)
    )
    fast.start()
    assert early_started.wait(60)
    early_release.set()
    fast.join(60)
    # The second publication is committed; the first, which started earlier, is not.
    assert PublishedAgreement.objects.filter(pk=early["id"]).exists()
    assert not PublishedAgreement.objects.filter(pk=late["id"]).exists()
    served: list[int] = []
    position = None
    page = _feed(position)
    assert early["id"] not in [pk for _xid, _seq, pk in page]
    for xid, seq, pk in page:
        served.append(pk)
        position = (xid, seq)
    late_release.set()
    slow.join(60)
    # Both committed: following the cursor serves both (other sessions' transactions on the
    # cluster may hold the feed back for a moment: it waits, it never skips).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not {late["id"], early["id"]} <= set(served):
        for xid, seq, pk in _feed(position):
            served.append(pk)
            position = (xid, seq)
        time.sleep(0.2)
    assert {late["id"], early["id"]} <= set(served)
    assert served.index(late["id"]) < served.index(early["id"])


def _renew_and_hold(codes, renewed: threading.Event, release: threading.Event) -> None:
    from public_registry import cache

    try:
        with transaction.atomic():
            cache.changed_on_commit(codes)
            renewed.set()
            assert release.wait(20)
    finally:
        renewed.set()
        connection.close()


def test_publications_of_two_regions_do_not_wait_for_each_others_cache_renewal(
    committed_platform,
):
    """Every publication renews the "registry" generation in its transaction; with the
    database cache that row stays locked until the commit. A second region's publication gives
    up on it after a moment instead of queueing behind the first until it commits (and renews
    it again after its own commit, when the first has committed)."""
    from django.core.cache import caches

    from public_registry import cache

    assert "DatabaseCache" in type(caches["default"]).__name__
    cache.bump()  # every generation exists (the renewals below update rows)
    renewed, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_renew_and_hold, args=(["35.73"], renewed, release))
    holder.start()
    try:
        assert renewed.wait(60)
        started, committed = time.monotonic(), []

        def at_commit():
            committed.append(time.monotonic())
            release.set()  # the other publication commits now (its renewal after it)

        with transaction.atomic():
            transaction.on_commit(at_commit)
            cache.changed_on_commit(["35.79"])
        waited = committed[0] - started
    finally:
        release.set()
        holder.join(60)
    assert waited < 3, waited
    # After both commits, each scope has moved on from what the holder's transaction saw.
    before = cache.generation()
    with transaction.atomic():
        cache.changed_on_commit(["35.79"])
    assert cache.generation() != before
