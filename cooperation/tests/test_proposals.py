"""Proposals in: anyone with an account proposes a cooperation to a region from its public page;
the office triages it (accept into preparation, ask for more, decline); the proposer follows each
step from their account and by e-mail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from conftest import make_pdf
from cooperation.models import Cooperation, Proposal, ProposalAttachment, ProposalState
from tenants.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def platform(name, *args):
    return reverse(f"proposals:{name}", args=args, urlconf="portal.urls_public")


def region(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


def pdf(name="profil-perusahaan.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


FORM = {
    "proposer_kind": "company",
    "organisation": "PT Tempe Nusantara",
    "organisation_details": "Jl. Sanan 1, Malang; PT; 0341-000000",
    "title": "Inkubasi tempe Sanan di Tarakan",
    "description": "Pelatihan dan pemasaran tempe Sanan bagi komunitas perantau di Tarakan",
    "urusan": ["3.30", "2.17"],
}


@pytest.fixture
def proposer(user_factory):
    return user_factory()


def submit(client_for, proposer, **changes):
    client = client_for(None, proposer)
    return client, client.post(
        platform("propose", "kota-malang"), {**FORM, "attachments": [pdf()], **changes}
    )


def test_the_region_page_links_to_the_proposal_form(client_for):
    page = client_for(None).get("/kota-malang/")
    assert page.status_code == 200
    assert 'href="/usulan-kerja-sama/ke/kota-malang/"' in page.text


def test_a_proposal_is_submitted_with_its_pdf_and_the_office_is_told(
    client_for, malang, member, proposer, mailoutbox, django_capture_on_commit_callbacks
):
    office = member(malang, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client, response = submit(client_for, proposer)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == platform("detail", proposal.pk)
    assert (proposal.tenant, proposal.proposer, proposal.state, proposal.urusan) == (
        malang,
        proposer,
        ProposalState.SUBMITTED,
        ["3.30", "2.17"],
    )
    attachment = proposal.attachments.get()
    assert (attachment.original_name, attachment.stored_schema) == (
        "profil-perusahaan.pdf",
        "public",
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([proposer.email, office.email])
    assert AuditEvent.objects.filter(
        tenant=malang, action="proposal.submitted", object_id=str(proposal.pk)
    ).exists()
    mine = client.get(platform("mine"))
    assert [p.pk for p in mine.context["proposals"]] == [proposal.pk]
    download = client.get(platform("attachment", proposal.pk, attachment.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_bad_input_is_explained_and_nothing_is_kept(client_for, proposer, settings):
    _client, not_pdf = submit(
        client_for, proposer, attachments=[SimpleUploadedFile("a.pdf", b"<html>")]
    )
    assert not_pdf.status_code == 400
    assert not_pdf.context["form"].errors["attachments"]
    _client, incomplete = submit(client_for, proposer, urusan=[], title="")
    assert incomplete.status_code == 400
    assert set(incomplete.context["form"].errors) == {"urusan", "title"}
    _client, no_region = submit(client_for, proposer, proposer_kind="region")
    assert no_region.status_code == 400
    assert no_region.context["form"].errors["from_region"]
    _client, too_many = submit(
        client_for, proposer, attachments=[pdf(f"{n}.pdf") for n in range(6)]
    )
    assert too_many.status_code == 400
    settings.JEJARING_DOCUMENT_MAX_BYTES = 1024
    _client, oversized = submit(
        client_for, proposer, attachments=[SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 70_000)]
    )
    assert oversized.status_code == 413
    assert not Proposal.objects.exists() and not ProposalAttachment.objects.exists()
    # An unknown region (or one not on Jejaring) takes no proposals.
    client = client_for(None, proposer)
    assert client.post(platform("propose", "kota-tarakan"), FORM).status_code == 404
    # Anonymous people sign in first.
    anonymous = client_for(None).get(platform("propose", "kota-malang"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/akun/login/")


def test_triage_from_question_to_an_agreement_in_preparation(
    client_for, malang, member, proposer, mailoutbox, django_capture_on_commit_callbacks
):
    admin = member(malang, Role.ADMIN)
    proposer_client, _response = submit(client_for, proposer)
    proposal = Proposal.objects.get()
    office = client_for(malang, admin)
    assert office.get(region("proposals")).context["proposals"][0] == proposal
    # Bad input: a question without text changes nothing.
    blank = office.post(
        region("proposal_ask", proposal.pk), {"ask-version": proposal.version, "ask-message": ""}
    )
    assert blank.status_code == 400
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = office.post(
            region("proposal_ask", proposal.pk),
            {"ask-version": proposal.version, "ask-message": "Lampirkan akta pendirian"},
        )
    assert asked.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.office_message) == (
        ProposalState.MORE_INFO,
        "Lampirkan akta pendirian",
    )
    assert [m.to for m in mailoutbox] == [[proposer.email]]
    # The proposer reads the question and answers with one more PDF.
    page = proposer_client.get(platform("detail", proposal.pk))
    assert "Lampirkan akta pendirian" in page.text
    answered = proposer_client.post(
        platform("detail", proposal.pk),
        {"version": proposal.version, "reply": "Akta terlampir", "attachments": [pdf("akta.pdf")]},
    )
    assert answered.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.attachments.count()) == (ProposalState.SUBMITTED, 2)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = office.post(
            region("proposal_accept", proposal.pk),
            {"version": proposal.version, "kind": "ksdpk", "title": "PKS Inkubasi Tempe"},
        )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    with tenant_context(malang):
        agreement = Agreement.objects.select_related("cooperation").get(pk=proposal.agreement_id)
        parties = list(agreement.cooperation.parties.values_list("kind", "name"))
    assert accepted["Location"] == region("detail", agreement.pk)
    assert (agreement.cooperation.kind, agreement.cooperation.stage) == ("ksdpk", "preparation")
    assert parties == [("region", "Kota Malang"), ("organisation", "PT Tempe Nusantara")]
    assert [m.to for m in mailoutbox] == [[proposer.email]]
    assert proposer_client.get(platform("mine")).context["proposals"][0].state == "accepted"
    # Decided: no second decision.
    again = office.post(
        region("proposal_decline", proposal.pk),
        {"decline-version": proposal.version, "decline-message": "x"},
    )
    assert again.status_code == 409
    assert list(
        AuditEvent.objects.filter(object_id=str(proposal.pk), object_type="cooperation.proposal")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "proposal.submitted",
        "proposal.more_info_requested",
        "proposal.info_provided",
        "proposal.accepted",
    ]


def test_a_decline_says_why_and_who_may_see_a_proposal(
    client_for, malang, batu, member, proposer, user_factory, staff_user
):
    submit(client_for, proposer)
    proposal = Proposal.objects.get()
    # Only the proposer follows it on the platform.
    assert client_for(None, user_factory()).get(platform("detail", proposal.pk)).status_code == 404
    assert client_for(None, staff_user).get(platform("detail", proposal.pk)).status_code == 404
    # In the region: the office and the TKKSD read it; only the office decides.
    tkksd = client_for(malang, member(malang, Role.TKKSD))
    assert tkksd.get(region("proposal", proposal.pk)).status_code == 200
    assert (
        tkksd.post(
            region("proposal_decline", proposal.pk),
            {"decline-version": 1, "decline-message": "Tidak"},
        ).status_code
        == 403
    )
    assert client_for(malang, member(malang, Role.OPD)).get(region("proposals")).status_code == 403
    # Another region's office: not there at all.
    batu_admin = client_for(batu, member(batu, Role.ADMIN))
    assert batu_admin.get(region("proposal", proposal.pk)).status_code == 404
    assert batu_admin.get(region("proposals")).context["proposals"].count() == 0
    office = client_for(malang, member(malang, Role.ADMIN))
    declined = office.post(
        region("proposal_decline", proposal.pk),
        {"decline-version": 1, "decline-message": "Di luar prioritas RPJMD"},
    )
    assert declined.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.office_message) == (
        ProposalState.DECLINED,
        "Di luar prioritas RPJMD",
    )
    assert (
        "Di luar prioritas RPJMD"
        in client_for(None, proposer).get(platform("detail", proposal.pk)).text
    )


def test_the_proposer_follows_the_agreement_to_its_signing_step_by_step(
    client_for,
    malang,
    member,
    proposer,
    user_factory,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """From the proposal to a signed KSDPK: after the office accepts it, the proposer's page
    shows each stage the agreement reaches and when, and each change is e-mailed to them;
    nothing of the region's internal chain shows."""
    admin = member(malang, Role.ADMIN)
    proposer_client, _response = submit(client_for, proposer)
    proposal = Proposal.objects.get()
    office = client_for(malang, admin)
    # Before acceptance there is no agreement to follow.
    assert proposer_client.get(platform("detail", proposal.pk)).context["progress"] is None
    accepted = office.post(
        region("proposal_accept", proposal.pk),
        {"version": proposal.version, "kind": "ksdpk", "title": "PKS Inkubasi Tempe"},
    )
    assert accepted.status_code == 302
    proposal.refresh_from_db()
    pk = proposal.agreement_id
    page = proposer_client.get(platform("detail", proposal.pk))
    assert [s.stage for s in page.context["progress"].steps] == ["preparation"]

    def version() -> int:
        return Cooperation.objects.get(pk=proposal.cooperation_id).version

    # The office names the signatories and keeps a note of its own.
    edited = office.post(
        region("edit", pk),
        {
            "version": version(),
            "kind": "ksdpk",
            "title": "PKS Inkubasi Tempe",
            "urusan": ["3.30", "2.17"],
            "object": "Inkubasi tempe Sanan",
            "funded_in_current_budget": "on",
            "internal_notes": "CATATAN-RAHASIA-KANTOR",
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-kind": "region",
            "form-0-region": "35.73",
            "form-0-signatory_name": "Wahyu Hidayat",
            "form-0-signatory_position": "Wali Kota Malang",
            "form-0-signatory_authority": "UU 23/2014",
            "form-1-kind": "organisation",
            "form-1-name": "PT Tempe Nusantara",
            "form-1-signatory_name": "Siti Aminah",
            "form-1-signatory_position": "Direktur",
            "form-1-signatory_authority": "Akta pendirian",
        },
    )
    assert edited.status_code == 302
    mailoutbox.clear()
    moves = [
        ("send_offer", {}),
        ("start_pks_drafting", {}),
        (
            "sign_pks",
            {
                "signed_on": "2026-03-02",
                "signing_place": "Kota Malang",
                "signing_mode": "desk_to_desk",
                "document": pdf("pks-bertanda-tangan.pdf"),
            },
        ),
    ]
    for name, data in moves:
        with django_capture_on_commit_callbacks(execute=True):
            moved = office.post(region("transition", pk, name), {"version": version(), **data})
        assert moved.status_code == 302, name
    to_proposer = [m for m in mailoutbox if m.to == [proposer.email]]
    assert len(to_proposer) == 3
    assert all("PKS Inkubasi Tempe" in m.subject for m in to_proposer)
    assert all(platform("detail", proposal.pk) in m.body for m in to_proposer)
    page = proposer_client.get(platform("detail", proposal.pk))
    progress = page.context["progress"]
    assert [s.stage for s in progress.steps] == [
        "preparation",
        "offer",
        "pks_drafting",
        "pks_signed",
    ]
    assert progress.cooperation.signed_on.isoformat() == "2026-03-02"
    assert "CATATAN-RAHASIA-KANTOR" not in page.text
    assert "Kota Malang" in page.text
    # Only the proposer follows it.
    other = client_for(None, user_factory())
    assert other.get(platform("detail", proposal.pk)).status_code == 404
