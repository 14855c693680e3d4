"""Publishing: signing publishes a snapshot through the lifecycle's own path; every later public
change adds an immutable version; the office's withholding."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django_tenants.utils import schema_context, tenant_context

from agreements.tests.factories import (
    membership_of,
    new_agreement,
    signed_pdf,
    signing,
    step,
    to_ksb_signed,
)
from conftest import make_pdf
from core.errors import Forbidden
from public_registry import publishing
from public_registry.models import PublishedAgreement, PublishedVersion
from tenants.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(malang, member):
    return membership_of(member(malang, Role.ADMIN), malang)


def record_of(agreement) -> PublishedAgreement:
    return PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)


def test_nothing_is_published_before_the_signing_and_the_signing_publishes(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
        step(office, agreement, "send_offer")
        step(office, agreement, "start_ksb_drafting")
        assert not PublishedAgreement.objects.exists()
        step(office, agreement, "sign_ksb", data=signing(), document=signed_pdf())
    record = record_of(agreement)
    assert (record.version, record.title, record.kind) == (
        1,
        agreement.cooperation.title,
        "ksdd_sukarela",
    )
    assert record.region_codes == ["35.73", "35.07"]
    assert record.province_codes == ["35"]
    assert record.signed_year == 2026
    version = record.versions.get()
    assert version.reason == "sign_ksb"
    assert version.snapshot["parties"][1]["signatory_name"] == "M. Sanusi"
    document = record.documents.get()
    with schema_context("public"):
        content = document.file.read()
    assert content == make_pdf()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert version.snapshot["documents"][0]["sha256"] == document.sha256


def test_a_failed_signing_publishes_nothing(malang, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
        step(office, agreement, "send_offer")
        step(office, agreement, "start_ksb_drafting")
        with pytest.raises(ValidationError):
            step(office, agreement, "sign_ksb", data=signing(), document=None)
    assert not PublishedAgreement.objects.exists()


def test_amendment_extension_and_ending_add_versions_and_never_edit_one(malang, office):
    with tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
        step(office, agreement, "start_implementation")
        step(
            office,
            agreement,
            "amend",
            data=signing(title="Addendum I"),
            document=signed_pdf("addendum.pdf"),
        )
        step(office, agreement, "extend", data={"term_end": datetime.date(2035, 12, 31)})
    record = record_of(agreement)
    assert [v.reason for v in record.versions.order_by("number")] == [
        "sign_ksb",
        "start_implementation",
        "extend",
    ]
    first = record.versions.get(number=1)
    assert first.snapshot["stage"] == "ksb_signed"
    assert record.stage == "ended" and record.end_reason == "extended"
    addendum = PublishedAgreement.objects.get(amends_cooperation_id=agreement.cooperation_id)
    assert addendum.instrument == "addendum" and addendum.versions.get().reason == "amend"
    # The renewal is in preparation: not public until it is signed.
    assert (
        PublishedAgreement.objects.filter(renews_cooperation_id=record.cooperation_id).count() == 0
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedVersion.objects.filter(pk=first.pk).update(reason="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedVersion.objects.filter(pk=first.pk).delete()


def test_termination_marks_the_record_terminated(malang, office):
    with tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
        step(
            office,
            agreement,
            "terminate",
            data={"reason": "Tidak dilanjutkan", "ended_on": datetime.date(2026, 6, 1)},
        )
    record = record_of(agreement)
    assert record.terminated and record.versions.count() == 2
    assert record.versions.first().snapshot["closing_note"] == "Tidak dilanjutkan"


def test_withholding_needs_a_reason_hides_fields_and_documents_and_republishes(
    malang, office, django_capture_on_commit_callbacks
):
    with tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
        coop = agreement.cooperation
        with pytest.raises(ValidationError) as refused:
            publishing.set_withholding(
                membership=office, cooperation=coop, fields=["object"], documents=False, reason=" "
            )
        assert refused.value.error_dict["reason"][0].code == "withholding_reason_required"
        document = record_of(agreement).documents.get()
        stored = document.file.name
        with django_capture_on_commit_callbacks(execute=True):
            publishing.set_withholding(
                membership=office,
                cooperation=coop,
                fields=["object", "signatories"],
                documents=True,
                reason="UU 14/2008 Pasal 17 huruf b",
            )
    record = record_of(agreement)
    latest = record.versions.first()
    assert record.version == 2 and latest.reason == "withholding"
    assert latest.snapshot["object"] is None
    assert latest.snapshot["parties"][0]["signatory_name"] is None
    assert latest.snapshot["withheld"]["reason"] == "UU 14/2008 Pasal 17 huruf b"
    # The earlier version is kept as it was published.
    assert record.versions.get(number=1).snapshot["object"] == "Penanganan kemacetan lalu lintas"
    document.refresh_from_db()
    assert document.withheld and document.sha256
    with schema_context("public"):
        assert not document.file.storage.exists(stored)
    event = AuditEvent.objects.get(action="registry.withholding_changed")
    assert event.tenant == malang


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.VIEWER])
def test_only_the_owning_office_withholds(malang, batu, office, member, role):
    with tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
        other = membership_of(member(malang, role), malang)
        with pytest.raises(Forbidden):
            publishing.set_withholding(
                membership=other,
                cooperation=agreement.cooperation,
                fields=["object"],
                documents=False,
                reason="Pasal 17",
            )
    batu_office = membership_of(member(batu, Role.ADMIN), batu)
    with tenant_context(batu), pytest.raises(Forbidden):
        publishing.set_withholding(
            membership=batu_office,
            cooperation=agreement.cooperation,
            fields=["object"],
            documents=False,
            reason="Pasal 17",
        )
    assert record_of(agreement).version == 1


def test_agreements_signed_before_the_registry_are_published_once(malang):
    from cooperation.models import Cooperation

    signed = Cooperation.objects.create(
        kind="ksdd_sukarela",
        title="KSB Lama",
        urusan=["1.03"],
        stage="implementation",
        signed_on=datetime.date(2020, 1, 6),
        owner=malang,
    )
    Cooperation.objects.create(
        kind="ksdd_sukarela",
        title="Ditolak",
        urusan=["1.03"],
        stage="rejected",
        owner=malang,
    )
    assert publishing.publish_all_signed() == 1
    assert publishing.publish_all_signed() == 0
    record = PublishedAgreement.objects.get()
    assert (record.cooperation_id, record.version) == (signed.pk, 1)
    assert record.versions.get().reason == "backfill"
