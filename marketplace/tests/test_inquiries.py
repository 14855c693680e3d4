"""Inquiries: sent from a public listing by a region's member or a third party, answered by the
listing's region in a thread, e-mailed to both sides, and turned in one step into an offer
(agreements/proposals/inquiries.py) or a proposal, keeping the link the counts read. Actions and
pages: anonymous, wrong role, another region (404), staff, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.proposals import inquiries as agreement_inquiries
from conftest import UserFactory
from cooperation.models import Cooperation, Proposal, ProposalState
from core.errors import Conflict, Forbidden, NotFound
from marketplace import inquiries
from marketplace.models import Inquiry, InquiryStatus, Listing, ListingStatus
from tenants.models import AuditEvent, Membership, Role

pytestmark = pytest.mark.django_db

PUBLIC = "portal.urls_public"
REGION = "portal.urls_tenant"


def public_url(name, *args):
    return reverse(f"marketplace:{name}", args=args, urlconf=PUBLIC)


def region_url(name, *args):
    return reverse(f"marketplace_region:{name}", args=args, urlconf=REGION)


def offer_url(pk):
    return reverse("agreements:from_inquiry", args=[pk], urlconf=REGION)


def ms(user, tenant) -> Membership:
    return Membership.objects.select_related("tenant__region", "area", "user").get(
        user=user, tenant=tenant
    )


@pytest.fixture
def tempe(malang, member, make_listing):
    """Kota Malang's published Sanan tempe, published by the lurah of Purwantoro."""
    lurah = member(malang, Role.LURAH, area="35.73.01.1007", email="lurah@contoh.test")
    return make_listing(malang, publisher=lurah)


def send(user, listing, tenant=None, **kwargs):
    return inquiries.send_inquiry(
        user=user,
        listing=listing,
        subject=kwargs.get("subject", "Pasokan tempe"),
        body=kwargs.get("body", "Berapa kapasitas per bulan untuk Tarakan?"),
        sender_tenant=tenant,
    )


# --- Actions -----------------------------------------------------------------------------------


def test_a_third_party_inquires_and_the_region_answers_both_told_by_email(
    malang, member, tempe, django_capture_on_commit_callbacks
):
    office = member(malang, Role.ADMIN, email="kantor@malangkota.go.id")
    buyer = UserFactory(email="pembeli@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = send(buyer, tempe)
    assert (inquiry.status, inquiry.sender_tenant, inquiry.messages.count()) == (
        InquiryStatus.OPEN,
        None,
        1,
    )
    recipients = set(mail.outbox[0].to)
    assert {"kantor@malangkota.go.id", "lurah@contoh.test"} <= recipients
    assert "pembeli@contoh.test" not in recipients
    assert "Tempe Sanan" in mail.outbox[0].subject

    lurah = ms(tempe.created_by, malang)
    with django_capture_on_commit_callbacks(execute=True):
        inquiries.answer_inquiry(membership=lurah, inquiry=inquiry, body="2 ton per bulan.")
    assert mail.outbox[-1].to == ["pembeli@contoh.test"]
    assert "2 ton per bulan." in mail.outbox[-1].body
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED

    with django_capture_on_commit_callbacks(execute=True):
        inquiries.follow_up_inquiry(user=buyer, inquiry=inquiry, body="Harga untuk 1 ton?")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert "kantor@malangkota.go.id" in mail.outbox[-1].to
    assert [m.from_listing_region for m in inquiry.messages.all()] == [False, True, False]
    assert list(
        AuditEvent.objects.filter(
            object_type="marketplace.inquiry", object_id=str(inquiry.pk), tenant=malang
        )
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["inquiry.sent", "inquiry.answered", "inquiry.followed_up"]
    office_ms = ms(office, malang)
    assert inquiries.received_by(office_ms).get() == inquiry


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.ARCHIVED, "expired"])
def test_an_unpublished_or_expired_listing_takes_no_inquiry(malang, make_listing, status):
    if status == "expired":
        listing = make_listing(malang)
        Listing.objects.filter(pk=listing.pk).update(
            valid_until=timezone.localdate() - timedelta(days=1)
        )
    else:
        listing = make_listing(malang, status)
    with pytest.raises(NotFound):
        send(UserFactory(), listing)
    assert not Inquiry.objects.exists()


def test_bad_input_and_who_may_write_for_a_region(malang, batu, member, tempe):
    malang_member = member(malang, Role.OPD, opd="Bappeda")
    with pytest.raises(ValidationError) as exc:
        send(malang_member, tempe, malang)
    assert exc.value.error_dict["sender_tenant"][0].code == "inquiry_own_region"
    with pytest.raises(Forbidden):
        send(malang_member, tempe, batu)  # not a member of Kota Batu
    with pytest.raises(ValidationError) as exc:
        send(UserFactory(), tempe, subject=" ", body="")
    assert exc.value.error_dict["subject"][0].code == "inquiry_subject_required"
    with pytest.raises(ValidationError):
        send(UserFactory(), tempe, body="x" * 5001)
    with pytest.raises(Forbidden):
        send(UserFactory(verified=False), tempe)
    assert not Inquiry.objects.exists()


def test_only_the_listing_region_within_its_area_answers(malang, batu, member, tempe):
    inquiry = send(UserFactory(), tempe)
    neighbour = member(malang, Role.LURAH, area="35.73.01.1001")
    for user, tenant in (
        (neighbour, malang),
        (member(malang, Role.TKKSD), malang),
        (member(batu, Role.ADMIN), batu),
    ):
        with pytest.raises(Forbidden):
            inquiries.answer_inquiry(membership=ms(user, tenant), inquiry=inquiry, body="Halo")
    assert not inquiries.received_by(ms(neighbour, malang)).exists()
    assert inquiries.received_by(ms(member(malang, Role.CAMAT, area="35.73.01"), malang)).exists()
    with pytest.raises(Forbidden):
        inquiries.follow_up_inquiry(user=UserFactory(), inquiry=inquiry, body="Saya juga")


def test_a_members_inquiry_becomes_an_offer_in_one_step_and_is_counted_when_signed(
    malang, batu, member, tempe
):
    batu_opd = member(batu, Role.OPD, opd="Dinas Koperasi")
    inquiry = send(batu_opd, tempe, batu)
    counts = inquiries.counts(tenant=malang)
    assert (counts["listings"], counts["inquiries"], counts["converted"]) == (1, 1, 0)

    # Only the office of the region the inquiry was written for.
    for user, tenant in ((batu_opd, batu), (member(malang, Role.ADMIN), malang)):
        with pytest.raises(Forbidden):
            agreement_inquiries.offer_from_inquiry(
                membership=ms(user, tenant), inquiry=inquiry, kind="ksdd_sukarela", title="x"
            )
    office = ms(member(batu, Role.ADMIN), batu)
    with pytest.raises(ValidationError):
        agreement_inquiries.offer_from_inquiry(
            membership=office, inquiry=inquiry, kind="ksdpk", title="Tempe"
        )
    with tenant_context(batu):
        agreement = agreement_inquiries.offer_from_inquiry(
            membership=office, inquiry=inquiry, kind="ksdd_sukarela", title="Pasokan tempe"
        )
        assert Agreement.objects.get(pk=agreement.pk).created_by == office.user
    inquiry.refresh_from_db()
    cooperation = Cooperation.objects.get(pk=inquiry.cooperation_id)
    assert (cooperation.owner, cooperation.stage, cooperation.urusan) == (
        batu,
        "preparation",
        ["3.31"],
    )
    assert [p.region_id for p in cooperation.parties.all()] == ["35.79", "35.73"]
    assert "Tempe Sanan" in cooperation.object and "Berapa kapasitas" in cooperation.object
    assert AuditEvent.objects.filter(action="inquiry.offer_made", tenant=batu).exists()
    with pytest.raises(Conflict), tenant_context(batu):
        agreement_inquiries.offer_from_inquiry(
            membership=office, inquiry=inquiry, kind="ksdd_sukarela", title="Lagi"
        )
    assert Cooperation.objects.count() == 1

    counts = inquiries.counts(tenant=malang)
    assert (counts["converted"], counts["signed"]) == (1, 0)
    Cooperation.objects.filter(pk=cooperation.pk).update(signed_on=timezone.localdate())
    assert inquiries.counts(tenant=malang)["signed"] == 1
    assert inquiries.counts()["signed"] == 1


def test_a_third_partys_inquiry_becomes_a_proposal_and_a_members_does_not(
    malang, batu, member, tempe, django_capture_on_commit_callbacks
):
    buyer = UserFactory()
    inquiry = send(buyer, tempe)
    data = {
        "proposer_kind": "company",
        "organisation": "PT Tempe Nusantara",
        "title": "",
        "description": "",
    }
    with pytest.raises(Forbidden):
        inquiries.proposal_from_inquiry(user=UserFactory(), inquiry=inquiry, data=data)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = inquiries.proposal_from_inquiry(user=buyer, inquiry=inquiry, data=data)
    assert (proposal.tenant, proposal.state, proposal.urusan, proposal.title) == (
        malang,
        ProposalState.SUBMITTED,
        ["3.31"],
        "Pasokan tempe",
    )
    assert "Tempe Sanan" in proposal.description and "Berapa kapasitas" in proposal.description
    inquiry.refresh_from_db()
    assert inquiry.proposal == proposal and inquiry.converted_by == buyer
    with pytest.raises(Conflict):
        inquiries.proposal_from_inquiry(user=buyer, inquiry=inquiry, data=data)
    assert Proposal.objects.count() == 1
    # Accepted and signed, it counts as a signed agreement of the listing.
    coop = Cooperation.objects.create(
        kind="ksdpk", title="t", owner=malang, signed_on=timezone.localdate()
    )
    Proposal.objects.filter(pk=proposal.pk).update(cooperation=coop)
    assert inquiries.counts(tenant=malang)["signed"] == 1

    member_inquiry = send(member(batu, Role.OPD), tempe, batu)
    with pytest.raises(Conflict) as exc:
        inquiries.proposal_from_inquiry(
            user=member_inquiry.sender, inquiry=member_inquiry, data=data
        )
    assert exc.value.code == "inquiry_from_a_region"


# --- Pages -------------------------------------------------------------------------------------


def test_the_platform_pages_of_the_inquirer(malang, tempe, make_listing, client_for):
    assert client_for(None).get(public_url("inquire", tempe.pk)).status_code == 302
    buyer = UserFactory()
    client = client_for(None, buyer)
    page = client.get(public_url("detail", tempe.pk))
    assert public_url("inquire", tempe.pk) in page.content.decode()
    bad = client.post(public_url("inquire", tempe.pk), {"subject": "", "body": ""})
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"subject", "body"}
    draft = make_listing(malang, ListingStatus.DRAFT)
    assert client.get(public_url("inquire", draft.pk)).status_code == 404
    refused = client.post(public_url("inquire", draft.pk), {"subject": "a", "body": "b"})
    assert refused.status_code == 404
    sent = client.post(public_url("inquire", tempe.pk), {"subject": "Pasokan", "body": "Berapa?"})
    inquiry = Inquiry.objects.get()
    assert sent.status_code == 302 and sent["Location"] == public_url("inquiry", inquiry.pk)
    mine = client.get(public_url("my_inquiries"))
    assert [i.pk for i in mine.context["page"]] == [inquiry.pk]
    assert client.post(public_url("inquiry", inquiry.pk), {"body": " "}).status_code == 400
    assert client.post(public_url("inquiry", inquiry.pk), {"body": "Lagi"}).status_code == 302
    # Someone else's thread is not found.
    other = client_for(None, UserFactory())
    assert other.get(public_url("inquiry", inquiry.pk)).status_code == 404
    assert other.get(public_url("inquiry_proposal", inquiry.pk)).status_code == 404
    assert other.get(public_url("my_inquiries")).context["page"].paginator.count == 0

    form = client.get(public_url("inquiry_proposal", inquiry.pk))
    assert "Tempe Sanan" in form.context["form"].initial["description"]
    assert client.post(public_url("inquiry_proposal", inquiry.pk), {}).status_code == 400
    made = client.post(
        public_url("inquiry_proposal", inquiry.pk),
        {
            "proposer_kind": "company",
            "organisation": "PT Tempe",
            "title": "Pasokan tempe",
            "description": form.context["form"].initial["description"],
        },
    )
    proposal = Proposal.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "proposals:detail", args=[proposal.pk], urlconf=PUBLIC
    )
    again = client.get(public_url("inquiry_proposal", inquiry.pk))
    assert again.status_code == 302 and Proposal.objects.count() == 1


def test_the_region_pages_answers_and_counts(malang, batu, member, tempe, client_for, staff_user):
    inquiry = send(UserFactory(), tempe)
    assert client_for(malang).get(region_url("inquiries")).status_code == 302  # sign in first
    lurah = client_for(malang, tempe.created_by)
    listing_page = lurah.get(region_url("list"))
    assert listing_page.context["inquiry_counts"]["inquiries"] == 1
    assert "Listings that led to inquiries" in listing_page.content.decode()
    assert [i.pk for i in lurah.get(region_url("inquiries")).context["page"]] == [inquiry.pk]
    assert lurah.get(region_url("inquiry", inquiry.pk)).context["form"] is not None
    assert lurah.post(region_url("inquiry_reply", inquiry.pk), {"body": ""}).status_code == 400
    assert lurah.post(region_url("inquiry_reply", inquiry.pk), {"body": "Siap"}).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED

    viewer = client_for(malang, member(malang, Role.VIEWER))
    assert viewer.get(region_url("inquiries")).status_code == 403
    assert viewer.get(region_url("inquiry", inquiry.pk)).status_code == 403
    tkksd = client_for(malang, member(malang, Role.TKKSD))
    assert tkksd.get(region_url("inquiry", inquiry.pk)).context["form"] is None
    assert tkksd.post(region_url("inquiry_reply", inquiry.pk), {"body": "x"}).status_code == 403
    neighbour = client_for(malang, member(malang, Role.LURAH, area="35.73.01.1001"))
    assert neighbour.get(region_url("inquiry", inquiry.pk)).status_code == 404
    assert neighbour.post(region_url("inquiry_reply", inquiry.pk), {"body": "x"}).status_code == 404
    other = client_for(batu, member(batu, Role.ADMIN))
    assert other.get(region_url("inquiry", inquiry.pk)).status_code == 404
    assert other.post(region_url("inquiry_reply", inquiry.pk), {"body": "x"}).status_code == 404
    staff = client_for(malang, staff_user)
    assert staff.get(region_url("inquiries")).status_code == 404
    assert inquiry.messages.count() == 2


def test_the_office_makes_an_offer_from_its_members_inquiry_on_its_subdomain(
    malang, batu, member, tempe, client_for, staff_user
):
    inquiry = send(member(batu, Role.OPD, opd="Dinas Koperasi"), tempe, batu)
    office = client_for(batu, member(batu, Role.ADMIN))
    sent = office.get(region_url("inquiries"))
    assert [i.pk for i in sent.context["sent"]] == [inquiry.pk]
    assert office.get(region_url("inquiry", inquiry.pk)).context["can_offer"] is True
    page = office.get(offer_url(inquiry.pk))
    assert page.status_code == 200 and "Berapa kapasitas" in page.content.decode()
    assert office.post(offer_url(inquiry.pk), {"kind": "ksdpk", "title": ""}).status_code == 400
    # Wrong role, the listing's region (it received the inquiry), staff, anonymous.
    assert client_for(batu, member(batu, Role.OPD)).get(offer_url(inquiry.pk)).status_code == 403
    malang_office = client_for(malang, member(malang, Role.ADMIN))
    assert malang_office.get(offer_url(inquiry.pk)).status_code == 404
    assert client_for(batu, staff_user).get(offer_url(inquiry.pk)).status_code == 404
    assert client_for(batu).get(offer_url(inquiry.pk)).status_code == 302
    assert not Cooperation.objects.exists()

    made = office.post(offer_url(inquiry.pk), {"kind": "ksdd_sukarela", "title": "Pasokan tempe"})
    assert made.status_code == 302
    inquiry.refresh_from_db()
    with tenant_context(batu):
        agreement = Agreement.objects.get(cooperation_id=inquiry.cooperation_id)
    assert made["Location"] == reverse("agreements:detail", args=[agreement.pk], urlconf=REGION)
    assert office.get(offer_url(inquiry.pk)).status_code == 409
    twice = office.post(offer_url(inquiry.pk), {"kind": "ksdd_sukarela", "title": "x"})
    assert twice.status_code == 409
    assert Cooperation.objects.count() == 1
    counts = malang_office.get(region_url("list")).context["inquiry_counts"]
    assert (counts["listings"], counts["inquiries"], counts["converted"]) == (1, 1, 1)
