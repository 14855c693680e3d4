"""The signatures on the pages: the workspace's agreement page and the office's accept route
(office, wrong role, another region with colliding keys), and the public record in Indonesian."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.register import actions
from agreements.register.parties import PartyData
from cooperation.models import Instrument, Kind, PartyKind, SignedDocument
from public_registry.models import PublishedAgreement
from signatures import checking
from signatures.models import Acceptance, Check
from tenants.models import AuditEvent, Membership, Region, Role

from . import pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust_roots(settings, tmp_path):
    (tmp_path / "uji.pem").write_bytes(pdfs.pki().root.cert_pem)
    settings.JEJARING_SIGNATURE_TRUST_ROOTS_DIR = str(tmp_path)


def enter_signed(tenant, office_user, content: bytes, title: str):
    office = Membership.objects.get(user=office_user, tenant=tenant)
    day = datetime.date(2026, 3, 2)
    with tenant_context(tenant), transaction.atomic():
        agreement = actions.register_signed_agreement.inner(
            membership=office,
            fields={
                "kind": Kind.KSDPK,
                "title": title,
                "urusan": ["2.15"],
                "object": "Angkutan",
                "scope": "Rute",
                "purpose": "Layanan",
                "legal_basis": "UU 23/2014",
                "funding_source": "APBD",
                "term_start": day,
                "term_end": day.replace(year=2029),
            },
            parties=[
                PartyData(
                    kind=PartyKind.REGION,
                    region=Region.objects.get(code=tenant.region_id),
                    document_number="1/2026",
                    signatory_name="Wali Kota",
                    signatory_position="Wali Kota",
                    signatory_authority="UU 23/2014",
                ),
                PartyData(
                    kind=PartyKind.ORGANISATION,
                    name="PT Angkutan Mitra",
                    document_number="2/2026",
                    signatory_name="Direktur",
                    signatory_position="Direktur Utama",
                    signatory_authority="Akta pendirian",
                ),
            ],
            private={"responsible_opd": "", "internal_notes": ""},
            instrument=Instrument.PKS,
            signing={"signed_on": day, "signing_place": "Malang", "signing_mode": "desk_to_desk"},
            document=SimpleUploadedFile("pks.pdf", content, "application/pdf"),
        )
    document = SignedDocument.objects.get(cooperation_id=agreement.cooperation_id)
    return agreement, document


@pytest.fixture
def flagged_agreement(malang, member, trust_roots, django_capture_on_commit_callbacks):
    """Kota Malang's PKS whose signed PDF is signed under an unknown root (flagged)."""
    office = member(malang, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's check runs
        agreement, document = enter_signed(malang, office, pdfs.untrusted(), "PKS Angkutan")
    assert Check.objects.get(sha256=document.sha256).verdict == "untrusted"
    return agreement, document, office


def accept_url(agreement_pk, document_pk) -> str:
    return f"/kerja-sama/{agreement_pk}/tertandatangan/{document_pk}/tanda-tangan/terima/"


def test_the_office_sees_the_flag_and_accepts_with_a_reason(flagged_agreement, client_for, malang):
    agreement, document, office = flagged_agreement
    client = client_for(malang, office)
    page = client.get(f"/kerja-sama/{agreement.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Penanda Tangan Lain (test)" in page
    assert "signature-accept" in page and 'data-verdict="untrusted"' in page
    answer = client.post(accept_url(agreement.pk, document.pk), {"reason": "Checked with BSrE"})
    assert answer.status_code == 302
    acceptance = Acceptance.objects.get()
    assert (acceptance.tenant_id, acceptance.problem) == (malang.pk, "untrusted")
    assert AuditEvent.objects.filter(action="signature.accepted", tenant=malang).count() == 1
    page = client.get(f"/kerja-sama/{agreement.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checked with BSrE" in page and "signature-accept" not in page


def test_a_wrong_role_cannot_accept(flagged_agreement, client_for, malang, member):
    agreement, document, _office = flagged_agreement
    tkksd = client_for(malang, member(malang, Role.TKKSD))
    answer = tkksd.post(accept_url(agreement.pk, document.pk), {"reason": "ok"})
    assert answer.status_code == 403
    page = tkksd.get(f"/kerja-sama/{agreement.pk}/").content.decode()
    assert 'data-verdict="untrusted"' in page and "signature-accept" not in page
    assert not Acceptance.objects.exists()


def test_another_regions_office_cannot_reach_this_document(
    flagged_agreement, client_for, malang, batu, member, django_capture_on_commit_callbacks
):
    agreement, document, _office = flagged_agreement
    batu_office = member(batu, Role.ADMIN)
    # On Kota Malang's subdomain Kota Batu's office is nobody: not found.
    answer = client_for(malang, batu_office).post(
        accept_url(agreement.pk, document.pk), {"reason": "ok"}
    )
    assert answer.status_code == 404
    # On its own subdomain, its agreement with the same key has no such document: not found.
    with django_capture_on_commit_callbacks(execute=True):
        own, _doc = enter_signed(batu, batu_office, pdfs.signed(), "PKS Batu")
    assert own.pk == agreement.pk  # keys collide across schemas
    answer = client_for(batu, batu_office).post(accept_url(own.pk, document.pk), {"reason": "ok"})
    assert answer.status_code == 404
    assert not Acceptance.objects.exists()


def test_the_public_record_shows_the_signature_in_indonesian(
    malang, member, trust_roots, client_for, django_capture_on_commit_callbacks
):
    office = member(malang, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        agreement, document = enter_signed(malang, office, pdfs.timestamped(), "PKS Waktu")
    record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
    url = reverse("public_registry:detail", args=[record.pk], urlconf="portal.urls_public")
    html = client_for(None).get(url).content.decode()
    assert "Ditandatangani secara elektronik oleh Wali Kota Malang (test)" in html
    assert "sertifikat diterbitkan oleh Uji CA DS, utuh sejak ditandatangani." in html
    assert "Penanda waktu oleh Uji TSA" in html


def test_the_public_record_says_being_checked_until_the_worker_is_done(
    malang, member, trust_roots, client_for, django_capture_on_commit_callbacks
):
    office = member(malang, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        agreement, document = enter_signed(malang, office, pdfs.signed(), "PKS Nanti")
    record = PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)
    url = reverse("public_registry:detail", args=[record.pk], urlconf="portal.urls_public")
    public = client_for(None)
    assert "Tanda tangan elektronik: sedang diperiksa" in public.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        checking.perform(Check.objects.get(sha256=document.sha256).pk)
    # The cached page was renewed by the result (signatures.signals.results_changed).
    assert "Ditandatangani secara elektronik oleh" in public.get(url).content.decode()
