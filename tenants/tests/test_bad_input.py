"""Bad input answered with a clear 400, never a 500, and nothing left behind."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.models import Invitation, RegionApplication, Role

pytestmark = pytest.mark.django_db

MALFORMED_PDF = (Path(__file__).parent / "data" / "malformed.pdf").read_bytes()


def application(pdf, **overrides):
    data = {
        "region": "35.15",
        "position": "Kepala Bagian Kerja Sama",
        "office": "Setda Kabupaten Sidoarjo",
        "official_email": "kerjasama@sidoarjokab.go.id",
        "phone": "(031) 8921954",
        "letter": pdf,
    }
    return {**data, **overrides}


def test_a_malformed_pdf_is_refused_not_crashed_on(client_for, user_factory, member, malang):
    assert MALFORMED_PDF.startswith(b"%PDF-")
    response = client_for(None, user_factory()).post(
        "/daftar-daerah/",
        application(SimpleUploadedFile("surat.pdf", MALFORMED_PDF, "application/pdf")),
    )
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["letter"][0].code == "letter_not_pdf"
    admin = member(malang, Role.ADMIN)
    upload = client_for(malang, admin).post(
        "/dokumen/", {"title": "x", "file": SimpleUploadedFile("x.pdf", MALFORMED_PDF)}
    )
    assert upload.status_code == 400


def test_overlong_email_addresses_are_form_errors(
    client_for, user_factory, member, malang, pdf_file
):
    long_email = "a" * 250 + "@contoh.test"  # valid for a form field, too long for the column
    response = client_for(None, user_factory()).post(
        "/daftar-daerah/", application(pdf_file(), official_email=long_email)
    )
    assert response.status_code == 400 and "official_email" in response.context["form"].errors
    admin = member(malang, Role.ADMIN)
    invite = client_for(malang, admin).post("/anggota/", {"email": long_email, "role": "viewer"})
    assert invite.status_code == 400 and "email" in invite.context["form"].errors
    assert not RegionApplication.objects.exists() and not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("tenant", "path"),
    [
        (None, "/akun/sesi/terima/?token=%00"),
        (None, "/akun/sesi/?next=http://kota-malang.localhost%00/"),
        (None, "/api/wilayah/?q=%00"),
        ("malang", "/undangan/%00/"),
    ],
)
def test_nul_bytes_are_bad_requests(client_for, member, malang, tenant, path):
    user = member(malang, Role.VIEWER)
    response = client_for(malang if tenant else None, user).get(path)
    assert response.status_code == 400


def test_a_refused_application_leaves_no_letter_on_disk(client_for, user_factory, pdf_file):
    def letters():
        if not default_storage.exists("applications"):
            return 0
        return sum(1 for p in Path(default_storage.path("applications")).rglob("*.pdf"))

    client_for(None, user_factory()).post("/daftar-daerah/", application(pdf_file()))
    before = letters()
    # A second application for the same region is refused after its letter was validated.
    response = client_for(None, user_factory()).post("/daftar-daerah/", application(pdf_file()))
    assert response.status_code == 400
    assert RegionApplication.objects.count() == 1
    assert letters() == before
