"""Onboarding many regions in one process: the clone function is installed once, so a long run
neither recompiles it per region nor piles up compiled copies in the PostgreSQL backend."""

import csv

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.models import Region, RegionQuerySet, Tenant
from tenants.onboarding import provision_region
from tenants.provisioning import CLONE_FUNCTION_MARKER, ensure_clone_function

pytestmark = pytest.mark.django_db


def _clone_function_oid():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname = 'clone_schema'"
        )
        rows = cursor.fetchall()
    assert len(rows) == 1
    return rows[0][0]


def _compiled_plpgsql_functions() -> int:
    """How many compiled PL/pgSQL functions this backend holds (PostgreSQL 14+)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'PL/pgSQL function'"
        )
        return cursor.fetchone()[0]


def _provision(code: str) -> Tenant:
    return provision_region(region=Region.objects.get(code=code), acting_user=None)


def test_the_clone_function_is_created_once_not_per_region():
    _provision("35.15")  # the function is in place (created now, or before)
    oid = _clone_function_oid()
    compiled = _compiled_plpgsql_functions()
    for code in ("65.71", "61", "35.07"):
        _provision(code)
    # Re-creating it per clone (django-tenants' CloneSchema) gives it a new OID every time, and
    # the backend keeps a compiled copy of each (about 11 MB) until the connection closes.
    assert _clone_function_oid() == oid
    assert _compiled_plpgsql_functions() == compiled
    assert ensure_clone_function() is False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(%s, 'pg_proc')",
            [oid],
        )
        assert cursor.fetchone()[0] == CLONE_FUNCTION_MARKER
        # Cached generic plans of its catalog queries degrade with every schema: custom only.
        cursor.execute("SELECT proconfig FROM pg_proc WHERE oid = %s", [oid])
        assert cursor.fetchone()[0] == ["plan_cache_mode=force_custom_plan"]


def test_a_clone_function_of_another_version_is_replaced():
    _provision("35.15")
    with connection.cursor() as cursor:
        cursor.execute(
            "COMMENT ON FUNCTION public.clone_schema(text, text, public.cloneparms[]) "
            "IS 'from an older django-tenants'"
        )
    assert ensure_clone_function() is True
    assert ensure_clone_function() is False
    tenant = _provision("65.71")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'workspace_document'",
            [tenant.schema_name],
        )
        assert cursor.fetchone()[0] == 1


def test_onboard_all_with_timings(tmp_path, monkeypatch, capsys):
    # "Every free region" narrowed to North Kalimantan (a province and its five kabupaten/kota)
    # to keep the test short; the benchmark onboards all 546.
    original = RegionQuerySet.available_for_onboarding
    monkeypatch.setattr(
        RegionQuerySet,
        "available_for_onboarding",
        lambda self: original(self).filter(code__startswith="65"),
    )
    timings = tmp_path / "timings.csv"
    call_command("onboard_regions", all=True, no_progress=True, timings=timings, reconnect_every=2)
    assert "6 onboarded, 0 already on the platform, 0 failed" in capsys.readouterr().out
    rows = list(csv.reader(timings.open(encoding="utf-8")))
    assert [code for code, _ in rows] == ["65", "65.01", "65.02", "65.03", "65.04", "65.71"]
    assert all(float(seconds) > 0 for _, seconds in rows)
    assert Tenant.objects.filter(region__code__startswith="65").count() == 6
    call_command("onboard_regions", all=True, no_progress=True)
    assert "0 onboarded, 0 already on the platform" in capsys.readouterr().out
