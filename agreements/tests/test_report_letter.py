# ruff: noqa: F811 (the fixtures imported from test_reporting are arguments here)
"""The semester report is a letter an office can send (issue 18): on the region's letterhead
(its name, and its emblem once uploaded), with the number the office gives it, the place and
date, the addressee, and the signatory's name, position and NIP; always in Indonesian, whatever
the language of the person's interface (these clients speak English)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context
from PIL import Image
from pypdf import PdfReader

from agreements.reports.letter import (
    MINISTRY,
    LetterDetails,
    addressee_of,
    clean_nip,
    format_nip,
)
from tenants import letterhead
from tenants.models import AuditEvent, Region, Role

from .test_reporting import admin, client_for, office, register, url  # noqa: F401

pytestmark = pytest.mark.django_db

LETTER = {
    "number": "000.9/417/35.73.112/2026",
    "place": "Malang",
    "date": "2026-07-10",
    "signatory_name": "Dr. Ir. Erik Setyo Santoso, M.T.",
    "signatory_position": "Sekretaris Daerah Kota Malang",
    "signatory_nip": "19700101 199003 1 001",
}


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def _png(size=(40, 40), colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile("lambang.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def emblems(malang, batu):
    """The emblems are files at a fixed name in each region's folder: none before, none after."""
    for tenant in (malang, batu):
        with tenant_context(tenant):
            letterhead.delete_emblem()
    yield
    for tenant in (malang, batu):
        with tenant_context(tenant):
            letterhead.delete_emblem()


def test_the_pdf_is_an_indonesian_letter_with_number_place_date_and_signatory(
    client_for, malang, admin, register, emblems
):
    client = client_for(malang, admin)
    response = client.post(url("semester_report_download", 2026, 1, "pdf"), LETTER)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "PEMERINTAH KOTA MALANG" in text
    assert "000.9/417/35.73.112/2026" in text
    assert "Malang, 10 Juli 2026" in text
    assert "Gubernur Jawa Timur" in text
    assert "Dr. Ir. Erik Setyo Santoso, M.T." in text
    assert "Sekretaris Daerah Kota Malang" in text
    assert "NIP. 19700101 199003 1 001" in text
    # Indonesian headings, though the person reads the platform in English.
    for heading in ("Nomor", "Perihal", "Kepada Yth.", "Rekapitulasi menurut jenis dan status"):
        assert heading in text, heading
    for english in ("Recapitulation by kind and status", "Generated from the register", "Total"):
        assert english not in text, english
    # The page around it stays in the person's language.
    page = client.get(url("semester_report"), {"year": 2026, "semester": 1})
    assert "Recapitulation by kind and status" in page.text
    event = AuditEvent.objects.get(action="agreement.semester_report_downloaded")
    assert event.data["number"] == "000.9/417/35.73.112/2026"


def test_the_xlsx_carries_the_letters_details_in_indonesian(client_for, malang, admin, register):
    from openpyxl import load_workbook

    response = client_for(malang, admin).post(
        url("semester_report_download", 2026, 1, "xlsx"), LETTER
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Rekapitulasi"]
    recap = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    assert recap[0][0] == "PEMERINTAH KOTA MALANG"
    assert ["Nomor", "000.9/417/35.73.112/2026"] in recap
    assert ["Tempat dan tanggal", "Malang, 10 Juli 2026"] in recap
    assert ["Kepada Yth.", "Gubernur Jawa Timur"] in recap
    assert [
        "Penanda tangan",
        "Dr. Ir. Erik Setyo Santoso, M.T., Sekretaris Daerah Kota Malang, "
        "NIP 19700101 199003 1 001",
    ] in recap


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19700101 199003 1 00", "A NIP has 18 digits (spaces allowed)"),
        ("1970010119900310011", "A NIP has 18 digits (spaces allowed)"),
        ("19701301 199003 1 001", "This is not a valid NIP"),
        ("19700101 199003 3 001", "This is not a valid NIP"),
        ("NIP 19700101199003", "A NIP has 18 digits (spaces allowed)"),
    ],
)
def test_a_bad_nip_is_refused_with_a_clear_error_and_nothing_is_produced(
    client_for, malang, admin, register, nip, message
):
    response = client_for(malang, admin).post(
        url("semester_report_download", 2026, 1, "pdf"), {**LETTER, "signatory_nip": nip}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.context["letter_form"].errors["signatory_nip"][0]
    assert message in response.text
    assert not AuditEvent.objects.filter(action="agreement.semester_report_downloaded").exists()


def test_a_letter_needs_its_number_place_date_and_signatory(client_for, malang, admin, register):
    response = client_for(malang, admin).post(
        url("semester_report_download", 2026, 1, "pdf"), {"signatory_nip": ""}
    )
    assert response.status_code == 400
    assert set(response.context["letter_form"].errors) == {
        "number",
        "place",
        "date",
        "signatory_name",
        "signatory_position",
    }
    # An elected head of region has no NIP: the letter is made without one.
    head = {**LETTER, "signatory_name": "Drs. H. Wahyu Hidayat, M.M.", "signatory_nip": ""}
    head["signatory_position"] = "Wali Kota Malang"
    done = client_for(malang, admin).post(url("semester_report_download", 2026, 1, "pdf"), head)
    assert done.status_code == 200
    text = _pdf_text(done.content)
    assert "Wali Kota Malang" in text and "NIP" not in text


def test_who_produces_the_letter(client_for, malang, batu, member, register):
    path = url("semester_report_download", 2026, 1, "pdf")
    assert client_for(malang, member(malang, Role.TKKSD)).post(path, LETTER).status_code == 200
    for role in (Role.OPD, Role.CAMAT, Role.VIEWER):
        assert client_for(malang, member(malang, role)).post(path, LETTER).status_code == 403
    assert client_for(batu, member(malang, Role.ADMIN)).post(path, LETTER).status_code == 404


def test_the_emblem_is_uploaded_by_the_office_and_printed_on_its_own_letter_only(
    client_for, malang, batu, admin, member, register, emblems
):
    emblem_url = reverse("workspace:emblem", urlconf="portal.urls_tenant")
    office = client_for(malang, admin)
    assert office.get(emblem_url).status_code == 200
    # Not an image, or an image that is not PNG/JPEG: refused, nothing stored.
    for bad in (
        SimpleUploadedFile("lambang.png", b"%PDF-1.4 not an image", content_type="image/png"),
        _gif(),
    ):
        refused = office.post(emblem_url, {"emblem": bad})
        assert refused.status_code == 400
        assert "PNG or JPEG" in refused.text
    with tenant_context(malang):
        assert not letterhead.has_emblem()
    # Other roles and other regions do not set it.
    for role in (Role.TKKSD, Role.OPD, Role.VIEWER):
        assert (
            client_for(malang, member(malang, role))
            .post(emblem_url, {"emblem": _png()})
            .status_code
            == 403
        )
    assert client_for(batu, admin).post(emblem_url, {"emblem": _png()}).status_code == 404

    assert office.post(emblem_url, {"emblem": _png()}).status_code == 302
    with tenant_context(malang):
        assert letterhead.has_emblem()
    assert AuditEvent.objects.filter(tenant=malang, action="region.emblem_changed").count() == 1
    letter = office.post(url("semester_report_download", 2026, 1, "pdf"), LETTER)
    images = [
        image for page in PdfReader(io.BytesIO(letter.content)).pages for image in page.images
    ]
    assert images  # the emblem (and its transparency mask)
    # Kota Batu's letter has no emblem: Kota Malang's is in Kota Malang's folder.
    batu_office = client_for(batu, member(batu, Role.ADMIN))
    batu_letter = batu_office.post(url("semester_report_download", 2026, 1, "pdf"), LETTER)
    assert batu_letter.status_code == 200
    assert not [i for p in PdfReader(io.BytesIO(batu_letter.content)).pages for i in p.images]
    assert "PEMERINTAH KOTA BATU" in _pdf_text(batu_letter.content)
    # Removed: the letterhead is the name alone again.
    assert office.post(emblem_url, {"remove": "1"}).status_code == 302
    with tenant_context(malang):
        assert not letterhead.has_emblem()


def _gif() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    return SimpleUploadedFile("lambang.gif", buffer.getvalue(), content_type="image/gif")


def test_the_addressee_the_nip_and_the_frozen_details():
    assert addressee_of(Region.objects.get(code="35.73")) == "Gubernur Jawa Timur"
    assert addressee_of(Region.objects.get(code="35.07")) == "Gubernur Jawa Timur"
    assert addressee_of(Region.objects.get(code="35")) == MINISTRY
    assert clean_nip(" 19700101 199003 1 001 ") == "197001011990031001"
    assert clean_nip("") == ""
    assert format_nip("197001011990031001") == "19700101 199003 1 001"
    details = LetterDetails(
        number="1/2026",
        place="Malang",
        date=datetime.date(2026, 7, 10),
        signatory_name="A",
        signatory_position="Sekda",
        signatory_nip="197001011990031001",
    )
    assert LetterDetails.from_dict(details.as_dict()) == details
    with pytest.raises(AttributeError):
        details.number = "2/2026"
