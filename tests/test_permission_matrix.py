"""Every route, every kind of person: the table in tests/permission_matrix.py, checked.

1. Walking both URL configurations (the platform's and a region's) finds no route without a
   row: a new view cannot ship without a decision about who may use it.
2. Each row is requested as each actor, over real HTTP through Django's test client on the
   right host, and the answer is compared with the table.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tenants.utils import tenant_context

from conftest import UserFactory, host_client, make_pdf
from tenants.models import Invitation, Region, RegionApplication, Role

from .permission_matrix import ACTORS, LOGIN, MFA, OK, Row, all_rows

pytestmark = pytest.mark.django_db

HOSTS = {"platform": "localhost", "region": "kota-malang.localhost"}
ROWS = all_rows()
URLCONFS = {"platform": "portal.urls_public", "region": "portal.urls_tenant"}


def walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def covering_row(host: str, route: str) -> Row | None:
    rows = [r for r in ROWS if r.host == host]
    for row in rows:
        if row.route == route:
            return row
    for row in rows:
        if row.route.endswith("*") and route.startswith(row.route[:-1]):
            return row
    return None


@pytest.mark.parametrize("host", list(URLCONFS))
def test_every_route_has_a_row_in_the_matrix(host):
    routes = sorted(set(walk(get_resolver(URLCONFS[host]).url_patterns)))
    assert len(routes) > 10
    missing = [route for route in routes if covering_row(host, route) is None]
    assert missing == [], (
        f"Add these {host} routes to their app's tests/permission_rows.py: {missing}"
    )


def test_every_row_names_a_route_that_exists():
    for row in ROWS:
        routes = set(walk(get_resolver(URLCONFS[row.host]).url_patterns))
        if row.route.endswith("*"):
            assert any(r.startswith(row.route[:-1]) for r in routes), row
        else:
            assert row.route in routes, row
        assert set(row.expect) == set(ACTORS), (row.route, set(ACTORS) ^ set(row.expect))


def classify(response) -> str | int:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        # One's own second factor's pages (where the TOTP set-up sends someone who already
        # has one: its overview, or turning it off) are pages the person uses; every other
        # /akun/2fa/ redirect asks for the second factor (its set-up or its code) first.
        if location.split("?")[0].endswith(("/akun/2fa/", "/akun/2fa/totp/deactivate/")):
            return OK
        if "/akun/2fa/" in location:
            return MFA
        if location.startswith(("/akun/login/", "http://localhost:8000/akun/login/")) or (
            "/akun/sesi/?" in location and location.startswith("http://localhost")
        ):
            return LOGIN
        return OK
    if status == 403 and (
        b"TOTP" in response.content or b'"second_factor_required"' in response.content
    ):
        return MFA
    if status < 300 or status in (400, 409):
        return OK
    return status


@pytest.fixture
def world(malang, batu, member, staff_user, django_capture_on_commit_callbacks):
    """The actors and the objects the sample paths name."""
    from allauth.mfa.totp.internal.auth import TOTP

    from conftest import TOTP_SECRET
    from cooperation.models import TextVersion
    from tenants import onboarding
    from tenants.models import ExportState, TenantExport
    from workspace.models import Document

    actors = {
        "third_party": UserFactory(),
        "admin": member(malang, Role.ADMIN),
        "tkksd": member(malang, Role.TKKSD),
        "opd": member(malang, Role.OPD, opd="Dinas Pertanian"),
        "camat": member(malang, Role.CAMAT, area="35.73.01"),
        "lurah": member(malang, Role.LURAH, area="35.73.01.1007"),
        "viewer": member(malang, Role.VIEWER),
        "other_region": member(batu, Role.ADMIN),
        "staff": staff_user,
        "admin_password_only": member(malang, Role.ADMIN),
        "staff_password_only": UserFactory(is_staff=True),
    }
    TOTP.activate(actors["staff_password_only"], TOTP_SECRET)
    target = member(malang, Role.VIEWER)  # the member that member pages act on
    invitation = Invitation.objects.create(
        tenant=malang, email="diundang@contoh.test", role=Role.VIEWER
    )
    with tenant_context(malang):
        document = Document(title="KSB Malang Raya", original_name="ksb.pdf")
        document.file.save("ksb.pdf", ContentFile(make_pdf()), save=False)
        document.save()
        agreement, signed, internal = _agreement_samples(malang)
        # Its dossier is the viewer's (and the viewer's whose membership {member} is); it
        # concerns the camat's kecamatan, not the lurah's kelurahan.
        agreement.dossier_members = [
            actors["viewer"].memberships.get().pk,
            target.memberships.get().pk,
        ]
        agreement.areas = ["35.73.01"]
        agreement.save(update_fields=["dossier_members", "areas"])
        action_item, monitoring_report = _monitoring_samples(agreement)
    applicant = UserFactory()
    application = RegionApplication(
        region=Region.objects.get(code="35.78"),
        applicant=applicant,
        position="Kepala Bagian Kerja Sama",
        office="Setda Kota Surabaya",
        official_email="kerjasama@surabaya.go.id",
        phone="(031) 5312144",
    )
    application.letter.save("surat.pdf", ContentFile(make_pdf()), save=False)
    token = "token-konfirmasi-untuk-matriks-izin"
    application.email_token_hash = hashlib.sha256(token.encode()).hexdigest()
    application.email_token_expires_at = timezone.now() + timedelta(days=1)
    application.save()
    assert onboarding.application_for_confirmation(token) == application
    export = TenantExport.objects.create(
        tenant=batu,
        tenant_schema=batu.schema_name,
        tenant_name=batu.name,
        state=ExportState.FAILED,
        error="matrix sample",
    )
    listing, listing_photo = _listing_samples(malang)
    objects = {
        "listing": listing.pk,
        "listing_photo": listing_photo.pk,
        "member": target.memberships.get().pk,
        "invitation": invitation.pk,
        "invitation_token": invitation.token,
        "document": document.pk,
        "application": application.pk,
        "tenant": batu.pk,
        "export": export.pk,
        "confirmation_token": token,
        "agreement": agreement.pk,
        "signed_document": signed.pk,
        "internal_document": internal.pk,
        "action_item": action_item.pk,
        "monitoring_report": monitoring_report.pk,
        "text_version": TextVersion.objects.get().pk,
    }
    objects.update(_partner_samples(malang, batu, actors["third_party"], objects["agreement"]))
    objects.update(_inquiry_samples(listing, batu, actors))
    objects.update(_mission_samples(listing, actors))
    objects.update(_registry_samples(objects["shared"]))
    objects["api_token"] = _api_token_sample(malang, actors["viewer"])
    objects.update(_search_samples(malang, actors))
    from privacy.tests.permission_rows import samples as privacy_samples

    objects.update(privacy_samples(actors))
    from reporting.tests.permission_rows import samples as reporting_samples

    objects.update(reporting_samples(actors))
    return actors, objects


def _search_samples(malang, actors):
    """The third party's saved search, and a synonym group Kota Malang's office added."""
    from marketplace.models import SavedSearch
    from search.models import Synonym

    saved = SavedSearch.objects.create(user=actors["third_party"], name="Tempe", text="tempe")
    synonym = Synonym.objects.create(words="apel, apple", tenant=malang, created_by=actors["admin"])
    return {"saved_search": saved.pk, "synonym": synonym.pk}


def _api_token_sample(tenant, user):
    """An API token of the viewer actor (api/tokens.py)."""
    from api.tokens import create_token
    from tenants.models import Membership

    token, _raw = create_token(
        membership=Membership.objects.get(user=user, tenant=tenant), name="Matriks", days=30
    )
    return token.pk


def _inquiry_samples(listing, batu, actors):
    """The third party's inquiry about Kota Malang's listing, and one Kota Malang's lurah sent
    for Kota Malang about a listing of Kota Batu."""
    import datetime

    from marketplace.models import Inquiry, InquiryMessage, Listing

    theirs = Listing.objects.create(
        tenant=batu,
        kind="need",
        title="Kedelai",
        description="Kedelai untuk tempe.",
        sector="A",
        urusan="3.31",
        contact_name="Kepala Dinas",
        contact_phone="0341 2",
        status="published",
        published_at=timezone.now(),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    samples = {}
    for name, about, sender, tenant in (
        ("inquiry", listing, actors["third_party"], None),
        ("inquiry_out", theirs, actors["lurah"], listing.tenant),
    ):
        inquiry = Inquiry.objects.create(
            listing=about,
            sender=sender,
            sender_email=sender.email,
            sender_tenant=tenant,
            subject="Pasokan tempe",
        )
        InquiryMessage.objects.create(inquiry=inquiry, author=sender, body="Berapa kapasitasnya?")
        samples[name] = inquiry.pk
    return samples


def _registry_samples(cooperation_pk):
    """The public record of Kota Malang's signed sample KSB, with its document's public copy."""
    from cooperation.models import Cooperation
    from public_registry.publishing import publish

    record = publish(Cooperation.objects.get(pk=cooperation_pk), reason="sign_ksb")
    return {"published": record.pk, "published_document": record.documents.get().pk}


def _mission_samples(listing, actors):
    """Provinsi Jawa Timur's trade mission (its tenant row only: missions live in the public
    schema), with {listing} enrolled, a slot next month, and the third party's request to meet
    Kota Malang about it."""
    import datetime

    from missions.models import Enrolment, Meeting, Mission, Slot
    from tenants.models import Tenant

    jatim = Tenant(schema_name="provinsi_jawa_timur", region_id="35", name="Provinsi Jawa Timur")
    jatim.save()
    first = timezone.localdate() + datetime.timedelta(days=30)
    mission = Mission.objects.create(
        organiser=jatim,
        title="Misi Dagang Jawa Timur",
        destination="Kalimantan Utara",
        starts_on=first,
        ends_on=first,
    )
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time(9)))
    slot = Slot.objects.create(
        mission=mission, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    Enrolment.objects.create(mission=mission, listing=listing, tenant=listing.tenant)
    buyer = actors["third_party"]
    meeting = Meeting.objects.create(
        mission=mission,
        slot=slot,
        requested_slot=slot,
        tenant=listing.tenant,
        listing=listing,
        requester=buyer,
        requester_email=buyer.email,
        message="Pasokan tempe",
    )
    return {"mission": mission.pk, "meeting": meeting.pk, "slot": slot.pk}


def _monitoring_samples(agreement):
    """The agreement made the OPD actor's OPD's (Dinas Pertanian), an item of its action plan
    and a monitoring report on it."""
    import datetime

    from agreements.models import ActionItem, MonitoringReport

    agreement.responsible_opd = "Dinas Pertanian"
    agreement.save(update_fields=["responsible_opd"])
    item = ActionItem.objects.create(
        agreement=agreement,
        activity="Rapat koordinasi",
        owner_opd="Dinas Pertanian",
        due_on=datetime.date(2026, 6, 30),
    )
    report = MonitoringReport.objects.create(
        agreement=agreement,
        year=2026,
        semester=1,
        progress="Rapat sudah diadakan",
        recommendation="continue",
    )
    return item, report


def _partner_samples(malang, batu, proposer, agreement_pk):
    """An offer from Kota Batu to Kota Malang (Batu's own record of it in Batu's register), the
    shared record of Malang's sample agreement, and a proposal to Malang with a PDF."""
    from agreements.models import Agreement
    from cooperation.models import Cooperation, Party, Proposal, ProposalAttachment

    offer = Cooperation.objects.create(
        kind="ksdd_sukarela",
        title="KSB Pariwisata Batu-Malang",
        urusan=["3.26"],
        stage="offer",
        owner=batu,
    )
    for position, tenant in enumerate((batu, malang)):
        Party.objects.create(
            cooperation=offer,
            position=position,
            kind="region",
            region=tenant.region,
            name=tenant.region.full_name,
        )
    with tenant_context(batu):
        Agreement.objects.create(cooperation=offer)
    with tenant_context(malang):
        shared = Agreement.objects.get(pk=agreement_pk).cooperation_id
    proposal = Proposal.objects.create(
        tenant=malang,
        proposer=proposer,
        proposer_email=proposer.email,
        proposer_kind="company",
        organisation="PT Tempe Nusantara",
        title="Inkubasi tempe",
        description="Inkubasi tempe Sanan di Tarakan",
        urusan=["3.30"],
    )
    attachment = ProposalAttachment(
        proposal=proposal,
        original_name="profil.pdf",
        size=1,
        sha256="0" * 64,
        stored_schema="public",
    )
    attachment.file.save("profil.pdf", ContentFile(make_pdf()), save=False)
    attachment.save()
    return {
        "offer": offer.pk,
        "shared": shared,
        "proposal": proposal.pk,
        "proposal_attachment": attachment.pk,
    }


def _agreement_samples(tenant):
    """A signed KSB in the region's register, its signed scan and an internal document."""
    import datetime

    from agreements.models import Agreement, InternalDocument
    from cooperation.models import Cooperation, SignedDocument

    cooperation = Cooperation.objects.create(
        kind="ksdd_sukarela",
        title="KSB Malang Raya",
        urusan=["1.03"],
        stage="ksb_signed",
        signed_on=datetime.date(2026, 2, 10),
        ksb_signed_on=datetime.date(2026, 2, 10),
        owner=tenant,
    )
    agreement = Agreement.objects.create(cooperation=cooperation)
    signed = SignedDocument(
        cooperation=cooperation,
        instrument="ksb",
        signed_on=datetime.date(2026, 2, 10),
        original_name="ksb.pdf",
        size=1,
        sha256="0" * 64,
        stored_schema=tenant.schema_name,
    )
    signed.file.save("ksb.pdf", ContentFile(make_pdf()), save=False)
    signed.save()
    internal = InternalDocument(
        agreement=agreement,
        title="Telaah TKKSD",
        original_name="telaah.pdf",
        size=1,
        sha256="0" * 64,
    )
    internal.file.save("telaah.pdf", ContentFile(make_pdf()), save=False)
    internal.save()
    _joint_text_sample(tenant, cooperation)
    return agreement, signed, internal


def _joint_text_sample(tenant, cooperation):
    """A version of the sample agreement's joint text, as a PDF in the region's folder."""
    from cooperation.models import TextVersion

    version = TextVersion(
        cooperation=cooperation,
        number=1,
        text="Pasal 1",
        region=tenant.region,
        original_name="draf.pdf",
        size=1,
        sha256="0" * 64,
        stored_schema=tenant.schema_name,
    )
    version.file.save("draf.pdf", ContentFile(make_pdf()), save=False)
    version.save()


def _listing_samples(tenant):
    """A published listing of Kelurahan Purwantoro in the marketplace, with a photo."""
    import datetime

    from marketplace.models import Listing, ListingPhoto

    listing = Listing.objects.create(
        tenant=tenant,
        area_id="35.73.01.1007",
        kind="product",
        title="Tempe Sanan",
        description="Tempe kedelai.",
        sector="C",
        urusan="3.31",
        contact_name="Lurah",
        contact_phone="0341 1",
        status="published",
        published_at=timezone.now(),
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    photo = ListingPhoto(listing=listing, width=1, height=1)
    photo.image.save("x.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    photo.save()
    return listing, photo


def client_as(actor: str, user, host: str) -> Client:
    if user is None:
        return Client(HTTP_HOST=host)
    if actor.endswith("_password_only"):
        client = Client(HTTP_HOST=host)
        client.force_login(user)  # a password, and nothing more
        return client
    return host_client(host, user)


def _rolled_back_like_a_test():
    """A savepoint marked as the test framework marks its own (as Django's TestCase does), so
    a top-level action's durable block may open inside it, as it does inside the test's
    transaction: the request runs as it would in production, then is rolled back."""
    block = transaction.atomic()
    block._from_testcase = True
    return block


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.host}:{r.method}:{r.route or '/'}" for r in ROWS])
def test_each_route_answers_each_actor_as_the_matrix_says(row, world):
    actors, objects = world
    path = row.path.format(**objects)
    answers = {}
    for actor in ACTORS:
        client = client_as(actor, actors.get(actor), HOSTS[row.host])
        request = client.post if row.method == "POST" else client.get
        # Each actor meets the world as it was: what an earlier actor changed is rolled back.
        with _rolled_back_like_a_test():
            # A page load, as a browser makes it (the second-factor rule treats those apart).
            answers[actor] = classify(request(path, row.data, HTTP_ACCEPT="text/html"))
            transaction.set_rollback(True)
        connection.set_schema_to_public()
    mismatches = {
        actor: (answers[actor], row.expect[actor])
        for actor in ACTORS
        if answers[actor] != row.expect[actor]
    }
    assert mismatches == {}, f"{row.method} {path} on {row.host}: (got, expected) {mismatches}"
