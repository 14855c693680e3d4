"""The public registry at scale (issues 8 and 19): 110,000 published agreements (552 regions x
200) across every province, kabupaten and kota (generated straight into the registry's tables,
as publication would leave them, and removed again at the end). Measures, at the server
(Django's test client, in process: middleware, views, templates, the database and the cache, no
network), p95 over repeated requests:

- the public list with its filters and facet counts, uncached (the cache's generation is moved
  on before every request, as a publication does);
- the detail page of random agreements, uncached;
- the list again, served from the cache;
- publications from many regions at once: one signed agreement per region (552), each
  published by `publishing.publish` in its own transaction, BENCH_PUBLISHERS threads at a time
  (each its own connection), all released together; then the same with the former
  platform-wide advisory lock taken first in each transaction, for comparison.

Environment: BENCH_AGREEMENTS (or BENCH_PUBLISHED; default 110000), BENCH_ROUNDS (requests per
list URL, default 10), BENCH_PUBLISHERS (threads, default 64), BENCH_PUBLISHING_REGIONS
(default 552). Prints one JSON object on its last line: agreements, list_p95_ms,
detail_p95_ms, cached_list_p95_ms, publish_* (and the medians, and the queries of an uncached
list page).
"""

from __future__ import annotations

import datetime
import json
import os
import queue
import random
import statistics
import threading
import time
from dataclasses import astuple, dataclass

from django.db import connection, transaction

LIST_QUERIES = [
    "",
    "?status=in_force",
    "?status=expiring&sort=term_end",
    "?province=35",
    "?region=35.73",
    "?kind=ksdpk&year=2024",
    "?urusan=3.26&status=expired",
    "?q=pariwisata",
    "?q=air+bersih&province=61",
    "?q=kabupaten",
    "?partner=Bank+Jatim",
    "?sort=title&page=40",
]
THEMES = [
    ("Pariwisata", "3.26"),
    ("Air Bersih", "1.03"),
    ("Jalan Antarwilayah", "1.03"),
    ("Pertanian", "3.27"),
    ("Pendidikan", "1.01"),
    ("Kesehatan", "1.02"),
    ("Persampahan", "2.11"),
    ("UMKM", "2.17"),
    ("Perhubungan", "2.15"),
    ("Perikanan", "3.25"),
]
KINDS = ["ksdd_wajib", "ksdd_sukarela", "ksdd_sukarela", "ksdpk", "ksdpk", "sinergi", "ksdll"]
PARTNERS = ["Bank Jatim", "Universitas Brawijaya", "PT Telkom Indonesia", "Kementerian PUPR"]
BATCH = 5000


@dataclass(frozen=True)
class Plan:
    urusan: str
    kind: str
    owner: str
    partner_region: str
    signed: datetime.date
    term_end: datetime.date
    terminated: bool
    partner: str | None
    title: str


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _generate(n: int, rng: random.Random) -> list[int]:
    """n signed shared records with their published record, first version and one document's
    fingerprint (no file: as if withheld). Returns the shared records' ids."""
    from cooperation.models import Cooperation
    from public_registry.models import PublishedAgreement, PublishedDocument, PublishedVersion
    from public_registry.selectors import SEARCH_CONFIG
    from tenants.models import Region

    regions = list(Region.objects.autonomous().values_list("code", "name", "kind"))
    names = {
        code: (f"Provinsi {name}" if kind == "provinsi" else name) for code, name, kind in regions
    }
    codes = [code for code, _name, _kind in regions]
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    coop_ids: list[int] = []
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        plans = []
        for _ in range(size):
            theme, urusan = rng.choice(THEMES)
            kind = rng.choice(KINDS)
            owner = rng.choice(codes)
            partner_region = rng.choice(codes)
            signed = today - datetime.timedelta(days=rng.randint(0, 365 * 8))
            term_end = signed + datetime.timedelta(days=rng.choice([365, 730, 1095, 1825]))
            terminated = rng.random() < 0.04
            partner = rng.choice(PARTNERS) if kind in ("ksdpk", "sinergi", "ksdll") else None
            title = f"{'PKS' if rng.random() < 0.5 else 'KSB'} {theme} {names[owner]}"
            plans.append(
                Plan(
                    urusan,
                    kind,
                    owner,
                    partner_region,
                    signed,
                    term_end,
                    terminated,
                    partner,
                    title,
                )
            )
        coops = Cooperation.objects.bulk_create(
            Cooperation(
                kind=p.kind,
                title=p.title,
                urusan=[p.urusan],
                stage="implementation",
                signed_on=p.signed,
                ksb_signed_on=p.signed,
                term_start=p.signed,
                term_end=p.term_end,
            )
            for p in plans
        )
        coop_ids += [c.pk for c in coops]
        records = []
        for coop, p in zip(coops, plans, strict=True):
            urusan, kind, owner, partner_region, signed, term_end, terminated, partner, title = (
                astuple(p)
            )
            region_codes = [owner] if partner else [owner, partner_region]
            parties = [names[c] for c in region_codes] + ([partner] if partner else [])
            records.append(
                PublishedAgreement(
                    cooperation=coop,
                    title=title,
                    kind=kind,
                    instrument="ksb",
                    urusan=[urusan],
                    stage="ended" if terminated else "implementation",
                    owner_region_id=owner,
                    region_codes=region_codes,
                    province_codes=sorted({c[:2] for c in region_codes}),
                    partner_names=[partner] if partner else [],
                    parties_text=" · ".join(parties),
                    signed_on=signed,
                    signed_year=signed.year,
                    term_start=signed,
                    term_end=term_end,
                    terminated=terminated,
                    end_reason="terminated" if terminated else "",
                    ended_on=today if terminated else None,
                    document_count=1,
                    version=1,
                    source_version=1,
                    published_at=now,
                    modified_at=now,
                )
            )
        for record in records:
            record.fill_facet_keys()
        records = PublishedAgreement.objects.bulk_create(records)
        PublishedVersion.objects.bulk_create(
            PublishedVersion(
                record=r,
                number=1,
                reason="sign_ksb",
                published_at=now,
                snapshot={
                    "title": r.title,
                    "kind": r.kind,
                    "instrument": "ksb",
                    "urusan": r.urusan,
                    "stage": r.stage,
                    "object": f"Kerja sama {r.title}",
                    "scope": "",
                    "purpose": "",
                    "legal_basis": "PP 28/2018",
                    "funding_source": "APBD",
                    "term_start": r.term_start.isoformat(),
                    "term_end": r.term_end.isoformat(),
                    "signed_on": r.signed_on.isoformat(),
                    "signing_place": "",
                    "signing_mode": "",
                    "end_reason": r.end_reason,
                    "ended_on": None,
                    "closing_note": "",
                    "parties": [
                        {
                            "kind": "region",
                            "name": name,
                            "region": None,
                            "details": "",
                            "document_number": "",
                            "signatory_name": "",
                            "signatory_position": "",
                            "signatory_authority": "",
                        }
                        for name in r.parties_text.split(" · ")
                    ],
                    "documents": [],
                    "relations": {"parent": None, "amends": None, "renews": None},
                    "withheld": {"fields": [], "documents": True, "reason": "bench"},
                },
            )
            for r in records
        )
        PublishedDocument.objects.bulk_create(
            PublishedDocument(
                record=r,
                source_id=0,
                instrument="ksb",
                signed_on=r.signed_on,
                original_name="ksb.pdf",
                size=1000,
                sha256=f"{r.pk:064x}",
                published_at=now,
            )
            for r in records
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public_registry_publishedagreement SET search = "
            "setweight(to_tsvector(%s::regconfig, title), 'A') || "
            "setweight(to_tsvector(%s::regconfig, parties_text), 'B') "
            "WHERE cooperation_id = ANY(%s)",
            [SEARCH_CONFIG, SEARCH_CONFIG, coop_ids],
        )
        cursor.execute("ANALYZE public_registry_publishedagreement")
    return coop_ids


def _remove(coop_ids: list[int]) -> None:
    from cooperation.models import Cooperation
    from public_registry.models import PublishedAgreement

    with transaction.atomic(), connection.cursor() as cursor:
        # Published versions are immutable (a trigger); the benchmark's own, and only they, go.
        cursor.execute(
            "ALTER TABLE public_registry_publishedversion "
            "DISABLE TRIGGER public_registry_version_immutable"
        )
        records = PublishedAgreement.objects.filter(cooperation_id__in=coop_ids)
        cursor.execute(
            "DELETE FROM public_registry_publishedversion WHERE record_id IN "
            "(SELECT id FROM public_registry_publishedagreement WHERE cooperation_id = ANY(%s))",
            [coop_ids],
        )
        cursor.execute(
            "ALTER TABLE public_registry_publishedversion "
            "ENABLE TRIGGER public_registry_version_immutable"
        )
        records.delete()
        Cooperation.objects.filter(pk__in=coop_ids).delete()


def _timed(client, url: str, before=None) -> float:
    if before is not None:
        before()
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


# The former publishing lock (pg_advisory_xact_lock), for the comparison only.
FORMER_LOCK = 0x70756272


def _publishable(codes: list[str], rng: random.Random) -> list[int]:
    """One signed, not yet published agreement per region in `codes` (the region a party)."""
    from cooperation.models import Cooperation, Party
    from tenants.models import Region

    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    today = datetime.date.today()
    coops = Cooperation.objects.bulk_create(
        Cooperation(
            kind="ksdpk",
            title=f"KSB Pariwisata {names[code]} (bench)",
            urusan=["3.26"],
            stage="implementation",
            signed_on=today,
            ksb_signed_on=today,
            term_start=today,
            term_end=today + datetime.timedelta(days=rng.choice([365, 730])),
        )
        for code in codes
    )
    Party.objects.bulk_create(
        Party(cooperation=coop, position=0, kind="region", region_id=code, name=names[code])
        for coop, code in zip(coops, codes, strict=True)
    )
    return [coop.pk for coop in coops]


def _publish_concurrently(coop_ids: list[int], threads: int, *, former_lock: bool) -> dict:
    """Publishes each agreement in its own transaction from `threads` threads (each its own
    connection), all started together. Returns the seconds, publications per second and the
    p95 of one publication."""
    from django.db import connections

    from cooperation.models import Cooperation
    from public_registry import publishing

    work: queue.Queue = queue.Queue()
    for pk in coop_ids:
        work.put(pk)
    barrier = threading.Barrier(threads + 1)
    times: list[float] = []
    errors: list[str] = []

    def run() -> None:
        try:
            connection.set_schema_to_public()
            connection.ensure_connection()
            barrier.wait()
            while True:
                try:
                    pk = work.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        if former_lock:
                            with connection.cursor() as cursor:
                                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FORMER_LOCK])
                        publishing.publish(Cooperation.objects.get(pk=pk), reason="sign_ksb")
                except Exception as error:  # noqa: BLE001 - counted and reported
                    errors.append(repr(error)[:200])
                times.append((time.perf_counter() - started) * 1000)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "per_s": round(len(coop_ids) / seconds, 1),
        "p95_ms": round(_percentile(times, 95), 1) if times else None,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def _publications(rng: random.Random, extra_coops: list[int]) -> dict:
    from public_registry.models import PublishedAgreement
    from tenants.models import Region

    regions = int(os.environ.get("BENCH_PUBLISHING_REGIONS", "552"))
    threads = int(os.environ.get("BENCH_PUBLISHERS", "64"))
    codes = list(Region.objects.autonomous().order_by("code").values_list("code", flat=True))
    codes = codes[:regions]
    figures = {"regions": len(codes), "threads": threads}
    for name, former in (("no_lock", False), ("former_lock", True)):
        ids = _publishable(codes, rng)
        extra_coops += ids
        figures[name] = _publish_concurrently(ids, threads, former_lock=former)
        published = PublishedAgreement.objects.filter(cooperation_id__in=ids).count()
        figures[name]["published"] = published
    return figures


def _explain() -> None:
    """BENCH_EXPLAIN=1: each list URL's page query and facet query, EXPLAIN ANALYZE (timings
    and plans' first lines)."""
    from django.http import QueryDict

    from public_registry import selectors

    for query in LIST_QUERIES:
        params = QueryDict(query.lstrip("?"))
        filters = selectors.filters_from(params)
        sort = selectors.sort_from(params)
        page = int(params.get("page") or 1)
        offset = (page - 1) * selectors.PAGE_SIZE
        rows = selectors.published(filters).order_by(*selectors.SORTS[sort])
        rows = rows.values(*selectors.LIST_FIELDS)[offset : offset + selectors.PAGE_SIZE]
        sql, sql_params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sql_params)
            plan = [line for (line,) in cursor.fetchall()]
        started = time.perf_counter()
        selectors.facet_counts(filters)
        facets_ms = (time.perf_counter() - started) * 1000
        print(f"-- {query or '(none)'}: facets {facets_ms:.1f} ms; page query:", flush=True)
        for line in plan[:6] + plan[-2:]:
            print("   " + line, flush=True)


def main() -> None:
    from django.conf import settings
    from django.test import Client

    from public_registry import cache
    from public_registry.models import PublishedAgreement

    n = int(os.environ.get("BENCH_AGREEMENTS") or os.environ.get("BENCH_PUBLISHED") or 110_000)
    rounds = int(os.environ.get("BENCH_ROUNDS", "10"))
    rng = random.Random(8)
    coop_ids: list[int] = []
    extra_coops: list[int] = []
    try:
        started = time.perf_counter()
        coop_ids = _generate(n, rng)
        generated_s = time.perf_counter() - started
        client = Client(HTTP_HOST=settings.JEJARING_BASE_DOMAIN)
        for query in LIST_QUERIES:  # warm up: templates, plans
            _timed(client, "/kerja-sama/" + query, cache.bump)
        if os.environ.get("BENCH_EXPLAIN"):
            _explain()
        queries: list[str] = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        cache.bump()
        with connection.execute_wrapper(count):
            client.get("/kerja-sama/?status=in_force&province=35")
        list_times = [
            _timed(client, "/kerja-sama/" + query, cache.bump)
            for _ in range(rounds)
            for query in LIST_QUERIES
        ]
        for query in LIST_QUERIES:  # fill the cache under the current generation
            _timed(client, "/kerja-sama/" + query)
        cached_times = [
            _timed(client, "/kerja-sama/" + query) for _ in range(rounds) for query in LIST_QUERIES
        ]
        ids = list(
            PublishedAgreement.objects.filter(cooperation_id__in=coop_ids).values_list(
                "pk", flat=True
            )
        )
        detail_times = [
            _timed(client, f"/kerja-sama/{pk}/", cache.bump)
            for pk in rng.sample(ids, min(len(ids), rounds * len(LIST_QUERIES)))
        ]
        publishing = _publications(rng, extra_coops)
    finally:
        connection.set_schema_to_public()
        if coop_ids or extra_coops:
            _remove(coop_ids + extra_coops)
        cache.bump()
    print(
        f"{n} published agreements generated in {generated_s:.1f} s; list median "
        f"{statistics.median(list_times):.1f} ms, detail median "
        f"{statistics.median(detail_times):.1f} ms, cached list median "
        f"{statistics.median(cached_times):.1f} ms; {publishing['regions']} regions publishing "
        f"at once ({publishing['threads']} threads): {publishing['no_lock']['seconds']} s without "
        f"a lock, {publishing['former_lock']['seconds']} s with the former one",
        flush=True,
    )
    print(
        json.dumps(
            {
                "agreements": n,
                "list_p95_ms": round(_percentile(list_times, 95), 1),
                "detail_p95_ms": round(_percentile(detail_times, 95), 1),
                "cached_list_p95_ms": round(_percentile(cached_times, 95), 1),
                "list_median_ms": round(statistics.median(list_times), 1),
                "detail_median_ms": round(statistics.median(detail_times), 1),
                "cached_list_median_ms": round(statistics.median(cached_times), 1),
                "list_queries": len(queries),
                "publish_regions": publishing["regions"],
                "publish_threads": publishing["threads"],
                "publish_s": publishing["no_lock"]["seconds"],
                "publish_per_s": publishing["no_lock"]["per_s"],
                "publish_p95_ms": publishing["no_lock"]["p95_ms"],
                "publish_errors": publishing["no_lock"]["errors"],
                "publish_published": publishing["no_lock"]["published"],
                "former_lock_publish_s": publishing["former_lock"]["seconds"],
                "former_lock_publish_per_s": publishing["former_lock"]["per_s"],
                "former_lock_publish_p95_ms": publishing["former_lock"]["p95_ms"],
                "former_lock_publish_errors": publishing["former_lock"]["errors"],
                "first_publish_error": publishing["no_lock"]["first_error"]
                or publishing["former_lock"]["first_error"],
                "loadavg": open("/proc/loadavg").read().split()[:3],  # noqa: SIM115
            }
        )
    )
