"""The agreements workspace at scale (issue 6): 2,000 agreements in one region, 10 partner regions
sharing some of them (each partner's register links the same shared record), with action plans
and monitoring reports on those being carried out. Measures, at the server (Django's test client,
in process: middleware, views, templates and the database, no network), the register's list
with its filters and the dashboard, p95 over repeated requests, and the queries one page makes.

Runs on the project-owned database; the regions it provisions and every row it wrote are removed
again at the end. Environment: BENCH_AGREEMENTS (default 2000), BENCH_PARTNERS (default 10),
BENCH_ROUNDS (requests per list URL and of the dashboard, default 20).
Prints one JSON object on its last line: agreements, list_p95_ms, dashboard_p95_ms,
queries_per_page (the list's; the dashboard's is dashboard_queries).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import time

from django.db import connection

LIST_QUERIES = [
    "",
    "?kind=ksdpk",
    "?stage=implementation&sort=term_end",
    "?urusan=3.26",
    "?partner=Kabupaten",
    "?year=2026&sort=-title",
    "?expiring=on",
    "?q=Pariwisata&page=3",
]
URUSAN = ["1.01", "1.02", "1.03", "2.11", "2.15", "2.17", "3.26", "3.27", "3.30"]
STAGES = [
    "preparation",
    "offer",
    "ksb_drafting",
    "ksb_signed",
    "pks_drafting",
    "pks_signed",
    "implementation",
    "implementation",
    "monitoring",
    "monitoring",
    "ended",
    "rejected",
]
THEMES = ["Pariwisata", "Air Bersih", "Jalan", "Pertanian", "Pendidikan"]
KINDS = ["ksdd_wajib", "ksdd_sukarela", "ksdpk", "ksdpk", "ksdpk", "sinergi", "ksdpl", "ksdll"]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _generate(main, partners, n: int, rng: random.Random) -> tuple[list[int], int]:
    """The shared records, their parties, and each register's entries; returns the shared
    records' ids (for the clean-up) and how many partners' registers link one."""
    from django_tenants.utils import tenant_context

    from agreements.models import ActionItem, Agreement, MonitoringReport
    from cooperation.models import Cooperation, Party

    today = datetime.date.today()
    coops = []
    for i in range(n):
        kind = rng.choice(KINDS)
        stage = rng.choice(STAGES)
        start = datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), 1)
        end = start + datetime.timedelta(days=rng.choice([365, 730, 1095, 1825]))
        signed = stage not in ("preparation", "offer", "ksb_drafting", "rejected")
        coops.append(
            Cooperation(
                kind=kind,
                title=f"{rng.choice(['KSB', 'PKS'])} {rng.choice(THEMES)} {i}",
                urusan=rng.sample(URUSAN, rng.randint(1, 3)),
                object="Bench",
                term_start=start,
                term_end=end,
                stage=stage,
                signed_on=start if signed else None,
                ksb_signed_on=start if signed else None,
                owner=main,
            )
        )
    coops = Cooperation.objects.bulk_create(coops, batch_size=500)
    parties, shared = [], {p.pk: [] for p in partners}
    for coop in coops:
        parties.append(Party(cooperation=coop, kind="region", region=main.region, name=main.name))
        if coop.kind.startswith("ksdd") and rng.random() < 0.8:
            partner = rng.choice(partners)
            shared[partner.pk].append(coop)
            parties.append(
                Party(
                    cooperation=coop,
                    kind="region",
                    region=partner.region,
                    name=partner.name,
                    position=1,
                )
            )
        else:
            parties.append(
                Party(
                    cooperation=coop,
                    kind="organisation",
                    name=f"PT Mitra {coop.pk % 97}",
                    position=1,
                )
            )
    Party.objects.bulk_create(parties, batch_size=1000)
    with tenant_context(main):
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    cooperation=c, responsible_opd=rng.choice(["Dinas Pariwisata", "Bappeda"])
                )
                for c in coops
            ],
            batch_size=500,
        )
        items, reports = [], []
        for agreement, coop in zip(agreements, coops, strict=True):
            if coop.stage in ("implementation", "monitoring"):
                for k in range(3):
                    items.append(
                        ActionItem(
                            agreement=agreement,
                            activity=f"Kegiatan {k}",
                            owner_opd="Bappeda",
                            due_on=today,
                            status=rng.choice(["planned", "done"]),
                        )
                    )
                if rng.random() < 0.6:
                    reports.append(
                        MonitoringReport(
                            agreement=agreement,
                            year=today.year - 1,
                            semester=2,
                            progress="Bench",
                            recommendation="continue",
                        )
                    )
        ActionItem.objects.bulk_create(items, batch_size=1000)
        MonitoringReport.objects.bulk_create(reports, batch_size=1000)
    for partner in partners:
        with tenant_context(partner):
            Agreement.objects.bulk_create(
                [Agreement(cooperation=c) for c in shared[partner.pk]], batch_size=500
            )
    return [c.pk for c in coops], sum(len(v) for v in shared.values())


def _measure(client, url: str, rounds: int) -> tuple[list[float], int]:
    assert client.get(url).status_code == 200, url  # warm up (templates, plans)
    # Counted at the cursor (Django empties its own query log when a request starts).
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, len(queries)


def main() -> None:
    from allauth.account.models import EmailAddress
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from cms.pages import remove_region_page
    from cooperation.models import Cooperation
    from tenants.models import AuditEvent, Membership, Region, Role, Tenant
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_template, template_missing_migrations

    n = int(os.environ.get("BENCH_AGREEMENTS", "2000"))
    k = int(os.environ.get("BENCH_PARTNERS", "10"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "20"))
    rng = random.Random(6)
    if template_missing_migrations():
        ensure_template()
    regions = list(
        Region.objects.available_for_onboarding()
        .filter(kind__in=["kabupaten", "kota"])
        .order_by("-code")[: k + 1]
    )
    if len(regions) < k + 1:
        raise SystemExit(
            f"Only {len(regions)} regions are free to provision; lower BENCH_PARTNERS."
        )
    created: list[Tenant] = []
    coop_ids: list[int] = []
    user = None
    try:
        for region in regions:
            created.append(provision_region(region=region, acting_user=None))
        main_tenant, partners = created[0], created[1:]
        user = User.objects.create(email="bench-workspace@jejaring.test", full_name="Bench")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        # A TKKSD member reads everything and needs no second factor.
        Membership.objects.create(user=user, tenant=main_tenant, role=Role.TKKSD)
        started = time.perf_counter()
        coop_ids, shared = _generate(main_tenant, partners, n, rng)
        generated_s = time.perf_counter() - started
        connection.set_schema_to_public()
        client = Client(HTTP_HOST=main_tenant.get_primary_domain().domain)
        client.force_login(user)
        base = reverse("agreements:list", urlconf="portal.urls_tenant")
        list_times: list[float] = []
        list_queries: dict[str, int] = {}
        for query in LIST_QUERIES:
            times, count = _measure(client, base + query, rounds)
            list_times += times
            list_queries[query or "(none)"] = count
        try:
            dashboard_url = reverse("agreements:dashboard", urlconf="portal.urls_tenant")
        except NoReverseMatch:
            dashboard_url = None
        dashboard_times, dashboard_queries = (
            _measure(client, dashboard_url, rounds * 3) if dashboard_url else ([], None)
        )
    finally:
        connection.set_schema_to_public()
        for tenant in created:
            remove_region_page(tenant.region)
            tenant.delete(force_drop=True)
        Cooperation.objects.filter(pk__in=coop_ids).delete()
        AuditEvent.objects.filter(tenant_schema__in=[t.schema_name for t in created]).delete()
        if user is not None:
            user.delete()
    print(
        f"{n} agreements ({k} partner regions) generated in {generated_s:.1f} s; list: "
        f"median {statistics.median(list_times):.1f} ms over {len(list_times)} requests, "
        f"queries per filter {list_queries}",
        flush=True,
    )
    print(
        json.dumps(
            {
                "agreements": n,
                "partner_tenants": k,
                "shared_with_partners": shared,
                "list_p95_ms": round(_percentile(list_times, 95), 1),
                "dashboard_p95_ms": (
                    round(_percentile(dashboard_times, 95), 1) if dashboard_times else None
                ),
                "queries_per_page": max(list_queries.values()),
                "dashboard_queries": dashboard_queries,
                "requests": len(list_times) + len(dashboard_times),
            }
        )
    )
