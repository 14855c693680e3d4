"""Issue 17's "done when" for electronic signatures: the public record of a demo agreement shows a
verified (demo PKI) electronic signature beside its fingerprint, and so do the API, the bulk
data and the office's page in the workspace."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import User
from cooperation.models import SignedDocument
from demo import signatures as demo
from public_registry.models import PublishedAgreement
from tenants.demo import load_demo as load_regions_and_accounts
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_the_demo_agreement_shows_its_verified_signatures(
    django_capture_on_commit_callbacks, client_for, settings
):
    settings.LANGUAGE_CODE = "en"
    settings.JEJARING_SIGNATURE_TRUST_ROOTS_DIR = str(demo.trust_roots_folder())
    with django_capture_on_commit_callbacks(execute=True):
        load_regions_and_accounts()
        demo.load()
        demo.load()  # idempotent: nothing entered twice
    record = PublishedAgreement.objects.get(title=demo.TITLE)
    (document,) = SignedDocument.objects.filter(cooperation_id=record.cooperation_id)
    assert (demo.trust_roots_folder() / "jejaring-demo-root.pem").exists()

    public = client_for(None)
    url = reverse("public_registry:detail", args=[record.pk], urlconf="portal.urls_public")
    html = public.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert document.sha256 in html
    assert "Signed electronically by Wali Kota Malang (test)" in html
    assert "Signed electronically by Wali Kota Batu (test)" in html
    assert "certificate issued by Jejaring Demo CA DS, intact since signing." in html
    assert 'data-verdict="verified"' in html
    assert "Timestamp by Jejaring Demo TSA" in html

    api = public.get(f"/api/v1/agreements/{record.pk}/").json()
    signature = api["documents"][0]["signature"]
    assert signature["verdict"] == "verified" and signature["flagged"] is False
    assert [s["signer"]["name"] for s in signature["signatures"]] == [
        "Wali Kota Malang (test)",
        "Wali Kota Batu (test)",
    ]
    assert signature["signatures"][0]["timestamp"]["tsa"] == "Jejaring Demo TSA"

    download = public.get("/kerja-sama/unduh/csv/")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig")))
    )
    (row,) = [r for r in rows if r["id"] == str(record.pk)]
    assert "verified" in row["documents_signature"]

    # The office's page in the workspace says the same; nothing to accept (not flagged).
    malang = Tenant.objects.get(region_id=demo.MALANG)
    office = client_for(malang, User.objects.get(email=demo.OFFICE_EMAIL))
    page = office.get(f"/kerja-sama/{document_agreement(malang, record)}/").content.decode()
    assert "Signed electronically by Wali Kota Malang (test)" in page
    assert "signature-accept" not in page


def document_agreement(tenant, record) -> int:
    from django_tenants.utils import tenant_context

    from agreements.models import Agreement

    with tenant_context(tenant):
        return Agreement.objects.get(cooperation_id=record.cooperation_id).pk
