"""Partner regions on one shared agreement: the offer in the partner's inbox, accepting and
declining it, signing by every party region (Malang Raya: three), meetings between the parties,
and what each party never sees of another's chain."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.partners import actions as partners
from agreements.register import actions, reviews, scope
from agreements.register.parties import PartyData
from cooperation.models import (
    Answer,
    Meeting,
    Participation,
    PartyKind,
    PartySignature,
    SignedDocument,
    Stage,
)
from core.errors import Conflict, Forbidden
from tenants.models import AuditEvent, Region, Role, Tenant

from .factories import membership_of, new_agreement, signed_pdf, signing, step

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Catatan internal Kota Malang: batas anggaran 2 M"


def url(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


@pytest.fixture
def kab_malang(db) -> Tenant:
    from tenants.onboarding import provision_region

    return provision_region(region=Region.objects.get(code="35.07"), acting_user=None)


@pytest.fixture
def sidoarjo(db) -> Tenant:
    from tenants.onboarding import provision_region

    return provision_region(region=Region.objects.get(code="35.15"), acting_user=None)


def party(tenant, signatory: str) -> PartyData:
    return PartyData(
        kind=PartyKind.REGION,
        region=tenant.region,
        document_number=f"180/{tenant.region_id}/2026",
        signatory_name=signatory,
        signatory_position=f"Kepala Daerah {tenant.name}",
        signatory_authority="UU 23/2014 Pasal 65",
    )


@pytest.fixture
def offices(malang, batu, member):
    """Each region's cooperation office (an administrator) as a membership."""

    def office(tenant):
        return membership_of(member(tenant, Role.ADMIN), tenant)

    return office


def accept(office, agreement):
    """`office`'s region accepts the offer of `agreement` (in its own schema, as on its site)."""
    with tenant_context(office.tenant):
        return partners.accept_offer(membership=office, cooperation_pk=agreement.cooperation_id)


def offered(office, *tenants, title="KSB Malang Raya"):
    """An agreement of `office`'s region with `tenants` as the partner regions, offered."""
    own = office.tenant
    with tenant_context(own):
        agreement = new_agreement(
            office,
            title=title,
            parties=[party(own, "Wahyu Hidayat"), *(party(t, f"Kepala {t.name}") for t in tenants)],
            private={"internal_notes": SECRET_NOTE, "burdens_public": True},
        )
        step(office, agreement, "send_offer")
        agreement.cooperation.refresh_from_db()
    return agreement


def test_the_offer_reaches_the_partners_inbox_and_office(
    client_for, malang, batu, offices, member, mailoutbox, django_capture_on_commit_callbacks
):
    malang_office = offices(malang)
    batu_admin = member(batu, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = offered(malang_office, batu)
    coop = agreement.cooperation
    to_batu = [m for m in mailoutbox if batu_admin.email in m.to]
    assert len(to_batu) == 1
    assert f"http://kota-batu.localhost:8000/kerja-sama/tawaran/{coop.pk}/" in to_batu[0].body

    client = client_for(batu, batu_admin)
    inbox = client.get(url("offers"))
    assert [o.cooperation.pk for o in inbox.context["offers"]] == [coop.pk]
    assert [o.answer for o in inbox.context["offers"]] == [None]
    page = client.get(url("offer", coop.pk))
    assert page.status_code == 200
    assert "KSB Malang Raya" in page.text
    # The shared part only: nothing of the offering region's own chain.
    assert SECRET_NOTE not in page.text
    assert page.context["can_answer"] is True


def test_an_offer_not_sent_yet_and_other_regions_see_nothing(
    client_for, malang, batu, sidoarjo, offices, member
):
    malang_office = offices(malang)
    with tenant_context(malang):
        draft = new_agreement(
            malang_office,
            parties=[party(malang, "Wahyu Hidayat"), party(batu, "Nurochman")],
        )
    batu_client = client_for(batu, member(batu, Role.ADMIN))
    # Still in preparation: not offered, so not there.
    assert batu_client.get(url("offer", draft.cooperation_id)).status_code == 404
    assert batu_client.get(url("offers")).context["offers"] == []
    agreement = offered(malang_office, batu, title="KSB kedua")
    coop_pk = agreement.cooperation_id
    assert batu_client.get(url("offer", coop_pk)).status_code == 200
    # A region that is not a party: the same 404 as for nothing at all.
    third = client_for(sidoarjo, member(sidoarjo, Role.ADMIN))
    assert third.get(url("offer", coop_pk)).status_code == 404
    assert third.post(url("offer_accept", coop_pk)).status_code == 404
    assert third.get(url("shared", coop_pk)).status_code == 404
    assert third.get(url("offers")).context["offers"] == []
    # Malang's own register is not Batu's to read on Malang's subdomain either.
    batu_admin_on_malang = client_for(malang, member(batu, Role.ADMIN))
    assert batu_admin_on_malang.get(url("detail", agreement.pk)).status_code == 404
    # Nor is the offering region's copy of its own offer an "offer" to itself.
    assert client_for(malang, malang_office.user).get(url("offer", coop_pk)).status_code == 404


def test_accepting_links_the_same_shared_record_and_keeps_each_chain_private(
    client_for, malang, batu, offices, member, mailoutbox, django_capture_on_commit_callbacks
):
    malang_office = offices(malang)
    agreement = offered(malang_office, batu)
    coop_pk = agreement.cooperation_id
    batu_admin = member(batu, Role.ADMIN)
    client = client_for(batu, batu_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("offer_accept", coop_pk))
    with tenant_context(batu):
        batu_agreement = Agreement.objects.get(cooperation_id=coop_pk)
    assert response.status_code == 302
    assert response["Location"] == url("detail", batu_agreement.pk)
    answer = Participation.objects.get(cooperation_id=coop_pk, tenant=batu)
    assert (answer.answer, answer.agreement_id) == (Answer.ACCEPTED, batu_agreement.pk)
    # Both histories say it, each region's in its own words.
    assert AuditEvent.objects.filter(
        tenant=batu, action="agreement.offer_accepted", object_id=str(batu_agreement.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        tenant=malang, action="agreement.partner_accepted", object_id=str(agreement.pk)
    ).exists()
    assert any(malang_office.user.email in m.to for m in mailoutbox)
    # A second answer is refused; nothing more is written.
    again = client.post(url("offer_accept", coop_pk), follow=True)
    assert Participation.objects.filter(cooperation_id=coop_pk).count() == 1
    assert "already answered" in again.text

    # Each region keeps its own chain: notes, reviews, internal documents.
    batu_office = membership_of(batu_admin, batu)
    with tenant_context(batu):
        batu_agreement.cooperation.refresh_from_db()
        actions.update_agreement(
            membership=batu_office,
            agreement=batu_agreement,
            version=batu_agreement.cooperation.version,
            private={"internal_notes": "Catatan Kota Batu: ajukan ke DPRD"},
        )
        actions.file_internal_document(
            membership=batu_office,
            agreement=batu_agreement,
            title="Telaah Bagian Hukum Kota Batu",
            file=signed_pdf("telaah.pdf"),
        )
    malang_tkksd = member(malang, Role.TKKSD)
    with tenant_context(malang):
        agreement.cooperation.refresh_from_db()
        reviews.request_review(
            membership=malang_office, agreement=agreement, version=agreement.cooperation.version
        )
        reviews.record_recommendation(
            membership=membership_of(malang_tkksd, malang),
            agreement=agreement,
            recommendation="revise",
            notes="Revisi pasal pendanaan Kota Malang",
        )
    batu_page = client.get(url("detail", batu_agreement.pk)).text
    assert "KSB Malang Raya" in batu_page and "Catatan Kota Batu" in batu_page
    for secret in (SECRET_NOTE, "Revisi pasal pendanaan Kota Malang"):
        assert secret not in batu_page
    malang_page = client_for(malang, malang_office.user).get(url("detail", agreement.pk)).text
    assert SECRET_NOTE in malang_page and "Revisi pasal pendanaan Kota Malang" in malang_page
    for secret in ("Catatan Kota Batu", "Telaah Bagian Hukum Kota Batu"):
        assert secret not in malang_page
    # The DPRD step is each region's: Malang's is required, Batu's is not.
    assert agreement.dprd_required is True
    assert batu_agreement.dprd_required is False
    # The same stage, seen from both registers.
    with tenant_context(malang):
        step(malang_office, agreement, "start_ksb_drafting")
    with tenant_context(batu):
        assert Agreement.objects.get(pk=batu_agreement.pk).cooperation.stage == Stage.KSB_DRAFTING
    # The shared link leads each region to its own record.
    assert client.get(url("shared", coop_pk))["Location"] == url("detail", batu_agreement.pk)


def test_who_may_answer_and_a_decline_needs_a_reason(
    client_for, malang, batu, offices, member, staff_user
):
    agreement = offered(offices(malang), batu)
    coop_pk = agreement.cooperation_id
    tkksd = client_for(batu, member(batu, Role.TKKSD))
    assert tkksd.get(url("offer", coop_pk)).status_code == 200
    assert tkksd.post(url("offer_accept", coop_pk)).status_code == 403
    assert client_for(batu, member(batu, Role.VIEWER)).get(url("offer", coop_pk)).status_code == 403
    assert client_for(batu, member(batu, Role.OPD)).get(url("offers")).status_code == 403
    assert client_for(batu, staff_user).get(url("offer", coop_pk)).status_code == 404
    anonymous = client_for(batu).get(url("offer", coop_pk))
    assert anonymous.status_code == 302 and "/akun/sesi/" in anonymous["Location"]

    admin = client_for(batu, member(batu, Role.ADMIN))
    blank = admin.post(url("offer_decline", coop_pk), {"reason": "  "})
    assert blank.status_code == 400
    assert blank.context["decline_form"].errors["reason"]
    assert not Participation.objects.filter(cooperation_id=coop_pk).exists()

    declined = admin.post(url("offer_decline", coop_pk), {"reason": "Belum masuk RKPD 2026"})
    assert declined.status_code == 302
    answer = Participation.objects.get(cooperation_id=coop_pk, tenant=batu)
    assert (answer.answer, answer.reason, answer.agreement_id) == (
        Answer.DECLINED,
        "Belum masuk RKPD 2026",
        None,
    )
    with tenant_context(batu):
        assert not Agreement.objects.filter(cooperation_id=coop_pk).exists()
    assert AuditEvent.objects.filter(
        tenant=malang, action="agreement.partner_declined", object_id=str(agreement.pk)
    ).exists()
    assert admin.post(url("offer_accept", coop_pk)).status_code == 302  # told, not changed
    assert Participation.objects.get(cooperation_id=coop_pk, tenant=batu).answer == Answer.DECLINED


def test_malang_raya_signs_only_when_every_party_region_has_signed(
    client_for, malang, batu, kab_malang, offices
):
    malang_office, batu_office, kab_office = offices(malang), offices(batu), offices(kab_malang)
    agreement = offered(malang_office, kab_malang, batu)
    coop_pk = agreement.cooperation_id
    batu_agreement = accept(batu_office, agreement)
    kab_agreement = accept(kab_office, agreement)
    with tenant_context(kab_malang):
        reviews.request_review(
            membership=kab_office,
            agreement=kab_agreement,
            version=kab_agreement.cooperation.version,
        )
    with tenant_context(malang):
        step(malang_office, agreement, "start_ksb_drafting")
        with pytest.raises(ValidationError) as refused:
            step(malang_office, agreement, "sign_ksb", data=signing(), document=signed_pdf())
    assert refused.value.code == "parties_not_signed"
    assert "Kabupaten Malang" in refused.value.messages[0]
    assert "Kota Batu" in refused.value.messages[0]
    assert SignedDocument.objects.filter(cooperation_id=coop_pk).count() == 0

    # Kota Batu signs with its own copy; Kabupaten Malang confirms that copy.
    batu_client = client_for(batu, batu_office.user)
    version = agreement.cooperation.__class__.objects.get(pk=coop_pk).version
    response = batu_client.post(
        url("party_sign", batu_agreement.pk),
        {"version": version, "signed_on": "2026-02-10", "document": signed_pdf("batu.pdf")},
    )
    assert response.status_code == 302
    batu_copy = SignedDocument.objects.get(cooperation_id=coop_pk)
    assert batu_copy.stored_schema == batu.schema_name
    with tenant_context(kab_malang):
        kab_agreement.cooperation.refresh_from_db()
        partners.sign_as_party(
            membership=kab_office,
            agreement=kab_agreement,
            version=kab_agreement.cooperation.version,
            signed_on=datetime.date(2026, 2, 10),
            confirms=batu_copy.pk,
        )
    # Malang is the last: it records the signing itself, not as a party.
    with tenant_context(malang):
        agreement.cooperation.refresh_from_db()
        with pytest.raises(Conflict):
            partners.sign_as_party(
                membership=malang_office,
                agreement=agreement,
                version=agreement.cooperation.version,
                signed_on=datetime.date(2026, 2, 10),
                document=signed_pdf(),
            )
        step(malang_office, agreement, "sign_ksb", data=signing(), document=signed_pdf())
    assert set(
        PartySignature.objects.filter(cooperation_id=coop_pk, instrument="ksb").values_list(
            "tenant_id", flat=True
        )
    ) == {malang.pk, batu.pk, kab_malang.pk}
    # The same stage and the same signed documents in all three workspaces.
    for tenant, pk in (
        (malang, agreement.pk),
        (batu, batu_agreement.pk),
        (kab_malang, kab_agreement.pk),
    ):
        with tenant_context(tenant):
            assert Agreement.objects.get(pk=pk).cooperation.stage == Stage.KSB_SIGNED
    malang_copy = SignedDocument.objects.get(cooperation_id=coop_pk, stored_schema="kota_malang")
    download = batu_client.get(url("signed_document", batu_agreement.pk, malang_copy.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # Kabupaten Malang's TKKSD round is its own: nobody else's page shows a review.
    batu_page = batu_client.get(url("detail", batu_agreement.pk))
    assert batu_page.context["tally"].round == 0
    with tenant_context(kab_malang):
        assert Agreement.objects.get(pk=kab_agreement.pk).review_round == 1


def test_signing_as_a_party_refuses_bad_input_and_changes_nothing(
    client_for, malang, batu, offices, member
):
    malang_office, batu_office = offices(malang), offices(batu)
    agreement = offered(malang_office, batu)
    coop_pk = agreement.cooperation_id
    batu_agreement = accept(batu_office, agreement)
    client = client_for(batu, batu_office.user)
    version = agreement.cooperation.version
    # Not at a signing stage yet.
    early = client.post(
        url("party_sign", batu_agreement.pk),
        {"version": version, "signed_on": "2026-02-10", "document": signed_pdf()},
    )
    assert early.status_code == 409
    with tenant_context(malang):
        step(malang_office, agreement, "start_ksb_drafting")
    version += 1
    not_pdf = client.post(
        url("party_sign", batu_agreement.pk),
        {
            "version": version,
            "signed_on": "2026-02-10",
            "document": signed_pdf("x.pdf").__class__("x.pdf", b"not a pdf"),
        },
    )
    assert not_pdf.status_code == 400
    nothing = client.post(
        url("party_sign", batu_agreement.pk), {"version": version, "signed_on": "2026-02-10"}
    )
    assert nothing.status_code == 400
    assert nothing.context["form"].errors["document"]
    stale = client.post(
        url("party_sign", batu_agreement.pk),
        {"version": version - 1, "signed_on": "2026-02-10", "document": signed_pdf()},
    )
    assert stale.status_code == 409
    assert (
        client_for(batu, member(batu, Role.TKKSD))
        .get(url("party_sign", batu_agreement.pk))
        .status_code
        == 403
    )
    assert not PartySignature.objects.filter(cooperation_id=coop_pk).exists()
    assert not SignedDocument.objects.filter(cooperation_id=coop_pk).exists()


def test_meetings_are_recorded_on_the_shared_record_and_every_party_reads_them(
    client_for, malang, batu, sidoarjo, offices, member
):
    malang_office, batu_office = offices(malang), offices(batu)
    agreement = offered(malang_office, batu)
    batu_agreement = accept(batu_office, agreement)
    opd = client_for(malang, member(malang, Role.OPD, opd="Dinas Perhubungan"))
    form = {
        "held_on": "2026-01-20",
        "place": "Balai Kota Among Tani",
        "host": "35.79",
        "attendees": "Sekda Kota Batu; Sekda Kabupaten Malang; Asisten Pemerintahan Kota Malang",
        "minutes": "Membahas kemacetan di perbatasan",
        "decisions": "Prioritas pertama: kemacetan lalu lintas",
        "next_steps": "Inventarisasi titik kemacetan per OPD",
    }
    # Bad input: told what is wrong, nothing written.
    assert (
        opd.post(url("meeting_record", agreement.pk), {**form, "attendees": ""}).status_code == 400
    )
    bad_host = opd.post(url("meeting_record", agreement.pk), {**form, "host": "35.15"})
    assert bad_host.status_code == 400
    assert not Meeting.objects.exists()
    assert opd.post(url("meeting_record", agreement.pk), form).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.cooperation_id, meeting.host_id, meeting.recorded_by_tenant_id) == (
        agreement.cooperation_id,
        "35.79",
        malang.pk,
    )
    # Kota Batu reads it in its own register, its viewer too (given the agreement's dossier by
    # Batu's office); its viewer cannot record one.
    viewer = member(batu, Role.VIEWER)
    with tenant_context(batu):
        scope.give_dossier(
            membership=batu_office, agreement=batu_agreement, member=membership_of(viewer, batu)
        )
    batu_viewer = client_for(batu, viewer)
    page = batu_viewer.get(url("meetings", batu_agreement.pk))
    assert list(page.context["meetings"]) == [meeting]
    assert "Prioritas pertama: kemacetan lalu lintas" in page.text
    assert batu_viewer.post(url("meeting_record", batu_agreement.pk), form).status_code == 403
    # A region that is not a party has no such agreement.
    third = client_for(sidoarjo, member(sidoarjo, Role.ADMIN))
    assert third.get(url("meetings", batu_agreement.pk)).status_code == 404
    assert Meeting.objects.count() == 1


def test_the_access_helper_and_the_action_refuse_on_their_own(malang, batu, offices, member):
    """The same rules hold without the views in front (commands, the coming API)."""
    from django.http import Http404

    malang_office, batu_office = offices(malang), offices(batu)
    agreement = offered(malang_office, batu)
    viewer = membership_of(member(batu, Role.VIEWER), batu)
    with tenant_context(batu), pytest.raises(Http404):
        partners.get_offer_for(viewer, agreement.cooperation_id)
    with tenant_context(batu), pytest.raises(Http404):
        partners.get_offer_for(None, agreement.cooperation_id)
    with tenant_context(batu):
        assert partners.get_offer_for(batu_office, agreement.cooperation_id).pk == (
            agreement.cooperation_id
        )
    with tenant_context(malang), pytest.raises(ValidationError) as refused:
        partners.record_meeting(
            membership=malang_office,
            agreement=agreement,
            held_on=datetime.date(2026, 1, 20),
            place="Pendopo Kabupaten Sidoarjo",
            host=Region.objects.get(code="35.15"),
            attendees="Sekda",
        )
    assert refused.value.error_dict["host"][0].code == "not_a_party"
    opd = membership_of(member(batu, Role.TKKSD), batu)
    with tenant_context(batu), pytest.raises(Forbidden):
        partners.accept_offer(membership=opd, cooperation_pk=agreement.cooperation_id)
    assert not Meeting.objects.exists() and not Participation.objects.exists()
