"""A region's profile counts its agreements in force as active (a monitoring report for the
last completed semester or later), dormant (older reports only) and never monitored, from the
date the public record carries (public_registry.monitoring), with no more queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.pages import ensure_sections
from public_registry import cache as registry_cache
from public_registry.monitoring import dormancy_start

from .factories import published_agreement

pytestmark = pytest.mark.django_db

ACTIVE = "Active (monitored in the last semester)"
DORMANT = "Dormant (no report for the last semester)"
NEVER = "Never monitored"


def monitored(title: str, regions: list[str], last_monitored_on, **fields):
    record = published_agreement(title, regions, **fields)
    record.last_monitored_on = last_monitored_on
    record.save(update_fields=["last_monitored_on"])
    return record


def figures(html: str) -> dict[str, int]:
    table = html[html.index("<caption>Agreements in force: active and dormant</caption>") :]
    table = table[: table.index("</table>")]
    return {
        label: int(n)
        for label, n in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    }


def test_the_profile_counts_active_dormant_and_never_monitored(client_for, malang):
    ensure_sections()
    today = timezone.localdate()
    since = dormancy_start(today)
    later = today + timedelta(days=365)
    monitored("Aktif", ["35.73", "35.79"], since, term_end=later)
    monitored("Aktif lagi", ["35.73", "35.07"], today, term_end=later)
    monitored("Tidur", ["35.73", "35.79"], since - timedelta(days=1), term_end=later)
    monitored("Belum dipantau", ["35.73", "35.79"], None, term_end=later)
    # Not in force: neither active nor dormant, whatever its reports.
    monitored("Berakhir", ["35.73", "35.79"], today, term_end=today - timedelta(days=1))
    monitored("Diputus", ["35.73", "35.79"], today, term_end=later, terminated=True)
    monitored("Bukan Malang", ["35.79", "35.15"], today, term_end=later)
    html = client_for(None).get("/kota-malang/").content.decode()
    assert figures(html) == {ACTIVE: 2, DORMANT: 1, NEVER: 1}
    assert html.count('<svg class="chart-svg"') == 4  # kind, year, in force, monitoring


def test_the_monitoring_figures_cost_no_query(client_for, malang):
    ensure_sections()
    client = client_for(None)
    later = timezone.localdate() + timedelta(days=365)
    published_agreement("Satu", ["35.73", "35.79"], term_end=later)
    client.get("/kota-malang/")
    registry_cache.bump()
    with CaptureQueriesContext(connection) as few:
        client.get("/kota-malang/")
    for index, day in enumerate([None, timezone.localdate(), dormancy_start(later)]):
        monitored(f"Lagi {index}", ["35.73", "35.07"], day, term_end=later)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/kota-malang/").content.decode()
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert figures(html)[NEVER] == 2
