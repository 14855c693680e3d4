import datetime
import hashlib

import pytest
from django.utils import timezone

from cooperation.models import Cooperation
from marketplace.tests.conftest import make_listing  # noqa: F401 (a fixture)
from public_registry.models import PublishedAgreement


@pytest.fixture(autouse=True)
def _opendata_root(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"


def publish(n: int, *, regions=("35.73", "35.79"), year: int = 2024, start: int = 0):
    """n published records, each with one of `regions` (and 35.07) as parties, signed in
    `year`: written as a publication writes them (the triggers set the feed's place)."""
    now = timezone.now()
    records = []
    for i in range(start, start + n):
        codes = [regions[i % len(regions)], "35.07"]
        signed = datetime.date(year, 1 + i % 12, 1 + i % 28)
        coop = Cooperation.objects.create(
            kind="ksdd_sukarela",
            title=f"Kerja sama {i}",
            urusan=["3.26"],
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
            partner_names=[],
            parties_text=" · ".join(codes),
            signed_on=signed,
            signed_year=signed.year,
            term_start=signed,
            term_end=signed + datetime.timedelta(days=3650),
            published_at=now,
            modified_at=now,
        )
        record.fill_facet_keys()
        record.save()
        records.append(record)
    return records


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
