"""Fixtures of the trade missions' tests: Provinsi Jawa Timur as a region on the platform (its
tenant row only: missions never touch a region's schema), its office, a mission with slots,
and published listings of Kota Malang (Kelurahan Purwantoro) and Kota Batu."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from marketplace.tests.conftest import make_listing  # noqa: F401 (a fixture)
from missions import actions
from tenants.models import Membership, Region, Role, Tenant


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """These tests read the English source texts (the product speaks Indonesian by default)."""
    settings.LANGUAGE_CODE = "en"


def schemaless_region(code: str) -> Tenant:
    """A region's tenant row without provisioning its schema (enough for public-schema apps)."""
    region = Region.objects.get(code=code)
    tenant = Tenant(schema_name=region.slug.replace("-", "_"), region=region, name=region.full_name)
    tenant.save()
    return tenant


@pytest.fixture
def jatim(db) -> Tenant:
    return schemaless_region("35")


@pytest.fixture
def membership_of():
    def get(user, tenant) -> Membership:
        return Membership.objects.select_related("tenant__region", "area", "user").get(
            user=user, tenant=tenant
        )

    return get


@pytest.fixture
def jatim_office(jatim, member, membership_of) -> Membership:
    return membership_of(member(jatim, Role.ADMIN), jatim)


def at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def mission(jatim_office):
    """A three-day mission starting in ten days, with slots at 9, 10 and 11 on its first day."""
    first = timezone.localdate() + timedelta(days=10)
    mission = actions.create_mission(
        membership=jatim_office,
        title="Misi Dagang Jawa Timur ke Kalimantan Utara",
        destination="Kota Tarakan, Kalimantan Utara",
        theme="Pangan olahan dan hasil tani",
        starts_on=first,
        ends_on=first + timedelta(days=2),
    )
    for hour in (9, 10, 11):
        actions.add_slot(
            membership=jatim_office,
            mission=mission,
            starts_at=at(first, hour),
            ends_at=at(first, hour + 1),
            place="Hotel Tarakan Plaza",
        )
    return mission
