"""Reporting's fixtures: Provinsi Jawa Timur (35) and Provinsi Kalimantan Barat (61) on the
platform beside Kota Malang (35.73) and Kota Batu (35.79), both of East Java; each region's
register with a few agreements of the semester January-June 2026."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from agreements.reports.letter import LetterDetails
from agreements.reports.semester import Semester
from agreements.tests.factories import (
    membership_of,
    new_agreement,
    parties_with_signatories,
    to_ksb_signed,
)
from conftest import make_pdf
from cooperation.models import Kind
from tenants.models import Region, Role, Tenant

H1 = Semester(2026, 1)
TODAY = datetime.date(2026, 7, 10)  # before the default deadline (15 July)
LATE = datetime.date(2026, 8, 1)


def letter(number: str = "050/123/35.73.112/2026", **changes) -> LetterDetails:
    fields = {
        "number": number,
        "place": "Malang",
        "date": datetime.date(2026, 7, 8),
        "signatory_name": "Dr. Ir. Erik Setyo Santoso",
        "signatory_position": "Sekretaris Daerah",
        "signatory_nip": "197001011990031001",
    }
    fields.update(changes)
    return LetterDetails(**fields)


def scan(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def provision(code: str) -> Tenant:
    from tenants.onboarding import provision_region

    existing = Tenant.objects.filter(region_id=code).first()
    if existing is not None:
        return existing
    provision_region(region=Region.objects.get(code=code), acting_user=None)
    return Tenant.objects.get(region_id=code)


@pytest.fixture
def jatim(db) -> Tenant:
    return provision("35")


@pytest.fixture
def kalbar(db) -> Tenant:
    return provision("61")


@pytest.fixture
def office_of(member):
    """office_of(tenant) -> the membership of a new administrator (with TOTP) of `tenant`."""

    def make(tenant, role=Role.ADMIN):
        return membership_of(member(tenant, role), tenant)

    return make


def fill_register(tenant, office, *, signed: int = 1, in_process: int = 1, ksdpk: int = 0):
    """A register of `signed` KSB in force and `in_process` in preparation (KSDD sukarela,
    urusan 1.03 and 2.15), and `ksdpk` third-party agreements in preparation (urusan 3.26)."""
    from agreements.register.parties import PartyData
    from cooperation.models import PartyKind

    with tenant_context(tenant):
        for n in range(signed):
            to_ksb_signed(office, new_agreement(office, title=f"KSB {tenant.name} {n}"))
        for n in range(in_process):
            new_agreement(office, title=f"Rancangan {tenant.name} {n}")
        for n in range(ksdpk):
            new_agreement(
                office,
                kind=Kind.KSDPK,
                title=f"PKS {tenant.name} {n}",
                urusan=["3.26"],
                parties=[
                    parties_with_signatories(tenant)[0],
                    PartyData(
                        kind=PartyKind.ORGANISATION,
                        name=f"Mitra {n}",
                        signatory_name="Direktur",
                        signatory_position="Direktur",
                        signatory_authority="Akta",
                    ),
                ],
            )
