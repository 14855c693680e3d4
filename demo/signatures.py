"""The demo's electronic signatures: a demo PKI (never a real CA) made at the first load and kept
under the media folder (ignored by git), its root installed as the demo's only trust root
(settings.JEJARING_SIGNATURE_TRUST_ROOTS_DIR points there for the demo database), and one
agreement of Kota Malang with Kota Batu whose signed PDF carries both parties' PAdES signatures
and a timestamp: its public record shows the verified signatures beside the fingerprint.

Idempotent: the PKI is read back, the agreement is entered once, a check already done stays."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.register import actions
from agreements.register.parties import PartyData
from cooperation.models import Instrument, Kind, PartyKind, SignedDocument
from signatures import checking, test_pki
from signatures.actions import request_check
from signatures.models import State
from tenants.models import Membership, Region

MALANG, BATU = "35.73", "35.79"
OFFICE_EMAIL = "admin.malang@jejaring.test"
TITLE = "PKS Bus Sekolah dan Angkutan Wisata Malang–Batu (ditandatangani elektronik)"


def pki_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "demo-pki"


def trust_roots_folder() -> Path:
    return pki_folder() / "trust-roots"


def ensure_pki() -> test_pki.Pki:
    """The demo PKI, made once and read back afterwards; its root in the demo trust roots."""
    folder = pki_folder() / "keys"
    pki = test_pki.Pki.load(folder)
    if pki is None:
        pki = test_pki.make_pki("Jejaring Demo")
        pki.save(folder)
    roots = trust_roots_folder()
    roots.mkdir(parents=True, exist_ok=True)
    (roots / "jejaring-demo-root.pem").write_bytes(pki.root.cert_pem)
    return pki


def _office() -> Membership | None:
    return (
        Membership.objects.select_related("tenant__region", "user")
        .filter(user__email=OFFICE_EMAIL, tenant__region_id=MALANG)
        .first()
    )


def signed_pdf(pki: test_pki.Pki, signed_on: datetime.date) -> bytes:
    lines = [
        "DOKUMEN DEMO JEJARING - bukan dokumen asli",
        "",
        TITLE,
        "",
        "Pemerintah Kota Malang - Nomor 119/045/35.73.112/2026",
        "Pemerintah Kota Batu - Nomor 119/022/35.79.112/2026",
        "",
        f"Ditandatangani secara elektronik, {signed_on}.",
        "Sertifikat elektronik dari PKI demo Jejaring (bukan BSrE).",
    ]
    chain = [pki.intermediate, pki.root]
    content = test_pki.simple_pdf(lines)
    content = test_pki.sign_pdf(
        content,
        pki.signer,
        chain,
        field_name="KotaMalang",
        tsa=pki.tsa,
        tsa_chain=chain,
        reason="Pihak Kesatu",
        location="Kota Malang",
    )
    return test_pki.sign_pdf(
        content,
        pki.second_signer,
        chain,
        field_name="KotaBatu",
        tsa=pki.tsa,
        tsa_chain=chain,
        reason="Pihak Kedua",
        location="Kota Batu",
    )


def _enter(office: Membership, pki: test_pki.Pki) -> Agreement:
    today = timezone.localdate()
    signed_on = today - datetime.timedelta(days=3)
    regions = Region.objects.in_bulk([MALANG, BATU], field_name="code")
    parties = [
        PartyData(
            kind=PartyKind.REGION,
            region=regions[MALANG],
            document_number="119/045/35.73.112/2026",
            signatory_name="Wali Kota Malang (test)",
            signatory_position="Wali Kota Malang",
            signatory_authority="UU 23/2014 Pasal 65",
        ),
        PartyData(
            kind=PartyKind.REGION,
            region=regions[BATU],
            document_number="119/022/35.79.112/2026",
            signatory_name="Wali Kota Batu (test)",
            signatory_position="Wali Kota Batu",
            signatory_authority="UU 23/2014 Pasal 65",
        ),
    ]
    signing = {"signed_on": signed_on, "signing_place": "Kota Batu", "signing_mode": "desk_to_desk"}
    document = SimpleUploadedFile(
        "pks-bus-sekolah-malang-batu.pdf", signed_pdf(pki, signed_on), "application/pdf"
    )
    return actions.register_signed_agreement.inner(
        membership=office,
        fields={
            "kind": Kind.KSDD_SUKARELA,
            "title": TITLE,
            "urusan": ["2.15"],
            "object": "Layanan bus sekolah dan angkutan wisata lintas Kota Malang dan Kota Batu",
            "scope": "Rute bersama, jadwal terpadu dan tiket terintegrasi.",
            "purpose": "Mengurangi kemacetan di koridor Malang–Batu.",
            "legal_basis": "UU 23/2014; PP 28/2018; Permendagri 22/2020",
            "funding_source": "APBD Kota Malang dan APBD Kota Batu",
            "term_start": signed_on,
            "term_end": signed_on.replace(year=signed_on.year + 3) - datetime.timedelta(days=1),
        },
        parties=parties,
        private={"responsible_opd": "Dinas Perhubungan", "internal_notes": ""},
        instrument=Instrument.PKS,
        signing=signing,
        document=document,
    )


def load(stdout=None) -> None:
    pki = ensure_pki()
    office = _office()
    if office is None:
        return
    with tenant_context(office.tenant):
        agreement = Agreement.objects.filter(cooperation__title=TITLE).first()
        if agreement is None:
            with transaction.atomic():
                agreement = _enter(office, pki)
            if stdout:
                stdout.write("Kota Malang: an agreement signed electronically (demo PKI)")
    # Checked now rather than by the worker, so the first look already shows the result.
    for document in SignedDocument.objects.filter(cooperation_id=agreement.cooperation_id):
        with transaction.atomic():
            check = request_check(
                sha256=document.sha256, schema=document.stored_schema, name=document.file.name
            )
        if check.state == State.PENDING:
            done = checking.perform(check.pk)
            if stdout and done is not None:
                stdout.write(f"Electronic signature of the demo agreement: {done.verdict}")
