"""Applying for a region and the staff's review queue, through real HTTP (Django's client)."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_exists

from tenants.models import (
    ApplicationStatus,
    AuditEvent,
    Membership,
    RegionApplication,
    Role,
    Tenant,
)

pytestmark = pytest.mark.django_db

APPLY = "/daftar-daerah/"
CONFIRM_LINK = re.compile(r"http://localhost:8000(/daftar-daerah/konfirmasi/[^/\s]+/)")


def url(name, *args):
    return reverse(f"platform:{name}", args=args, urlconf="portal.urls_public")


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def confirmation_path(official_email="kerjasama@sidoarjokab.go.id") -> str:
    """The confirmation link in the last e-mail to the official address."""
    (message,) = [m for m in mail.outbox if m.to == [official_email]][-1:]
    return CONFIRM_LINK.search(message.body).group(1)


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


def test_anonymous_people_are_told_an_account_comes_first(client_for, english, pdf_file):
    response = client_for(None).get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Applying for your region needs a Jejaring account first" in html
    # Sign up and log in, each coming back to the form.
    assert 'href="/akun/signup/?next=%2Fdaftar-daerah%2F"' in html
    assert 'href="/akun/login/?next=%2Fdaftar-daerah%2F"' in html
    posted = client_for(None).post(APPLY, application_data(pdf_file))
    assert posted.status_code == 200 and not RegionApplication.objects.exists()


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
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applicant.email, "kerjasama@sidoarjokab.go.id"]
    )
    assert all("Kabupaten Sidoarjo" in m.subject for m in mail.outbox)
    # The official address gets a single-use link; only its hash is stored.
    token = confirmation_path().rstrip("/").rsplit("/", 1)[1]
    assert application.email_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(RegionApplication.objects.filter(pk=application.pk).values().get())
    assert application.email_confirmed_at is None


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
def unconfirmed(client_for, user_factory, pdf_file, django_capture_on_commit_callbacks):
    applicant = user_factory()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(None, applicant).post(APPLY, application_data(pdf_file))
    application = RegionApplication.objects.get()
    application.confirm_path = confirmation_path()
    mail.outbox.clear()
    return application


@pytest.fixture
def pending(unconfirmed, client_for):
    """A pending application whose official address is confirmed."""
    assert client_for(None).post(unconfirmed.confirm_path).status_code == 200
    unconfirmed.refresh_from_db()
    assert unconfirmed.email_confirmed
    return unconfirmed


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
        assert client.post(queue_url(pending, "setujui/")).status_code == 403
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    staff = client_for(None, staff_user)
    assert "Kabupaten Sidoarjo" in staff.get(queue_url()).content.decode()
    letter = staff.get(queue_url(pending, "surat/"))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    # A download, never rendered in the platform's origin.
    assert letter["Content-Disposition"].startswith("attachment;")
    assert letter["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")


def test_staff_approve_provisions_the_region_and_emails_the_applicant(
    client_for, staff_user, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None, staff_user).post(queue_url(pending, "setujui/"))
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
    response = staff.post(queue_url(pending, "tolak/"), {"reason": "  "})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            queue_url(pending, "tolak/"),
            {"reason": "Surat tugas tidak ditandatangani."},
        )
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.REJECTED
    assert not Tenant.objects.filter(region_id="35.15").exists()
    assert "Surat tugas tidak ditandatangani." in mail.outbox[0].body


def test_a_decided_application_cannot_be_decided_again(client_for, staff_user, pending):
    staff = client_for(None, staff_user)
    staff.post(queue_url(pending, "tolak/"), {"reason": "Tidak lengkap"})
    response = staff.post(queue_url(pending, "setujui/"))
    assert response.status_code == 400
    assert not Tenant.objects.filter(region_id="35.15").exists()


def test_applicant_sees_the_status_of_their_applications(client_for, pending, user_factory):
    html = client_for(None, pending.applicant).get("/ruang-kerja/").content.decode()
    assert "Kabupaten Sidoarjo" in html
    assert (
        "Kabupaten Sidoarjo"
        not in client_for(None, user_factory()).get("/ruang-kerja/").content.decode()
    )


def test_the_official_address_is_confirmed_once_by_the_emailed_link(
    client_for, unconfirmed, staff_user, english
):
    link = unconfirmed.confirm_path
    anyone = client_for(None)
    # Opening the link (as a mail scanner would) shows what is confirmed and changes nothing.
    page = anyone.get(link)
    assert page.status_code == 200
    assert "kerjasama@sidoarjokab.go.id" in page.content.decode()
    unconfirmed.refresh_from_db()
    assert not unconfirmed.email_confirmed
    staff = client_for(None, staff_user)
    assert "not confirmed" in staff.get(url("application_queue")).content.decode()
    assert "not confirmed" in staff.get(url("application_detail", unconfirmed.pk)).content.decode()
    assert (
        "not confirmed"
        in client_for(None, unconfirmed.applicant).get(url("application_status")).content.decode()
    )

    done = anyone.post(link)
    assert done.status_code == 200 and "Address confirmed" in done.content.decode()
    unconfirmed.refresh_from_db()
    assert unconfirmed.email_confirmed and unconfirmed.email_token_hash == ""
    assert AuditEvent.objects.filter(action="application.email_confirmed").count() == 1
    for user in (None, unconfirmed.applicant):
        html = client_for(None, user).get(url("application_status")).content.decode()
        if user is not None:
            assert "not confirmed" not in html and "confirmed" in html
    assert "not confirmed" not in staff.get(url("application_queue")).content.decode()
    # Single use.
    for method in ("get", "post"):
        again = getattr(anyone, method)(link)
        assert again.status_code == 404
        assert "email_confirmation_invalid" in again.content.decode()
    assert AuditEvent.objects.filter(action="application.email_confirmed").count() == 1


@pytest.mark.parametrize("link", ["/daftar-daerah/konfirmasi/bukan-token/", "expired"])
def test_a_wrong_or_expired_link_confirms_nothing(client_for, unconfirmed, link, english):
    if link == "expired":
        link = unconfirmed.confirm_path
        RegionApplication.objects.update(email_token_expires_at=timezone.now())
    response = client_for(None).post(link)
    assert response.status_code == 404
    assert "This confirmation link is not valid" in response.content.decode()
    unconfirmed.refresh_from_db()
    assert not unconfirmed.email_confirmed


def test_staff_cannot_approve_an_unconfirmed_application(
    client_for, staff_user, unconfirmed, english
):
    response = client_for(None, staff_user).post(url("application_approve", unconfirmed.pk))
    assert response.status_code == 409
    assert "is not confirmed yet" in response.content.decode()
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == ApplicationStatus.PENDING
    assert not Tenant.objects.filter(region_id="35.15").exists()
    assert not schema_exists("kabupaten_sidoarjo")


def test_the_applicant_can_ask_for_a_new_link(
    client_for,
    unconfirmed,
    member,
    malang,
    staff_user,
    user_factory,
    english,
    django_capture_on_commit_callbacks,
):
    resend = url("application_resend_confirmation", unconfirmed.pk)
    old_link = unconfirmed.confirm_path
    assert client_for(None).post(resend)["Location"].startswith("/akun/login/")
    # Only the applicant: anyone else (staff included) finds no such application.
    for user in (user_factory(), member(malang, Role.ADMIN), staff_user):
        assert client_for(None, user).post(resend).status_code == 404
    applicant = client_for(None, unconfirmed.applicant)
    assert applicant.get(resend).status_code == 405
    # Too soon after the first link.
    assert applicant.post(resend).status_code == 409
    assert not mail.outbox

    RegionApplication.objects.update(
        email_confirmation_sent_at=timezone.now() - timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.post(resend)
    assert response.status_code == 302 and response["Location"] == url("application_status")
    new_link = confirmation_path()
    assert new_link != old_link
    assert client_for(None).post(old_link).status_code == 404
    assert client_for(None).post(new_link).status_code == 200
    # Confirmed: nothing more to send.
    RegionApplication.objects.update(
        email_confirmation_sent_at=timezone.now() - timedelta(minutes=10)
    )
    assert applicant.post(resend).status_code == 409


def test_one_account_has_at_most_the_cap_of_pending_applications(
    client_for, user_factory, pdf_file, settings, english
):
    settings.JEJARING_MAX_PENDING_APPLICATIONS = 2
    applicant = user_factory()
    client = client_for(None, applicant)
    for region in ("35.15", "35.16"):
        assert client.post(APPLY, application_data(pdf_file, region=region)).status_code == 302
    response = client.post(APPLY, application_data(pdf_file, region="35.17"))
    assert response.status_code == 400
    (error,) = response.context["form"].errors.as_data()["region"]
    assert error.code == "too_many_pending_applications"
    assert "2 applications awaiting review" in error.messages[0]
    assert RegionApplication.objects.filter(applicant=applicant).count() == 2
    # A decided application no longer counts; someone else is not limited by this account.
    RegionApplication.objects.filter(region_id="35.15").update(status=ApplicationStatus.REJECTED)
    assert client.post(APPLY, application_data(pdf_file, region="35.17")).status_code == 302
    other = client_for(None, user_factory())
    assert other.post(APPLY, application_data(pdf_file, region="35.18")).status_code == 302


def test_an_oversized_application_is_refused_from_its_declared_length_before_parsing(
    client_for, user_factory, settings
):
    settings.JEJARING_LETTER_MAX_BYTES = 1000
    client = client_for(None, user_factory())
    response = client.generic(
        "POST",
        "/daftar-daerah/",
        b"x" * 10,  # what is sent does not matter: the declared length decides
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert RegionApplication.objects.count() == 0
