"""Provisioning speed: how long `provision_region` (tenant row + schema + domain + first admin +
audit event, one transaction) takes per region, cloning the migrated template schema; and the
baseline of creating the schema by running the migrations instead.

Runs on the project-owned database; every region it provisions is deleted again at the end.
Environment: BENCH_TENANTS (default 30), BENCH_MIGRATE_SAMPLES (default 3).
"""

from __future__ import annotations

import json
import os
import statistics
import time

from django.db import connection, transaction


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    from accounts.models import User
    from cms.pages import remove_region_page
    from tenants.models import AuditEvent, Region, Tenant
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_template, migrate_schema, template_missing_migrations

    n = int(os.environ.get("BENCH_TENANTS", "30"))
    k = int(os.environ.get("BENCH_MIGRATE_SAMPLES", "3"))
    if template_missing_migrations():
        ensure_template()
    regions = list(Region.objects.available_for_onboarding().order_by("-code")[: n + k])
    if len(regions) < n + k:
        raise SystemExit(f"Only {len(regions)} regions are free to provision; lower BENCH_TENANTS.")
    clone_regions, migrate_regions = regions[:n], regions[n:]
    admin, _ = User.objects.get_or_create(email="bench-admin@jejaring.test")
    created: list[Tenant] = []
    clone_times: list[float] = []
    migrate_times: list[float] = []
    try:
        for region in clone_regions:
            started = time.perf_counter()
            tenant = provision_region(region=region, acting_user=None, first_admin=admin)
            clone_times.append(time.perf_counter() - started)
            created.append(tenant)
        for region in migrate_regions:
            # The baseline: the same tenant row, but the schema made by running every migration.
            started = time.perf_counter()
            with transaction.atomic():
                tenant = Tenant.objects.create(
                    schema_name=region.schema_name, name=region.full_name, region=region
                )
                migrate_schema(tenant.schema_name)
            migrate_times.append(time.perf_counter() - started)
            created.append(tenant)
    finally:
        for tenant in created:
            connection.set_schema_to_public()
            remove_region_page(tenant.region)
            tenant.delete(force_drop=True)
        AuditEvent.objects.filter(tenant_schema__in=[t.schema_name for t in created]).delete()
        admin.delete()
    print(
        f"cloned {n} regions: median {statistics.median(clone_times):.3f} s; "
        f"migrated {k}: median {statistics.median(migrate_times):.3f} s",
        flush=True,
    )
    print(
        json.dumps(
            {
                "tenants": n,
                "median_s": round(statistics.median(clone_times), 4),
                "p95_s": round(_percentile(clone_times, 95), 4),
                "max_s": round(max(clone_times), 4),
                "migrate_samples": k,
                "migrate_median_s": round(statistics.median(migrate_times), 4),
            }
        )
    )
