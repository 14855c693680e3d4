"""The document archive: who reads what, how files are stored and served, and upload limits."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.urls import reverse
from django_tenants.utils import tenant_context

from conftest import host_client, make_pdf
from core.uploads import DEFAULT_ALLOWANCE
from tenants.models import AuditEvent, Role
from workspace.models import Document

pytestmark = pytest.mark.django_db

DOCUMENTS = "/dokumen/"


def stored(tenant):
    with tenant_context(tenant):
        return list(Document.objects.order_by("pk"))


def pdf_of(size: int, name: str = "besar.pdf") -> SimpleUploadedFile:
    """A valid PDF of exactly `size` bytes (a comment pads it after the end marker)."""
    content = make_pdf()
    content += b"%" + b"x" * (size - len(content) - 2) + b"\n"
    assert len(content) == size
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, file, title="KSB Malang Raya", area="", restricted=False, **extra):
    data = {"title": title, "file": file, "area": area}
    if restricted:
        data["restricted"] = "on"
    return client.post(DOCUMENTS, data, **extra)


def download_url(document):
    return reverse("workspace:document_download", args=[document.pk])


# --- Reading rules, through the views ---------------------------------------------------------


def test_a_restricted_document_is_listed_and_served_only_to_those_who_may_read_it(
    client_for, member, malang
):
    opd = member(malang, Role.OPD, opd="Dinas Pertanian")
    colleague = member(malang, Role.OPD, opd="Dinas Pertanian")
    viewer = member(malang, Role.VIEWER)
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    response = upload(client_for(malang, opd), pdf_of(600), title="Draf PKS", restricted=True)
    assert response.status_code == 302
    (document,) = stored(malang)
    assert (document.restricted, document.uploaded_by_opd) == (True, "Dinas Pertanian")
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.data["restricted"] is True

    for reader in (opd, colleague, member(malang, Role.ADMIN), member(malang, Role.TKKSD)):
        client = client_for(malang, reader)
        assert "Draf PKS" in client.get(DOCUMENTS).content.decode()
        assert client.get(download_url(document)).status_code == 200
    for outsider in (viewer, lurah, member(malang, Role.OPD, opd="Bappeda")):
        client = client_for(malang, outsider)
        assert "Draf PKS" not in client.get(DOCUMENTS).content.decode()
        # Not found, exactly like a document that does not exist.
        assert client.get(download_url(document)).status_code == 404
        assert client.get(reverse("workspace:document_download", args=[99999])).status_code == 404


def test_a_lurah_reads_region_wide_documents_and_their_own_areas_only(client_for, member, malang):
    admin = client_for(malang, member(malang, Role.ADMIN))
    for title, area in (("Umum", ""), ("Purwantoro", "35.73.01.1007"), ("Klojen", "35.73.02")):
        assert upload(admin, pdf_of(600), title=title, area=area).status_code == 302
    klojen = next(d for d in stored(malang) if d.title == "Klojen")
    lurah = client_for(malang, member(malang, Role.LURAH, area="35.73.01.1007"))
    page = lurah.get(DOCUMENTS)
    assert [d.title for d in page.context["page"]] == ["Purwantoro", "Umum"]
    assert lurah.get(download_url(klojen)).status_code == 404


def test_downloads_refuse_anonymous_other_regions_and_platform_staff(
    client_for, member, malang, batu, staff_user, user_factory
):
    upload(client_for(malang, member(malang, Role.ADMIN)), pdf_of(600))
    (document,) = stored(malang)
    anonymous = client_for(malang).get(download_url(document))
    assert anonymous.status_code == 302 and "/akun/sesi/" in anonymous["Location"]
    for outsider in (member(batu, Role.ADMIN), staff_user, user_factory()):
        assert client_for(malang, outsider).get(download_url(document)).status_code == 404
    viewer = client_for(malang, member(malang, Role.VIEWER))
    assert viewer.post(download_url(document)).status_code == 405


# --- Serving and storing files ----------------------------------------------------------------


def test_documents_are_served_as_sandboxed_attachments(client_for, member, malang):
    client = client_for(malang, member(malang, Role.ADMIN))
    upload(client, pdf_of(600), title="Profil tempe Sanan")
    (document,) = stored(malang)
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Profil tempe Sanan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["profil.html", "scan.PDF.svg", "tanpa-ekstensi"])
def test_files_are_stored_as_pdf_whatever_their_uploaded_name(client_for, member, malang, name):
    client = client_for(malang, member(malang, Role.ADMIN))
    assert upload(client, pdf_of(600, name=name)).status_code == 302
    (document,) = stored(malang)
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert document.file.name.count(".") == 1
    assert document.original_name == name


# --- Upload limits ----------------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.JEJARING_DOCUMENT_MAX_BYTES = 2048
    return 2048


@pytest.fixture
def parsing_forbidden(monkeypatch):
    """Fails the test if anything parses a multipart body."""

    def refuse(self):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", refuse)


def test_an_oversized_body_is_refused_from_its_length_before_it_is_parsed(
    client_for, member, malang, small_limit, parsing_forbidden
):
    client = client_for(malang, member(malang, Role.ADMIN))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(client, pdf_of(small_limit + DEFAULT_ALLOWANCE + 1))
    assert response.status_code == 413
    assert response.context["error"].code == "request_too_large"
    assert "the limit is 2.0\xa0KB. Nothing was saved." in response.content.decode()
    assert stored(malang) == []
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


def test_an_oversized_body_gets_json_when_json_is_asked_for(
    client_for, member, malang, small_limit, parsing_forbidden
):
    admin = member(malang, Role.ADMIN)
    response = upload(
        client_for(malang, admin),
        pdf_of(small_limit + DEFAULT_ALLOWANCE + 1),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    assert json.loads(response.content)["error"]["code"] == "request_too_large"
    assert stored(malang) == []


def test_the_form_refuses_a_file_over_the_limit_within_the_allowance(
    client_for, member, malang, small_limit
):
    client = client_for(malang, member(malang, Role.ADMIN))
    response = upload(client, pdf_of(small_limit + 1))
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [
        "letter_too_large"
    ]
    assert stored(malang) == []
    # A file exactly at the limit is filed.
    assert upload(client, pdf_of(small_limit)).status_code == 302
    assert len(stored(malang)) == 1


def test_the_length_guard_keeps_csrf_protection(member, malang):
    admin = member(malang, Role.ADMIN)
    client = host_client(malang.get_primary_domain().domain, admin)
    client.handler.enforce_csrf_checks = True
    assert upload(client, pdf_of(600)).status_code == 403
    assert stored(malang) == []


def test_the_archive_and_emblem_actions_never_run_inside_a_callers_transaction(
    malang, member, pdf_file
):
    """The document's row and event are written in a transaction of their own (core.actions):
    inside a caller's they are refused, and the file stored first is removed again."""
    from django.db import transaction

    from tenants.models import Membership
    from workspace import actions
    from workspace.models import Document

    office = Membership.objects.get(user=member(malang, Role.ADMIN), tenant=malang)
    with tenant_context(malang):
        with transaction.atomic():
            with pytest.raises(RuntimeError, match="durable"):
                actions.upload_document(
                    membership=office, title="Surat", file=pdf_file(), area=None
                )
            with pytest.raises(RuntimeError, match="durable"):
                actions.remove_emblem(membership=office)
        assert not Document.objects.exists()
