"""Applying for a region and the staff's review queue, through real HTTP (Django's client)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_exists

from tenants.models import ApplicationStatus, Membership, RegionApplication, Role, Tenant

pytestmark = pytest.mark.django_db

APPLY = "/daftar-daerah/"


def application_data(pdf_file, region="35.15", **overrides):
    data = {
        "region": region,
        "position": "Kepala Bagian Kerja Sama",
        "office": "Bagian Kerja Sama, Setda Kabupaten Sidoarjo",
        "official_email": "kerjasama@sidoarjokab.go.id",
        "phone": "(031) 8921954",
        "letter": pdf_file(),
    }
    data.update(overrides)
    return data


def test_anonymous_people_are_sent_to_log_in(client_for):
    response = client_for(None).get(APPLY)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


def test_form_lists_only_regions_still_open(client_for, user_factory):
    html = client_for(None, user_factory()).get(APPLY).content.decode()
    assert 'value="35.15"' in html  # Kabupaten Sidoarjo: not on the platform yet
    assert 'value="35.73"' not in html  # Kota Malang: already a tenant
    assert 'value="31.71"' not in html  # administrative city: never a tenant


def test_apply_records_the_application_and_emails_the_applicant(
    client_for, user_factory, pdf_file, django_capture_on_commit_callbacks
):
    applicant = user_factory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None, applicant).post(APPLY, application_data(pdf_file))
    assert response.status_code == 302
    application = RegionApplication.objects.get()
    assert application.region_id == "35.15"
    assert application.applicant == applicant
    assert application.status == ApplicationStatus.PENDING
    assert application.letter.read(5) == b"%PDF-"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [applicant.email]
    assert "Kabupaten Sidoarjo" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"region": "35.1x"}, "region", "is not a valid Kemendagri region code"),
        ({"region": "99.98"}, "region", "No region has the code 99.98"),
        ({"region": "35.73"}, "region", "Kota Malang is already on Jejaring"),
        ({"region": "31.71"}, "region", "has no regional government of its own"),
        ({"phone": "call me"}, "phone", "Enter a phone number"),
        ({"official_email": "not-an-email"}, "official_email", "valid email"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    client_for, user_factory, pdf_file, overrides, field, message, settings
):
    settings.LANGUAGE_CODE = "en"
    client = client_for(None, user_factory())
    response = client.post(
        APPLY, application_data(pdf_file, **overrides), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not RegionApplication.objects.exists()


def test_a_letter_that_is_not_really_a_pdf_is_refused(client_for, user_factory, pdf_file):
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    truncated = SimpleUploadedFile(
        "surat.pdf", b"%PDF-1.7\n garbage", content_type="application/pdf"
    )
    client = client_for(None, user_factory())
    for letter in (fake, truncated):
        response = client.post(APPLY, application_data(pdf_file, letter=letter))
        assert response.status_code == 400
        assert response.context["form"].errors.as_data()["letter"][0].code == "letter_not_pdf"
    assert not RegionApplication.objects.exists()


def test_an_oversized_letter_is_refused(client_for, user_factory, pdf_file, settings):
    settings.JEJARING_LETTER_MAX_BYTES = 100
    response = client_for(None, user_factory()).post(APPLY, application_data(pdf_file))
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["letter"][0].code == "letter_too_large"
    assert not RegionApplication.objects.exists()


def test_one_pending_application_per_region(client_for, user_factory, pdf_file):
    client_for(None, user_factory()).post(APPLY, application_data(pdf_file))
    response = client_for(None, user_factory()).post(APPLY, application_data(pdf_file))
    assert response.status_code == 400
    assert (
        response.context["form"].errors.as_data()["region"][0].code == "application_already_pending"
    )
    assert RegionApplication.objects.count() == 1


def test_an_unverified_account_cannot_apply(client_for, user_factory, pdf_file):
    unverified = user_factory(verified=False)
    response = client_for(None, unverified).post(APPLY, application_data(pdf_file))
    assert response.status_code == 302
    assert response["Location"] == "/akun/email/"
    assert not RegionApplication.objects.exists()


@pytest.fixture
def pending(client_for, user_factory, pdf_file):
    applicant = user_factory()
    client_for(None, applicant).post(APPLY, application_data(pdf_file))
    mail.outbox.clear()
    return RegionApplication.objects.get()


def queue_url(application=None, suffix=""):
    return (
        f"/platform/permohonan/{application.pk}/{suffix}"
        if application
        else "/platform/permohonan/"
    )


def test_only_platform_staff_see_the_queue_and_letters(
    client_for, member, malang, staff_user, pending, user_factory
):
    region_admin = member(malang, Role.ADMIN)
    for user in (user_factory(), region_admin, pending.applicant):
        client = client_for(None, user)
        assert client.get(queue_url()).status_code == 403
        assert client.get(queue_url(pending)).status_code == 403
        assert client.get(queue_url(pending, "surat/")).status_code == 403
        assert client.post(queue_url(pending), {"decision": "approve"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    staff = client_for(None, staff_user)
    assert "Kabupaten Sidoarjo" in staff.get(queue_url()).content.decode()
    letter = staff.get(queue_url(pending, "surat/"))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")


def test_staff_approve_provisions_the_region_and_emails_the_applicant(
    client_for, staff_user, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None, staff_user).post(queue_url(pending), {"decision": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.APPROVED and pending.reviewed_by == staff_user
    tenant = Tenant.objects.get(region_id="35.15")
    assert pending.tenant == tenant
    assert schema_exists("kabupaten_sidoarjo")
    assert Membership.objects.get(tenant=tenant).user == pending.applicant
    assert Membership.objects.get(tenant=tenant).role == Role.ADMIN
    assert mail.outbox[0].to == [pending.applicant.email]
    assert "http://kabupaten-sidoarjo.localhost:8000/" in mail.outbox[0].body


def test_staff_reject_needs_a_reason_and_tells_the_applicant(
    client_for, staff_user, pending, django_capture_on_commit_callbacks
):
    staff = client_for(None, staff_user)
    response = staff.post(queue_url(pending), {"decision": "reject", "reason": "  "})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            queue_url(pending),
            {"decision": "reject", "reason": "Surat tugas tidak ditandatangani."},
        )
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.REJECTED
    assert not Tenant.objects.filter(region_id="35.15").exists()
    assert "Surat tugas tidak ditandatangani." in mail.outbox[0].body


def test_a_decided_application_cannot_be_decided_again(client_for, staff_user, pending):
    staff = client_for(None, staff_user)
    staff.post(queue_url(pending), {"decision": "reject", "reason": "Tidak lengkap"})
    response = staff.post(queue_url(pending), {"decision": "approve"})
    assert response.status_code == 400
    assert not Tenant.objects.filter(region_id="35.15").exists()


def test_applicant_sees_the_status_of_their_applications(client_for, pending, user_factory):
    html = client_for(None, pending.applicant).get("/ruang-kerja/").content.decode()
    assert "Kabupaten Sidoarjo" in html
    assert (
        "Kabupaten Sidoarjo"
        not in client_for(None, user_factory()).get("/ruang-kerja/").content.decode()
    )
