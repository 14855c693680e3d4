"""Building agreements for tests through the actions themselves (no shortcuts into tables)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.register import actions, lifecycle
from agreements.register.parties import PartyData
from conftest import make_pdf
from cooperation.models import Kind, PartyKind
from tenants.models import Membership, Region

TODAY = datetime.date(2026, 3, 1)


def signed_pdf(name: str = "ksb-bertanda-tangan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def membership_of(user, tenant) -> Membership:
    return Membership.objects.select_related("tenant__region", "user").get(user=user, tenant=tenant)


def parties_with_signatories(tenant, partner_code: str = "35.07") -> list[PartyData]:
    return [
        PartyData(
            kind=PartyKind.REGION,
            region=tenant.region,
            document_number="180/01/35.73.112/2026",
            signatory_name="Wahyu Hidayat",
            signatory_position="Wali Kota Malang",
            signatory_authority="UU 23/2014 Pasal 65",
        ),
        PartyData(
            kind=PartyKind.REGION,
            region=Region.objects.get(code=partner_code),
            document_number="119/02/35.07.013/2026",
            signatory_name="M. Sanusi",
            signatory_position="Bupati Malang",
            signatory_authority="UU 23/2014 Pasal 65",
        ),
    ]


def terms(**changes) -> dict:
    fields = {
        "kind": Kind.KSDD_SUKARELA,
        "title": "Kesepakatan Bersama Malang Raya",
        "urusan": ["1.03", "2.15"],
        "object": "Penanganan kemacetan lalu lintas",
        "scope": "Infrastruktur dan perhubungan",
        "purpose": "Mengurai kemacetan di perbatasan",
        "legal_basis": "PP 28/2018; Permendagri 22/2020",
        "funding_source": "APBD masing-masing pihak",
        "term_start": datetime.date(2026, 1, 1),
        "term_end": datetime.date(2030, 12, 31),
    }
    fields.update(changes)
    return fields


def new_agreement(membership, *, private=None, parent=None, parties=None, **changes):
    return actions.create_agreement(
        membership=membership,
        fields=terms(**changes),
        parties=parties if parties is not None else parties_with_signatories(membership.tenant),
        private=private or {},
        parent=parent,
    )


def step(membership, agreement, name, *, data=None, document=None):
    agreement.cooperation.refresh_from_db()
    return lifecycle.advance(
        membership=membership,
        agreement=agreement,
        transition=name,
        version=agreement.cooperation.version,
        data=data,
        document=document,
    )


def signing(**changes) -> dict:
    data = {
        "signed_on": datetime.date(2026, 2, 10),
        "signing_place": "Kota Batu",
        "signing_mode": "ceremonial",
    }
    data.update(changes)
    return data


def to_ksb_signed(membership, agreement):
    step(membership, agreement, "send_offer")
    step(membership, agreement, "start_ksb_drafting")
    step(membership, agreement, "sign_ksb", data=signing(), document=signed_pdf())
    agreement.cooperation.refresh_from_db()
    return agreement
