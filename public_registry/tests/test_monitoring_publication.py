"""A monitoring report filed through the register's own action publishes one fact onto the
agreement's public record: the end of the latest semester reported on. Never the report's
content, never a new version, nothing for an agreement without a public record."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from agreements.monitoring import actions as monitoring
from agreements.monitoring.periods import Period
from agreements.tests.factories import membership_of, new_agreement, step, to_ksb_signed
from cms.pages import ensure_sections
from cooperation.models import Cooperation, Stage
from public_registry import cache as registry_cache
from public_registry.models import PublishedAgreement, PublishedVersion
from public_registry.monitoring import dormancy_start, is_active
from tenants.models import Role

pytestmark = pytest.mark.django_db

PROGRESS = "Rahasia kemajuan: jembatan Sumbersari selesai 40 persen"
PROBLEMS = "Rahasia kendala: anggaran Dinas PU belum cair"


@pytest.fixture
def office(malang, member):
    return membership_of(member(malang, Role.ADMIN), malang)


def file(office, agreement, period: Period, today: datetime.date):
    return monitoring.file_monitoring_report(
        membership=office,
        agreement=agreement,
        period=period,
        progress=PROGRESS,
        problems=PROBLEMS,
        recommendation="continue",
        today=today,
    )


def in_implementation(office, **changes):
    agreement = to_ksb_signed(office, new_agreement(office, **changes))
    step(office, agreement, "start_implementation")
    agreement.refresh_from_db()
    return agreement


def test_the_rule_is_the_last_completed_semester():
    assert dormancy_start(datetime.date(2026, 6, 30)) == datetime.date(2025, 7, 1)
    assert dormancy_start(datetime.date(2026, 7, 1)) == datetime.date(2026, 1, 1)
    today = datetime.date(2026, 8, 15)
    assert is_active(Period(2026, 1).end, today)
    assert not is_active(Period(2025, 2).end, today)
    assert not is_active(None, today)


def test_filing_a_report_publishes_its_period_end_in_place(
    malang, office, django_capture_on_commit_callbacks
):
    today = datetime.date(2026, 8, 15)
    with tenant_context(malang):
        agreement = in_implementation(office, term_start=datetime.date(2025, 1, 1))
        record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
        assert record.last_monitored_on is None
        versions, modified = record.versions.count(), record.modified_at
        generation = registry_cache.generation()
        with django_capture_on_commit_callbacks(execute=True):
            file(office, agreement, Period(2026, 1), today)
        assert registry_cache.generation() != generation  # the figures are computed again
        # A report for an earlier period filed later does not move the date back.
        file(office, agreement, Period(2026, 1).previous().previous(), today)
    record.refresh_from_db()
    assert record.last_monitored_on == datetime.date(2026, 6, 30)
    # A living fact, not a new public version.
    assert (record.versions.count(), record.modified_at) == (versions, modified)


def test_a_report_on_an_agreement_without_public_record_changes_nothing(malang, office):
    with tenant_context(malang):
        published = in_implementation(office, title="Sudah terbit")
        # Signed before the registry existed: never published (no backfill run).
        old = new_agreement(office, title="Lama, belum terbit")
        Cooperation.objects.filter(pk=old.cooperation_id).update(
            stage=Stage.IMPLEMENTATION, signed_on=datetime.date(2025, 12, 1)
        )
        old.cooperation.refresh_from_db()
        generation = registry_cache.generation()
        file(office, old, Period(2026, 1), datetime.date(2026, 8, 15))
        assert registry_cache.generation() == generation
    assert list(PublishedAgreement.objects.values_list("cooperation_id", "last_monitored_on")) == [
        (published.cooperation_id, None)
    ]


def test_the_public_pages_and_json_never_show_a_reports_content(
    malang, office, client_for, django_capture_on_commit_callbacks
):
    ensure_sections()
    today = timezone.localdate()
    period = Period.containing(dormancy_start(today))
    with tenant_context(malang):
        agreement = in_implementation(
            office, term_start=period.start, term_end=today + datetime.timedelta(days=400)
        )
        with django_capture_on_commit_callbacks(execute=True):
            file(office, agreement, period, today)
    record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
    assert record.last_monitored_on == period.end
    client = client_for(None)
    bodies = [
        client.get(path).content.decode()
        for path in (
            f"/kerja-sama/{record.pk}/",
            f"/kerja-sama/{record.pk}/versi/{record.version}/",
            "/kerja-sama/?q=jembatan",
            "/kerja-sama/perubahan/",
            f"/api/v1/agreements/{record.pk}/",
            "/api/v1/agreements/",
            "/kota-malang/",
        )
    ]
    bodies.append(b"".join(client.get("/kerja-sama/unduh/json/").streaming_content).decode())
    bodies.append(json.dumps(list(PublishedVersion.objects.values_list("snapshot", flat=True))))
    for body in bodies:
        assert "Rahasia" not in body
        assert "Sumbersari" not in body and "anggaran" not in body
    # The profile counts it as active: the fact reached the public figures.
    profile = bodies[6]
    assert '<th scope="row">Active (monitored in the last semester)</th><td>1</td>' in profile
