"""The public portal at scale (issue 8): Kota Malang's profile, the platform overview and the
home page with BENCH_AGREEMENTS published agreements (default 20,000) across every region, one
in forty of them Kota Malang's. Measures at the server (Django's test client, in process: no
network) the median over BENCH_ROUNDS requests (default 9) with the figures cached, the first
request after a publication (the figures computed again) and the queries one page makes.

Runs on the project-owned database inside one transaction that is rolled back: nothing it writes
stays. Prints one JSON object on its last line."""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import date

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PATHS = {"home": "/", "profile": "/kota-malang/", "overview": "/ikhtisar/"}
URUSAN = ["1.01", "1.02", "1.03", "2.09", "2.15", "2.17", "3.26", "3.27"]
KINDS = ["ksdd_sukarela", "ksdd_wajib", "ksdpk", "sinergi"]


class _RollBack(Exception):
    pass


def _publish(count: int) -> int:
    from cooperation.models import Cooperation, Stage
    from public_registry.models import PublishedAgreement
    from tenants.models import Region

    random.seed(8)
    codes = list(Region.objects.autonomous().values_list("code", flat=True))
    now = timezone.now()
    cooperations = Cooperation.objects.bulk_create(
        [
            Cooperation(kind="ksdd_sukarela", title=f"Bench {i}", stage=Stage.KSB_SIGNED)
            for i in range(count)
        ],
        batch_size=2000,
    )
    rows = []
    for i, cooperation in enumerate(cooperations):
        regions = random.sample(codes, random.choice([1, 2, 2, 3]))
        if i % 40 == 0:
            regions = ["35.73", *[r for r in regions if r != "35.73"]]
        signed = date(random.randint(2015, 2026), random.randint(1, 12), 1)
        record = PublishedAgreement(
            cooperation=cooperation,
            title=f"Kerja sama {i}",
            kind=random.choice(KINDS),
            instrument="ksb",
            urusan=random.sample(URUSAN, 2),
            stage=Stage.KSB_SIGNED,
            owner_region_id=regions[0],
            region_codes=regions,
            province_codes=sorted({r[:2] for r in regions}),
            partner_names=[] if len(regions) > 1 else ["PT Mitra Usaha"],
            signed_on=signed,
            signed_year=signed.year,
            term_start=signed,
            term_end=date(signed.year + 5, signed.month, 1),
            published_at=now,
            modified_at=now,
        )
        record.fill_facet_keys()
        rows.append(record)
    PublishedAgreement.objects.bulk_create(rows, batch_size=2000)
    # The counts tables' pending changes folded, as readers fold them as they gather.
    from public_registry.selectors import fold_facets, fold_pairs

    fold_facets()
    fold_pairs()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PublishedAgreement._meta.db_table}")  # noqa: S608
    return PublishedAgreement.objects.filter(region_codes__contains=["35.73"]).count()


def main() -> None:
    from cms.pages import ensure_home, ensure_region_page, ensure_sections
    from public_registry import cache as registry_cache
    from tenants.models import Region

    count = int(os.environ.get("BENCH_AGREEMENTS", "20000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "9"))
    figures: dict = {"agreements": count}
    try:
        with transaction.atomic():
            ensure_home()
            ensure_region_page(Region.objects.get(code="35.73"))
            ensure_sections()
            figures["malang_agreements"] = _publish(count)
            client = Client(HTTP_HOST=os.environ.get("JEJARING_BASE_DOMAIN", "localhost"))
            for name, path in PATHS.items():
                client.get(path)  # templates and the like loaded once
                registry_cache.bump()  # as after a publication
                start = time.perf_counter()
                client.get(path)
                figures[f"{name}_after_publication_ms"] = round(
                    (time.perf_counter() - start) * 1000, 1
                )
                times = []
                for _ in range(rounds):
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        response = client.get(path)
                        times.append(time.perf_counter() - start)
                    assert response.status_code == 200, (path, response.status_code)
                figures[f"{name}_median_ms"] = round(statistics.median(times) * 1000, 1)
                figures[f"{name}_queries"] = len(queries)
            raise _RollBack
    except _RollBack:
        pass
    print(json.dumps(figures))
