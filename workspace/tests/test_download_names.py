"""A document downloads under a name made from its whole title: a slash in a letter's number
("No. 12/2024") once cut the name at it ("2024.pdf")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context

from conftest import make_pdf
from core.files import download_name
from tenants.models import Role
from workspace.models import Document

pytestmark = pytest.mark.django_db


def test_a_title_with_slashes_downloads_under_its_whole_name(client_for, member, malang):
    client = client_for(malang, member(malang, Role.ADMIN))
    pdf = SimpleUploadedFile("surat.pdf", make_pdf(), content_type="application/pdf")
    title = "Surat No. 12/2024 tentang KSB"
    assert client.post("/dokumen/", {"title": title, "file": pdf, "area": ""}).status_code == 302
    with tenant_context(malang):
        document = Document.objects.get(title=title)
    response = client.get(reverse("workspace:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Surat No. 12-2024 tentang KSB.pdf"'
    )


def test_a_download_name_keeps_the_title_and_drops_what_cannot_be_in_a_name():
    assert download_name("No. 12/2024.pdf") == "No. 12-2024.pdf"
    assert download_name("KSB\\2025//final.pdf") == "KSB-2025-final.pdf"
    assert download_name("Nota\r\nKesepakatan.pdf") == "NotaKesepakatan.pdf"
    assert download_name("Perjanjian Kerja Sama.pdf") == "Perjanjian Kerja Sama.pdf"
    assert download_name("") == "dokumen.pdf"
