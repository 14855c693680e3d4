"""Reporting upward at national size (issue 16): a province's compilation of 38 kabupaten/kota
with 500 agreements each, and the Ministry's national compilation of all 552 regions'
submissions.

The regions' submissions are written as the actions freeze them (figures from reporting.figures,
500 agreement rows each in the frozen rows' shape), straight into the public schema: what is
measured reads only frozen submissions, never a workspace, so no region needs a register here.
The province's own register is read in its schema (East Java's, the demo's when it is loaded,
provisioned for the run otherwise); the bench's semester (2001) finds nothing of its own there.

1. Province: `reporting.actions.compile_province` (the real action: own report, the regions'
   accepted submissions, totals, XLSX and PDF of every row, frozen and submitted) for a
   province of BENCH_REGIONS (38) regions, and for one of BENCH_REGIONS_SMALL (5): seconds and
   queries for each, so the queries' independence of the number of regions shows.
2. National: `reporting.national.compile_national` over 38 province compilations whose
   by_region entries cover the 508 reporting kabupaten/kota, and the national XLSX, PDF and
   open-data JSON; queries for 38 provinces and for BENCH_PROVINCES_SMALL (5).

Runs on the project-owned database, in a semester nobody reports (BENCH_YEAR, default 2001, first
half); every row it wrote and the province it provisioned are removed at the end.
Environment: BENCH_REGIONS (38), BENCH_REGIONS_SMALL (5), BENCH_AGREEMENTS (500 per region),
BENCH_PROVINCES_SMALL (5), BENCH_YEAR (2001), BENCH_PARTS ("province,national": either alone).
Prints one JSON object on its last line, units in the keys.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _rows(n: int, rng: random.Random, code: str) -> tuple[list[dict], dict]:
    """`n` frozen agreement rows and the figures counted from them (as figures.of_report)."""
    from collections import Counter

    from reporting import figures

    rows = []
    cells: dict[str, Counter] = {kind: Counter() for kind in figures.KINDS}
    urusan: Counter = Counter()
    codes = ["1.03", "2.15", "3.26", "3.27", "1.01", "2.11", "3.30"]
    for i in range(n):
        kind = rng.choice(figures.KINDS)
        status = rng.choice(figures.STATUS_CODES)
        chosen = rng.sample(codes, rng.randint(1, 2))
        cells[kind][status] += 1
        urusan.update(chosen)
        rows.append(
            {
                "number": i + 1,
                "title": f"PKS bench {code} {i}",
                "kind": kind,
                "kind_code": kind,
                "parties": f"Pemerintah {code}; PT Mitra {i % 97}",
                "object": "Bench",
                "urusan": "; ".join(chosen),
                "urusan_codes": chosen,
                "term_start": "2020-01-01",
                "term_end": "2025-12-31",
                "status": status,
                "status_code": status,
                "progress": "Pelaksanaan",
            }
        )
    return rows, figures.from_counts({k: dict(v) for k, v in cells.items()}, dict(urusan))


def _region_submission(region, province_code: str, year: int, rows, figs):
    from django.utils import timezone

    from reporting.models import Level, Source, State, Submission

    return Submission(
        region=region,
        province_id=province_code,
        level=Level.REGION,
        year=year,
        half=1,
        source=Source.PLATFORM,
        state=State.ACCEPTED,
        number=f"000.9/{region.code}/bench",
        letter_place="Bench",
        letter_date=datetime.date(year, 7, 8),
        signatory_name="Bench",
        signatory_position="Sekretaris Daerah",
        submitted_at=timezone.now(),
        deadline=datetime.date(year, 7, 15),
        figures=figs,
        agreements=rows,
    )


def _timed(action):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    return result, round(seconds, 2), len(queries.captured_queries)


def province_compilation(province_tenant, office, regions, year: int, n: int, rng) -> dict:
    from agreements.reports.letter import LetterDetails
    from agreements.reports.semester import Semester
    from reporting import actions
    from reporting.models import Submission

    Submission.objects.bulk_create(
        [
            _region_submission(r, province_tenant.region_id, year, *_rows(n, rng, r.code))
            for r in regions
        ],
        batch_size=10,
    )
    letter = LetterDetails(
        number="000.9/bench",
        place="Bench",
        date=datetime.date(year, 7, 30),
        signatory_name="Bench",
        signatory_position="Sekretaris Daerah",
    )
    submission, seconds, queries = _timed(
        lambda: actions.compile_province(
            membership=office,
            semester=Semester(year, 1),
            letter=letter,
            today=datetime.date(year, 7, 30),
        )
    )
    return {
        "regions": len(regions),
        "rows": submission.figures["total"],
        "seconds": seconds,
        "queries": queries,
        "xlsx_bytes": submission.file("xlsx").size,
        "pdf_bytes": submission.file("pdf").size,
    }


def national_compilation(year: int, provinces, regencies_of, n: int, rng) -> None:
    """One compilation per province, as compile_province stores them, covering every region."""
    from django.utils import timezone

    from reporting import figures
    from reporting.models import Level, Source, State, Submission

    rows = []
    for province in provinces:
        by_region = {}
        for region in regencies_of.get(province.code, []):
            _r, figs = _rows(n, rng, region.code)
            by_region[region.code] = {
                "name": region.name,
                "source": "platform",
                "submission": None,
                **figures.core(figs),
            }
        total = figures.add(by_region.values())
        total["by_region"] = by_region
        total["not_included"] = []
        rows.append(
            Submission(
                region=province,
                province=province,
                level=Level.PROVINCE,
                year=year,
                half=1,
                source=Source.PLATFORM,
                state=State.SUBMITTED,
                number=f"000.9/{province.code}/bench",
                letter_place="Bench",
                letter_date=datetime.date(year, 7, 30),
                signatory_name="Bench",
                signatory_position="Sekretaris Daerah",
                submitted_at=timezone.now(),
                deadline=datetime.date(year, 7, 31),
                figures=total,
                agreements=[],
            )
        )
    Submission.objects.bulk_create(rows, batch_size=10)


def main() -> None:
    from allauth.account.models import EmailAddress
    from django.db.models import Q

    from accounts.models import User
    from agreements.reports.semester import Semester
    from cms.pages import remove_region_page
    from reporting import national
    from reporting.models import Level, Submission
    from tenants.models import AuditEvent, Membership, Region, RegionKind, Role, Tenant
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_template, template_missing_migrations

    size = int(os.environ.get("BENCH_REGIONS", "38"))
    small = int(os.environ.get("BENCH_REGIONS_SMALL", "5"))
    n = int(os.environ.get("BENCH_AGREEMENTS", "500"))
    provinces_small = int(os.environ.get("BENCH_PROVINCES_SMALL", "5"))
    year = int(os.environ.get("BENCH_YEAR", "2001"))
    parts = set(os.environ.get("BENCH_PARTS", "province,national").split(","))
    rng = random.Random(16)
    if template_missing_migrations():
        ensure_template()
    created: list[Tenant] = []
    users: list[User] = []
    result: dict = {"agreements_per_region": n}
    regencies = Region.objects.filter(kind__in=[RegionKind.KABUPATEN, RegionKind.KOTA])
    try:
        # 1. East Java (38 kabupaten/kota) and a small province, each on the platform for the
        # run (provisioned when it is not; the demo's East Java is used as it is).
        def count(province):
            return regencies.filter(code__startswith=f"{province.code}.").count()

        small_province = min(
            (p for p in Region.objects.provinces() if count(p) >= small),
            key=lambda p: (Tenant.objects.filter(region=p).exists(), count(p), p.code),
        )
        provinces_wanted = (
            (("35", size, "province"), (small_province.code, small, "province_small"))
            if "province" in parts
            else ()
        )
        for code, wanted, key in provinces_wanted:
            province = Region.objects.get(code=code)
            tenant = Tenant.objects.filter(region=province).first()
            if tenant is None:
                tenant = provision_region(region=province, acting_user=None)
                created.append(tenant)
            user = User.objects.create(
                email=f"bench-reporting-{province.code}@jejaring.test", full_name="Bench"
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            users.append(user)
            office = Membership.objects.create(user=user, tenant=tenant, role=Role.ADMIN)
            office = Membership.objects.select_related("tenant__region", "user").get(pk=office.pk)
            mine = list(regencies.filter(code__startswith=f"{province.code}.").order_by("code"))
            connection.set_schema_to_public()
            result[key] = province_compilation(tenant, office, mine[:wanted], year, n, rng)
        connection.set_schema_to_public()
        if "national" in parts:
            # 2. National: every province's compilation covering its kabupaten/kota (508).
            semester = Semester(year, 1)
            Submission.objects.filter(year=year, half=1).delete()
            provinces = list(Region.objects.provinces().order_by("code"))
            regencies_of: dict[str, list] = {}
            for region in regencies.only("code", "name").order_by("code"):
                regencies_of.setdefault(region.code.split(".")[0], []).append(region)
            national_compilation(year, provinces[:provinces_small], regencies_of, n, rng)
            _c, _s, small_queries = _timed(lambda: national.compile_national(semester))
            Submission.objects.filter(year=year, half=1).delete()
            national_compilation(year, provinces, regencies_of, n, rng)
            compilation, seconds, queries = _timed(lambda: national.compile_national(semester))
            _x, xlsx_seconds, _q = _timed(lambda: national.national_file(semester, "xlsx"))
            _p, pdf_seconds, _q = _timed(lambda: national.national_file(semester, "pdf"))
            _j, json_seconds, _q = _timed(lambda: json.dumps(national.open_data(compilation)))
            result["national"] = {
                "provinces": len(compilation.provinces),
                "regions": len(compilation.regions),
                "agreements": compilation.total,
                "seconds": seconds,
                "queries": queries,
                f"queries_with_{provinces_small}_provinces": small_queries,
                "xlsx_seconds": xlsx_seconds,
                "pdf_seconds": pdf_seconds,
                "open_data_json_seconds": json_seconds,
            }
    finally:
        connection.set_schema_to_public()
        Submission.objects.filter(year=year, half=1).filter(
            Q(level=Level.REGION) | Q(level=Level.PROVINCE)
        ).delete()
        for tenant in created:
            remove_region_page(tenant.region)
            tenant.delete(force_drop=True)
        AuditEvent.objects.filter(data__year=year, action__startswith="report.").delete()
        AuditEvent.objects.filter(tenant_schema__in=[t.schema_name for t in created]).delete()
        for user in users:
            user.delete()
    print(json.dumps(result))
