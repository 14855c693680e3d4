"""The lifecycle: the transition table's order and every guard, through `advance`."""

from __future__ import annotations

import datetime
import hashlib
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.register import lifecycle
from conftest import make_pdf
from cooperation.errors import AgreementError
from cooperation.models import Cooperation, EndReason, Instrument, SignedDocument, Stage
from core.errors import Conflict, Forbidden
from tenants.models import AuditEvent, Role

from .factories import membership_of, new_agreement, signed_pdf, signing, step, to_ksb_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(malang, member):
    return membership_of(member(malang, Role.ADMIN), malang)


def stage_of(agreement) -> str:
    return Cooperation.objects.get(pk=agreement.cooperation_id).stage


def codes(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return (
            [e.code for e in exc.error_list]
            if not hasattr(exc, "error_dict")
            else [e.code for errors in exc.error_dict.values() for e in errors]
        )
    return [exc.code]


def test_a_ksb_then_its_pks_runs_every_stage_in_the_regulations_order(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
        assert stage_of(agreement) == Stage.PREPARATION
        to_ksb_signed(office, agreement)
        for name, expected in [
            ("start_pks_drafting", Stage.PKS_DRAFTING),
        ]:
            step(office, agreement, name)
            assert stage_of(agreement) == expected
        step(
            office,
            agreement,
            "sign_pks",
            data=signing(signed_on=datetime.date(2026, 2, 20)),
            document=signed_pdf("pks.pdf"),
        )
        assert stage_of(agreement) == Stage.PKS_SIGNED
        step(office, agreement, "start_implementation")
        step(office, agreement, "start_monitoring")
        assert stage_of(agreement) == Stage.MONITORING
        coop = Cooperation.objects.get(pk=agreement.cooperation_id)
        assert coop.ksb_signed_on == datetime.date(2026, 2, 10)
        assert coop.signed_on == datetime.date(2026, 2, 20)
        assert coop.signing_mode == "ceremonial"
        documents = list(SignedDocument.objects.filter(cooperation=coop))
        assert [d.instrument for d in documents] == [Instrument.KSB, Instrument.PKS]
        assert documents[0].sha256 == hashlib.sha256(make_pdf()).hexdigest()
        assert documents[0].stored_schema == malang.schema_name
    actions = list(
        AuditEvent.objects.filter(tenant=malang, object_id=str(agreement.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "agreement.created",
        "agreement.offer_sent",
        "agreement.ksb_drafting_started",
        "agreement.ksb_signed",
        "agreement.pks_drafting_started",
        "agreement.pks_signed",
        "agreement.implementation_started",
        "agreement.monitoring_started",
    ]


def test_the_dprd_step_comes_exactly_when_it_is_required(malang, office):
    with tenant_context(malang):
        needs = new_agreement(office, private={"burdens_public": True})
        to_ksb_signed(office, needs)
        names = [t.name for t in lifecycle.offered_transitions(needs, needs.cooperation)]
        assert "submit_to_dprd" in names and "start_pks_drafting" not in names
        with pytest.raises(ValidationError) as refused:
            step(office, needs, "start_pks_drafting")
        assert codes(refused.value) == [AgreementError.DPRD_REQUIRED]
        with pytest.raises(ValidationError) as refused:
            step(office, needs, "start_implementation")
        assert codes(refused.value) == [AgreementError.DPRD_REQUIRED]
        step(office, needs, "submit_to_dprd")
        with pytest.raises(ValidationError) as refused:
            step(office, needs, "record_dprd_approval", data={"dprd_decision_number": ""})
        assert codes(refused.value) == [AgreementError.DPRD_DECISION_REQUIRED]
        step(
            office,
            needs,
            "record_dprd_approval",
            data={
                "dprd_decision_number": "172/12/35.73.201/2026",
                "dprd_decided_on": datetime.date(2026, 3, 2),
            },
        )
        assert stage_of(needs) == Stage.PKS_DRAFTING
        assert Agreement.objects.get(pk=needs.pk).dprd_decided_on == datetime.date(2026, 3, 2)

        # Funded in the budget and burdening no one: no DPRD step at all.
        free = new_agreement(office, title="KSB tanpa DPRD")
        to_ksb_signed(office, free)
        names = [t.name for t in lifecycle.offered_transitions(free, free.cooperation)]
        assert "start_pks_drafting" in names and "submit_to_dprd" not in names
        with pytest.raises(ValidationError) as refused:
            step(office, free, "submit_to_dprd")
        assert codes(refused.value) == [AgreementError.DPRD_NOT_REQUIRED]
        assert stage_of(free) == Stage.KSB_SIGNED

        # Funding outside the current budget requires it too.
        unfunded = new_agreement(
            office, title="KSB di luar APBD", private={"funded_in_current_budget": False}
        )
        assert Agreement.objects.get(pk=unfunded.pk).dprd_required is True


def _files_under(root) -> set[str]:
    return {os.path.join(d, f) for d, _, files in os.walk(root) for f in files}


def test_no_signing_without_the_signed_document_a_real_pdf_and_the_signatories(
    malang, office, settings
):
    with tenant_context(malang):
        agreement = new_agreement(office)
        step(office, agreement, "send_offer")
        step(office, agreement, "start_ksb_drafting")
        version = Cooperation.objects.get(pk=agreement.cooperation_id).version
        before = _files_under(settings.MEDIA_ROOT)
        with pytest.raises(ValidationError) as refused:
            step(office, agreement, "sign_ksb", data=signing(), document=None)
        assert codes(refused.value) == [AgreementError.SIGNED_DOCUMENT_REQUIRED]
        fake = SimpleUploadedFile("ksb.pdf", b"<html>not a pdf</html>", "application/pdf")
        with pytest.raises(ValidationError) as refused:
            step(office, agreement, "sign_ksb", data=signing(), document=fake)
        assert codes(refused.value) == [AgreementError.DOCUMENT_NOT_PDF]
        settings.JEJARING_DOCUMENT_MAX_BYTES = 100
        with pytest.raises(ValidationError) as refused:
            step(office, agreement, "sign_ksb", data=signing(), document=signed_pdf())
        assert codes(refused.value) == [AgreementError.DOCUMENT_TOO_LARGE]
        settings.JEJARING_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
        coop = Cooperation.objects.get(pk=agreement.cooperation_id)
        assert (coop.stage, coop.version, coop.signed_on) == (Stage.KSB_DRAFTING, version, None)
        assert SignedDocument.objects.count() == 0
        assert _files_under(settings.MEDIA_ROOT) == before

        # A party without its signatory: refused, and the file written for it is removed.
        party = coop.parties.order_by("position").last()
        party.signatory_authority = ""
        party.save()
        with pytest.raises(ValidationError) as refused:
            step(office, agreement, "sign_ksb", data=signing(), document=signed_pdf())
        assert codes(refused.value) == [AgreementError.SIGNATORIES_REQUIRED]
        assert _files_under(settings.MEDIA_ROOT) == before


def test_a_pks_under_an_unsigned_ksb_cannot_be_signed(malang, office):
    with tenant_context(malang):
        ksb = new_agreement(office)
        pks = new_agreement(office, title="PKS Pariwisata", urusan=["3.26"], parent=ksb)
        step(office, pks, "send_offer")
        with pytest.raises(ValidationError) as refused:
            step(office, pks, "start_ksb_drafting")
        assert codes(refused.value) == [AgreementError.TRANSITION_NOT_ALLOWED]
        step(office, pks, "start_pks_drafting")
        with pytest.raises(ValidationError) as refused:
            step(office, pks, "sign_pks", data=signing(), document=signed_pdf())
        assert codes(refused.value) == [AgreementError.KSB_NOT_SIGNED]
        assert stage_of(pks) == Stage.PKS_DRAFTING
        to_ksb_signed(office, ksb)
        step(office, pks, "sign_pks", data=signing(), document=signed_pdf())
        assert stage_of(pks) == Stage.PKS_SIGNED


def test_no_implementation_before_signing(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
        for stage_steps in (["send_offer"], ["start_ksb_drafting"]):
            for name in stage_steps:
                step(office, agreement, name)
            with pytest.raises(Conflict) as refused:
                step(office, agreement, "start_implementation")
            assert refused.value.code == AgreementError.TRANSITION_NOT_ALLOWED
        assert stage_of(agreement) == Stage.KSB_DRAFTING


def test_termination_needs_a_reason_and_cannot_end_before_the_start(malang, office):
    with tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
        with pytest.raises(ValidationError) as refused:
            step(
                office,
                agreement,
                "terminate",
                data={"reason": "", "ended_on": datetime.date(2026, 6, 1)},
            )
        assert codes(refused.value) == [AgreementError.REASON_REQUIRED]
        with pytest.raises(ValidationError) as refused:
            step(
                office,
                agreement,
                "terminate",
                data={"reason": "Anggaran tidak tersedia", "ended_on": datetime.date(2025, 12, 1)},
            )
        assert codes(refused.value) == [AgreementError.END_BEFORE_START]
        assert stage_of(agreement) == Stage.KSB_SIGNED
        step(
            office,
            agreement,
            "terminate",
            data={"reason": "Anggaran tidak tersedia", "ended_on": datetime.date(2026, 6, 1)},
        )
        coop = Cooperation.objects.get(pk=agreement.cooperation_id)
        assert (coop.stage, coop.end_reason, coop.closing_note, coop.ended_on) == (
            Stage.ENDED,
            EndReason.TERMINATED,
            "Anggaran tidak tersedia",
            datetime.date(2026, 6, 1),
        )


def test_rejection_with_a_reason_only_before_signing(malang, office):
    with tenant_context(malang):
        early = new_agreement(office)
        step(office, early, "send_offer")
        with pytest.raises(ValidationError) as refused:
            step(office, early, "reject", data={"reason": "  "})
        assert codes(refused.value) == [AgreementError.REASON_REQUIRED]
        step(office, early, "reject", data={"reason": "Mitra menarik diri"})
        coop = Cooperation.objects.get(pk=early.cooperation_id)
        assert (coop.stage, coop.closing_note) == (Stage.REJECTED, "Mitra menarik diri")

        signed = to_ksb_signed(office, new_agreement(office, private={"burdens_public": True}))
        step(office, signed, "submit_to_dprd")
        with pytest.raises(ValidationError) as refused:
            step(office, signed, "reject", data={"reason": "Terlambat"})
        assert codes(refused.value) == [AgreementError.ALREADY_SIGNED]
        assert stage_of(signed) == Stage.DPRD_APPROVAL


def test_expiry_only_after_the_term_has_ended(malang, office):
    with tenant_context(malang):
        running = to_ksb_signed(office, new_agreement(office))
        with pytest.raises(ValidationError) as refused:
            step(office, running, "expire")
        assert codes(refused.value) == [AgreementError.NOT_YET_EXPIRED]
        old = to_ksb_signed(
            office,
            new_agreement(
                office, term_start=datetime.date(2020, 1, 1), term_end=datetime.date(2024, 12, 31)
            ),
        )
        step(office, old, "expire")
        coop = Cooperation.objects.get(pk=old.cooperation_id)
        assert (coop.stage, coop.end_reason, coop.ended_on) == (
            Stage.ENDED,
            EndReason.EXPIRED,
            datetime.date(2024, 12, 31),
        )


def test_a_stale_version_is_refused_and_changes_nothing(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
        seen = Cooperation.objects.get(pk=agreement.cooperation_id).version
        step(office, agreement, "send_offer")  # someone else moved it meanwhile
        with pytest.raises(Conflict) as refused:
            lifecycle.advance(
                membership=office,
                agreement=agreement,
                transition="reject",
                version=seen,
                data={"reason": "Tidak relevan"},
            )
        assert refused.value.code == AgreementError.STALE_VERSION
        assert refused.value.status == 409
        assert stage_of(agreement) == Stage.OFFER
        assert not AuditEvent.objects.filter(action="agreement.rejected").exists()


def test_extension_creates_the_linked_renewal_and_amendment_an_addendum_with_its_document(
    malang, office
):
    with tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
        step(office, agreement, "start_pks_drafting")
        step(office, agreement, "sign_pks", data=signing(), document=signed_pdf())
        step(office, agreement, "start_implementation")
        with pytest.raises(ValidationError) as refused:
            step(office, agreement, "amend", data=signing(title="Addendum I"), document=None)
        assert codes(refused.value) == [AgreementError.SIGNED_DOCUMENT_REQUIRED]
        step(
            office,
            agreement,
            "amend",
            data=signing(title="Addendum I"),
            document=signed_pdf("addendum.pdf"),
        )
        addendum = Cooperation.objects.get(amends_id=agreement.cooperation_id)
        assert addendum.title == "Addendum I"
        assert addendum.signed_documents.get().instrument == Instrument.ADDENDUM
        assert Agreement.objects.filter(cooperation_id=addendum.pk).count() == 1
        assert stage_of(agreement) == Stage.IMPLEMENTATION

        with pytest.raises(ValidationError) as refused:
            step(office, agreement, "extend", data={"term_end": datetime.date(2029, 1, 1)})
        assert codes(refused.value) == [AgreementError.TERM_END_BEFORE_START]
        step(office, agreement, "extend", data={"term_end": datetime.date(2035, 12, 31)})
        coop = Cooperation.objects.get(pk=agreement.cooperation_id)
        assert (coop.stage, coop.end_reason) == (Stage.ENDED, EndReason.EXTENDED)
        renewal = Cooperation.objects.get(renews=coop)
        assert (renewal.stage, renewal.term_start, renewal.term_end) == (
            Stage.PREPARATION,
            datetime.date(2031, 1, 1),
            datetime.date(2035, 12, 31),
        )
        assert [p.name for p in renewal.parties.all()] == [p.name for p in coop.parties.all()]


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.VIEWER])
def test_only_the_office_moves_an_agreement(malang, office, member, role):
    someone = membership_of(member(malang, role, opd="Dinas Pertanian"), malang)
    with tenant_context(malang):
        agreement = new_agreement(office)
        with pytest.raises(Forbidden):
            step(someone, agreement, "send_offer")
        assert stage_of(agreement) == Stage.PREPARATION


def test_every_step_records_a_registered_audit_action_and_each_name_is_unique():
    from tenants import audit

    actions = [t.audit_action for t in lifecycle.TRANSITIONS]
    assert len(set(actions)) == len(actions) == len(lifecycle.BY_NAME)
    assert set(actions) <= audit.registered_actions()


def test_the_other_administrators_are_emailed_after_the_step_commits(
    malang, office, member, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = member(malang, Role.ADMIN)
    member(malang, Role.VIEWER)
    with tenant_context(malang):
        agreement = new_agreement(office)
        with django_capture_on_commit_callbacks(execute=False) as pending:
            step(office, agreement, "send_offer")
        assert mailoutbox == []  # nothing before the commit
        for callback in pending:
            callback()
    assert [m.to for m in mailoutbox] == [[colleague.email]]
    assert "Kesepakatan Bersama Malang Raya" in mailoutbox[0].subject


def test_a_space_without_a_region_keeps_no_register(office):
    """The register's own region is a party to each agreement: a space without a region (its
    tenant's region unset) is refused with a stable code, never an AttributeError."""
    office.tenant.region = None
    with pytest.raises(Conflict) as refused:
        new_agreement(office)
    assert refused.value.code == AgreementError.NO_REGION
    with tenant_context(office.tenant):
        assert not Agreement.objects.exists()


def test_the_agreements_actions_never_run_inside_a_callers_transaction():
    """Top-level actions (core.actions.top_level): their e-mail and publication follow their own
    commit, so inside a caller's transaction they refuse before doing anything. Actions that
    build on another (triage's accept_proposal, an inquiry's offer, the joint PKS, the import)
    and the demo's loader compose them through `.inner` (their own tests)."""
    from django.db import transaction

    from agreements.monitoring import actions as monitoring
    from agreements.partners import actions as partners
    from agreements.partners import joint
    from agreements.proposals import inquiries, triage
    from agreements.register import actions, reviews, scope
    from cooperation import shared_proposals

    with transaction.atomic():
        for act in (
            actions.create_agreement,
            actions.register_signed_agreement,
            actions.update_agreement,
            lifecycle.advance,
            reviews.request_review,
            reviews.record_recommendation,
            scope.set_areas,
            scope.give_dossier,
            scope.withdraw_dossier,
            partners.accept_offer,
            partners.decline_offer,
            partners.sign_as_party,
            partners.record_meeting,
            joint.propose_point,
            joint.set_priorities,
            joint.adopt_chosen_points,
            joint.add_text_version,
            joint.record_own_dprd_decision,
            monitoring.add_action_item,
            monitoring.update_action_item,
            monitoring.remove_action_item,
            monitoring.file_monitoring_report,
            monitoring.update_reminder_settings,
            triage.accept_proposal,
            triage.ask_for_more,
            triage.decline_proposal,
            inquiries.offer_from_inquiry,
            shared_proposals.submit_proposal,
            shared_proposals.provide_more_info,
        ):
            with pytest.raises(RuntimeError, match="durable"):
                act()
