"""Who reads which agreement, at scale (issue 6): 2,000 agreements in one region (bench/workspace's
generator), a tenth of them concerning one kecamatan or a desa in it, fifty given to one DPRD
member. Measures at the server (Django's test client, in process) the register's list, its CSV
export and the dashboard for a camat and a viewer, whose rows go through
agreements.policy.readable_agreements (GIN-indexed array filters), against a TKKSD member who reads
the whole register: p95 over repeated requests and the queries each page makes.

Runs on the project-owned database; the regions it provisions and every row it wrote are removed
again at the end. Environment: BENCH_AGREEMENTS (default 2000), BENCH_ROUNDS (default 20).
Prints one JSON object on its last line: for each of tkksd, camat, viewer: rows_seen,
list_p95_ms, export_p95_ms, dashboard_p95_ms, list_queries, export_queries, dashboard_queries.
"""

from __future__ import annotations

import json
import os
import random

from django.db import connection

from bench.workspace import _generate, _measure, _percentile

KECAMATAN = "kecamatan"


def scope_register(tenant, *, viewer_pk: int, dossiers: int, rng: random.Random) -> str:
    """A tenth of the register concerns a kecamatan of `tenant` or a desa in it; `dossiers`
    agreements are the viewer's. Returns the kecamatan's code."""
    from django_tenants.utils import tenant_context

    from agreements.models import Agreement
    from tenants.models import Region

    kecamatan = Region.objects.within(tenant.region).filter(kind=KECAMATAN).order_by("code").first()
    villages = list(Region.objects.within(kecamatan).values_list("code", flat=True)) or [
        kecamatan.code
    ]
    with tenant_context(tenant):
        pks = list(Agreement.objects.values_list("pk", flat=True))
        rows = Agreement.objects.in_bulk(pks)
        for pk in rng.sample(pks, len(pks) // 10):
            rows[pk].areas = [rng.choice([kecamatan.code, *villages])]
        for pk in rng.sample(pks, dossiers):
            rows[pk].dossier_members = [viewer_pk]
        Agreement.objects.bulk_update(rows.values(), ["areas", "dossier_members"], batch_size=500)
    return kecamatan.code


def measure(client, rounds: int) -> dict:
    from django.urls import reverse

    def url(name, *args):
        return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")

    lists, list_queries = _measure(client, url("list"), rounds)
    exports, export_queries = _measure(client, url("export", "csv"), max(3, rounds // 4))
    boards, board_queries = _measure(client, url("dashboard"), rounds)
    return {
        "rows_seen": client.get(url("list")).context["page"].paginator.count,
        "list_p95_ms": round(_percentile(lists, 95), 1),
        "export_p95_ms": round(_percentile(exports, 95), 1),
        "dashboard_p95_ms": round(_percentile(boards, 95), 1),
        "list_queries": list_queries,
        "export_queries": export_queries,
        "dashboard_queries": board_queries,
    }


def main() -> None:
    from allauth.account.models import EmailAddress
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from cms.pages import remove_region_page
    from cooperation.models import Cooperation
    from tenants.models import AuditEvent, Membership, Region, Role, Tenant
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_template, template_missing_migrations

    try:  # the test client records response.context (the rows each person sees) only then
        setup_test_environment()
    except RuntimeError:  # already done by another benchmark of this run
        pass
    n = int(os.environ.get("BENCH_AGREEMENTS", "2000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "20"))
    rng = random.Random(6)
    if template_missing_migrations():
        ensure_template()
    regions = list(
        Region.objects.available_for_onboarding().filter(kind="kota").order_by("-code")[:2]
    )
    created: list[Tenant] = []
    coop_ids: list[int] = []
    users: list[User] = []
    figures: dict = {}
    try:
        for region in regions:
            created.append(provision_region(region=region, acting_user=None))
        main_tenant, partner = created
        memberships = {}
        for role in (Role.TKKSD, Role.CAMAT, Role.VIEWER):
            user = User.objects.create(email=f"bench-scope-{role}@jejaring.test", full_name=role)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            users.append(user)
            memberships[role] = Membership.objects.create(user=user, tenant=main_tenant, role=role)
        coop_ids, _shared = _generate(main_tenant, [partner], n, rng)
        code = scope_register(
            main_tenant, viewer_pk=memberships[Role.VIEWER].pk, dossiers=50, rng=rng
        )
        camat = memberships[Role.CAMAT]
        camat.area_id = code
        camat.save(update_fields=["area"])
        connection.set_schema_to_public()
        for role, membership in memberships.items():
            client = Client(HTTP_HOST=main_tenant.get_primary_domain().domain)
            client.force_login(membership.user)
            figures[str(role)] = measure(client, rounds)
    finally:
        connection.set_schema_to_public()
        for tenant in created:
            remove_region_page(tenant.region)
            tenant.delete(force_drop=True)
        Cooperation.objects.filter(pk__in=coop_ids).delete()
        AuditEvent.objects.filter(tenant_schema__in=[t.schema_name for t in created]).delete()
        for user in users:
            user.delete()
    print(json.dumps({"agreements": n, **figures}))
