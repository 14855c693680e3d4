"""Each right of UU 27/2022 as a person and staff use it: a copy (only one's own data, across
region schemas whose primary keys collide), erasure (what is kept stays intact and consistent),
correction and restriction answered by staff, and the pages' refusals."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from conftest import make_pdf
from cooperation.models import Cooperation, Party, SignedDocument
from marketplace.models import Inquiry, InquiryMessage, Listing, SavedSearch
from privacy import exports
from privacy.errors import ErrorCode
from privacy.models import DataRequest, ExportState, PersonalExport, RequestKind, RequestState
from tenants import audit
from tenants.models import (
    AuditEvent,
    Invitation,
    Membership,
    Region,
    RegionApplication,
    Role,
)
from workspace.models import Document

pytestmark = pytest.mark.django_db


def _document(tenant, user, title):
    with tenant_context(tenant):
        document = Document(
            title=title,
            original_name="a.pdf",
            uploaded_by=user,
            uploaded_by_email=user.email,
        )
        document.file.save("a.pdf", ContentFile(make_pdf()), save=False)
        document.save()
        return document.pk


def _listing(tenant, **fields):
    return Listing.objects.create(
        tenant=tenant,
        kind="product",
        title=fields.pop("title", "Tempe Sanan"),
        description="Tempe.",
        sector="C",
        urusan="3.30",
        contact_name="Bu Sri",
        status="published",
        published_at=timezone.now(),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
        **fields,
    )


def _application(user, status="pending", reviewed_days_ago=None, code="35.78"):
    application = RegionApplication(
        region=Region.objects.get(code=code),
        applicant=user,
        position="Kepala Bagian Kerja Sama",
        office="Setda",
        official_email="kerjasama@contoh.go.id",
        phone="(031) 5312144",
        status=status,
    )
    if reviewed_days_ago is not None:
        application.reviewed_at = timezone.now() - datetime.timedelta(days=reviewed_days_ago)
    application.letter.save("surat.pdf", ContentFile(make_pdf()), save=False)
    application.save()
    return application


def _read_copy(response) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json")), archive


@pytest.fixture
def two_people(malang, batu, member):
    """Ani (a member of Kota Malang) and Budi (of Kota Batu, and Kota Malang's viewer), each with
    a document in their region whose primary keys are the same (the sequences collide)."""
    ani = member(malang, Role.OPD, opd="Dinas Pertanian", full_name="Ani Wijaya")
    budi = member(batu, Role.VIEWER, full_name="Budi Santoso")
    Membership.objects.create(user=budi, tenant=malang, role=Role.VIEWER)
    ani_doc = _document(malang, ani, "Nota Ani")
    budi_doc = _document(batu, budi, "Nota Budi")
    assert ani_doc == budi_doc  # colliding keys, as in production
    return ani, budi


def test_a_copy_holds_the_persons_data_and_nobody_elses(
    two_people, malang, batu, client_for, django_capture_on_commit_callbacks
):
    ani, budi = two_people
    _application(ani)
    Invitation.objects.create(
        tenant=malang, email="cici@contoh.test", role=Role.VIEWER, invited_by=ani
    )
    listing = _listing(batu, title="Apel Batu", contact_email=budi.email)
    inquiry = Inquiry.objects.create(
        listing=listing, sender=ani, sender_email=ani.email, subject="Pasokan apel"
    )
    InquiryMessage.objects.create(inquiry=inquiry, author=ani, body="Berapa harganya?")
    InquiryMessage.objects.create(
        inquiry=inquiry, author=budi, from_listing_region=True, body="Balasan dari Budi"
    )
    SavedSearch.objects.create(user=ani, name="Apel", text="apel")
    SavedSearch.objects.create(user=budi, name="Rahasia Budi", text="kopi")
    audit.record("privacy.request_made", actor=budi, tenant=malang, data={"request": 0})
    Authenticator.objects.create(user=ani, type="totp", data={"secret": "RAHASIA-TOTP-ANI"})

    client = client_for(None, ani)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/data-saya/salinan/")
    assert response.status_code == 302
    export = PersonalExport.objects.get(user=ani)
    assert export.state == ExportState.READY
    assert export.request.state == RequestState.DONE
    assert [m.to for m in mail.outbox] == [[ani.email]]

    response = client.get(f"/data-saya/salinan/{export.pk}/unduh/")
    assert response.status_code == 200
    data, archive = _read_copy(response)
    text = json.dumps(data)
    # The person's data, from the public schema and their region's schema.
    assert data["data"]["account"]["email"] == ani.email
    assert (
        data["data"]["work_in_regions"][malang.schema_name]["documents_uploaded"][0]["title"]
        == "Nota Ani"
    )
    assert data["data"]["marketplace"]["saved_searches"][0]["name"] == "Apel"
    assert data["data"]["region_applications"][0]["phone"] == "(031) 5312144"
    letter = data["data"]["region_applications"][0]["letter"]
    assert archive.read(letter).startswith(b"%PDF")
    # Nobody else's: not Budi's document of the same key in Kota Batu, nor Budi's address
    # (his reply is given as the region's), nor the invitee's address, nor any secret.
    assert batu.schema_name not in data["data"]["work_in_regions"]
    for foreign in (
        "Nota Budi",
        budi.email,
        budi.full_name,
        "Rahasia Budi",
        "cici@contoh.test",
        "RAHASIA-TOTP-ANI",
        ani.password,
    ):
        assert foreign not in text, foreign
    assert "Balasan dari Budi" in text  # the reply written to her, without its author


def test_a_copy_is_its_owners_only_and_expires(
    two_people, client_for, django_capture_on_commit_callbacks
):
    ani, budi = two_people
    with django_capture_on_commit_callbacks(execute=True):
        request = exports.request_copy(user=ani)
    export = request.export
    assert client_for(None, budi).get(f"/data-saya/salinan/{export.pk}/unduh/").status_code == 404
    assert client_for(None).get(f"/data-saya/salinan/{export.pk}/unduh/").status_code == 302
    path = exports.export_root() / PersonalExport.objects.get(pk=export.pk).file_name
    assert path.is_file()
    PersonalExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    response = client_for(None, ani).get(f"/data-saya/salinan/{export.pk}/unduh/")
    assert response.status_code == 409
    assert not path.exists()
    assert PersonalExport.objects.get(pk=export.pk).state == ExportState.EXPIRED


def test_a_second_copy_while_one_is_prepared_is_refused(two_people):
    ani, _ = two_people
    DataRequest.objects.create(user=ani, kind=RequestKind.ACCESS)
    from core.errors import Conflict

    with pytest.raises(Conflict) as refused:
        exports.request_copy(user=ani)
    assert refused.value.code == ErrorCode.REQUEST_OPEN


def _signed_agreement(malang, signer, uploader):
    from public_registry.publishing import publish

    cooperation = Cooperation.objects.create(
        kind="ksdd_sukarela",
        title="KSB Malang Raya",
        urusan=["1.03"],
        stage="ksb_signed",
        signed_on=datetime.date(2026, 2, 10),
        ksb_signed_on=datetime.date(2026, 2, 10),
        owner=malang,
    )
    Party.objects.create(
        cooperation=cooperation,
        position=0,
        kind="region",
        region=malang.region,
        name=malang.region.full_name,
        signatory_name=signer.full_name,
        signatory_position="Wali Kota",
        signatory_authority="UU 23/2014",
    )
    with tenant_context(malang):
        signed = SignedDocument(
            cooperation=cooperation,
            instrument="ksb",
            signed_on=datetime.date(2026, 2, 10),
            original_name="ksb.pdf",
            size=1,
            sha256="0" * 64,
            stored_schema=malang.schema_name,
            uploaded_by=uploader,
            uploaded_by_email=uploader.email,
        )
        signed.file.save("ksb.pdf", ContentFile(make_pdf()), save=False)
        signed.save()
    return publish(cooperation, reason="sign_ksb")


def test_erasure_erases_what_it_may_and_keeps_public_records_consistent(
    two_people, malang, batu, member, staff_user, client_for, django_capture_on_commit_callbacks
):
    from public_registry.models import PublishedAgreement, PublishedVersion

    ani, budi = two_people
    record = _signed_agreement(malang, signer=ani, uploader=ani)
    versions_before = list(PublishedVersion.objects.values_list("pk", "snapshot"))
    official_act = audit.record(
        "privacy.request_made", actor=ani, tenant=malang, data={"request": 0}
    )
    SavedSearch.objects.create(user=ani, name="Apel", text="apel")
    unanswered = Inquiry.objects.create(
        listing=_listing(batu), sender=ani, sender_email=ani.email, subject="Apel"
    )
    rejected = _application(ani, status="rejected", reviewed_days_ago=1)
    letter_name = rejected.letter.name
    old_email = ani.email
    Authenticator.objects.create(user=ani, type="totp", data={"secret": "RAHASIA"})

    person = client_for(None, ani)
    page = person.get("/data-saya/hapus/")
    assert page.status_code == 200
    assert "Pasal 15" in page.content.decode()  # what is kept, and why, before she asks
    response = person.post("/data-saya/hapus/", {"confirm": "on"})
    assert response.status_code == 302
    request = DataRequest.objects.get(user=ani, kind=RequestKind.ERASURE)
    assert request.due_at - request.created_at == datetime.timedelta(hours=72)

    staff = client_for(None, staff_user)
    assert staff.get(f"/platform/data-pribadi/{request.pk}/").status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/platform/data-pribadi/{request.pk}/selesaikan/", {"outcome": ""})
    assert response.status_code == 302, response.content
    ani.refresh_from_db()
    request.refresh_from_db()
    pseudonym = ani.email

    # The account can no longer sign in and no longer names the person.
    assert not ani.is_active and not ani.has_usable_password() and ani.full_name == ""
    assert pseudonym.endswith("@terhapus.invalid") and old_email not in pseudonym
    assert person.get("/data-saya/").status_code == 302  # signed out everywhere
    assert not Authenticator.objects.filter(user=ani).exists()
    # Erased: what existed only for the person.
    assert not Membership.objects.filter(user=ani).exists()
    assert not SavedSearch.objects.filter(user=ani).exists()
    assert not Inquiry.objects.filter(pk=unanswered.pk).exists()
    assert not RegionApplication.objects.filter(pk=rejected.pk).exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(letter_name)
    # Pseudonymised, consistently: her work in the region and on the shared record stays, under
    # one pseudonym; Budi's row with the same key in Kota Batu is untouched.
    with tenant_context(malang):
        assert set(
            Document.objects.filter(uploaded_by_id=ani.pk).values_list(
                "uploaded_by_email", flat=True
            )
        ) == {pseudonym}
    with tenant_context(batu):
        assert Document.objects.get(title="Nota Budi").uploaded_by_email == budi.email
    assert (
        SignedDocument.objects.get(cooperation_id=record.cooperation_id).uploaded_by_email
        == pseudonym
    )
    # Kept intact: the public record, its versions, the signatory, the audit trail of her act.
    assert list(PublishedVersion.objects.values_list("pk", "snapshot")) == versions_before
    assert PublishedAgreement.objects.filter(pk=record.pk).exists()
    assert Party.objects.get(cooperation_id=record.cooperation_id).signatory_name == "Ani Wijaya"
    official_act.refresh_from_db()
    assert official_act.actor_id == ani.pk and official_act.actor_email == old_email
    # The report says what was kept and why, and went to her former address.
    kinds = {(item["kind"], item["action"]) for item in request.report}
    assert ("signatory", "kept") in kinds and ("audit", "kept") in kinds
    assert ("region_workspace", "pseudonymised") in kinds
    sent = [m for m in mail.outbox if m.to == [old_email]]
    assert len(sent) == 1 and "Pasal 15" in sent[0].body
    assert request.state == RequestState.DONE and request.handled_by == staff_user


def test_the_only_administrator_cannot_be_erased_until_the_region_has_another(
    malang, member, staff_user
):
    from core.errors import Conflict
    from privacy import requests

    admin = member(malang, Role.ADMIN)
    for other in Membership.objects.filter(tenant=malang, role=Role.ADMIN).exclude(user=admin):
        other.delete()
    request = requests.make_request(user=admin, kind=RequestKind.ERASURE)
    with pytest.raises(Conflict) as refused:
        requests.complete(acting_user=staff_user, request_id=request.pk)
    assert refused.value.code == ErrorCode.LAST_ADMINISTRATOR
    admin.refresh_from_db()
    assert admin.is_active and Membership.objects.filter(user=admin).exists()
    member(malang, Role.ADMIN)
    requests.complete(acting_user=staff_user, request_id=request.pk)
    admin.refresh_from_db()
    assert not admin.is_active


def test_correction_is_answered_by_staff_with_what_was_done(
    two_people, staff_user, client_for, django_capture_on_commit_callbacks
):
    ani, budi = two_people
    person = client_for(None, ani)
    response = person.post(
        "/data-saya/permintaan/", {"kind": "correction", "details": "Nama saya Ani Wijayanti."}
    )
    assert response.status_code == 302
    request = DataRequest.objects.get(user=ani, kind=RequestKind.CORRECTION)
    staff = client_for(None, staff_user)
    # Staff must say what was done.
    assert staff.post(f"/platform/data-pribadi/{request.pk}/selesaikan/", {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            f"/platform/data-pribadi/{request.pk}/selesaikan/",
            {"outcome": "Nama diganti menjadi Ani Wijayanti."},
        )
    request.refresh_from_db()
    assert request.state == RequestState.DONE
    assert "Ani Wijayanti" in person.get("/data-saya/").content.decode()
    # Another person neither sees nor withdraws it; a second answer is refused.
    assert "Ani Wijayanti" not in client_for(None, budi).get("/data-saya/").content.decode()
    assert (
        client_for(None, budi).post(f"/data-saya/permintaan/{request.pk}/tarik/").status_code == 404
    )
    again = staff.post(f"/platform/data-pribadi/{request.pk}/tolak/", {"outcome": "Tidak."})
    assert again.status_code == 409


def test_restriction_can_be_withdrawn_by_its_person_and_refused_by_staff(two_people, staff_user):
    from privacy import requests

    ani, _ = two_people
    request = requests.make_request(user=ani, kind=RequestKind.RESTRICTION, details="x")
    requests.withdraw(user=ani, request_id=request.pk)
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
    second = requests.make_request(user=ani, kind=RequestKind.RESTRICTION, details="y")
    requests.refuse(acting_user=staff_user, request_id=second.pk, outcome="Kewajiban hukum.")
    second.refresh_from_db()
    assert second.state == RequestState.REFUSED and second.outcome == "Kewajiban hukum."


def test_staff_pages_are_staffs_and_show_the_time_left(
    two_people, member, malang, staff_user, client_for
):
    ani, _ = two_people
    DataRequest.objects.create(user=ani, kind=RequestKind.ERASURE)
    assert client_for(None, ani).get("/platform/data-pribadi/").status_code == 403
    admin = member(malang, Role.ADMIN)
    assert client_for(None, admin).get("/platform/data-pribadi/").status_code == 403
    page = client_for(None, staff_user).get("/platform/data-pribadi/")
    assert page.status_code == 200 and ani.email in page.content.decode()
    record = client_for(None, staff_user).get("/platform/data-pribadi/catatan/")
    assert "tenants.RegionApplication.letter" in record.content.decode()


def test_a_person_corrects_their_own_name_at_once(two_people, client_for):
    ani, budi = two_people
    person = client_for(None, ani)
    assert person.post("/data-saya/nama/", {"full_name": ""}).status_code == 400
    assert person.post("/data-saya/nama/", {"full_name": "  Ani   Wijayanti "}).status_code == 302
    ani.refresh_from_db()
    budi.refresh_from_db()
    assert ani.full_name == "Ani Wijayanti" and budi.full_name == "Budi Santoso"
    event = AuditEvent.objects.get(action="privacy.name_corrected")
    assert event.actor == ani and event.data == {}


def test_the_menu_links_to_my_data_on_the_platform_from_a_regions_subdomain(
    two_people, malang, client_for
):
    ani, _ = two_people
    page = client_for(malang, ani).get("/")
    assert page.status_code == 200
    from core.hosts import platform_url

    assert f'href="{platform_url("/data-saya/")}"' in page.content.decode()
    assert platform_url("/platform/data-pribadi/") not in page.content.decode()


def test_staff_find_the_requests_in_their_menu(staff_user, client_for):
    from core.hosts import platform_url

    page = client_for(None, staff_user).get("/data-saya/")
    assert f'href="{platform_url("/platform/data-pribadi/")}"' in page.content.decode()
