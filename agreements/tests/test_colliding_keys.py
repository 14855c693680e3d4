"""Regions' primary keys collide in production (each schema's sequences start at 1). Here Kota
Malang's and Kota Batu's agreements are given the same primary keys on purpose, so a query that
forgets its region finds the other region's row: the partner's history page, and a partner
confirming its signature with a signed copy of another agreement or instrument."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.partners import actions as partners
from agreements.register import reviews
from agreements.register.parties import PartyData
from cooperation.models import PartyKind, PartySignature, SignedDocument
from tenants.models import AuditEvent, Role

from .factories import membership_of, new_agreement, step, to_ksb_signed

pytestmark = pytest.mark.django_db

SECRET_REVIEW = "Catatan TKKSD Kota Malang: pasal pendanaan direvisi"


def next_ids_collide(*tenants, table: str = "agreements_agreement") -> None:
    """The next row of `table` gets the same primary key in every schema of `tenants`."""
    sequences = []
    with connection.cursor() as cursor:
        for tenant in tenants:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, 'id')", [f"{tenant.schema_name}.{table}"]
            )
            sequences.append(cursor.fetchone()[0])
        last = 0
        for sequence in sequences:
            cursor.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608
            last = max(last, cursor.fetchone()[0])
        for sequence in sequences:
            cursor.execute("SELECT setval(%s, %s, true)", [sequence, last + 100])


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
    return {t: membership_of(member(t, Role.ADMIN), t) for t in (malang, batu)}


def offered_and_accepted(malang, batu, offices):
    """Malang offers an agreement to Batu, which accepts: the two regions' records of it have
    the same primary key, each in its own schema."""
    malang_office, batu_office = offices[malang], offices[batu]
    next_ids_collide(malang, batu)
    with tenant_context(malang):
        agreement = new_agreement(
            malang_office,
            title="KSB Malang Raya",
            parties=[party(malang, "Wahyu Hidayat"), party(batu, "Nurochman")],
        )
        step(malang_office, agreement, "send_offer")
    with tenant_context(batu):
        batu_agreement = partners.accept_offer(
            membership=batu_office, cooperation_pk=agreement.cooperation_id
        )
    assert batu_agreement.pk == agreement.pk  # the keys collide
    return agreement, batu_agreement


def test_the_partners_history_page_shows_only_its_own_events_when_keys_collide(
    malang, batu, offices, member, client_for
):
    agreement, batu_agreement = offered_and_accepted(malang, batu, offices)
    malang_office = offices[malang]
    with tenant_context(malang):
        agreement.cooperation.refresh_from_db()
        reviews.request_review(
            membership=malang_office, agreement=agreement, version=agreement.cooperation.version
        )
        reviews.record_recommendation(
            membership=membership_of(member(malang, Role.TKKSD), malang),
            agreement=agreement,
            recommendation="revise",
            notes=SECRET_REVIEW,
        )
    connection.set_schema_to_public()
    # Kota Malang's internal events carry the same object id as Kota Batu's record.
    malang_events = AuditEvent.objects.filter(
        tenant=malang, object_type="agreements.agreement", object_id=str(batu_agreement.pk)
    )
    assert malang_events.filter(action__startswith="agreement.review").exists()
    batu_admin = offices[batu].user
    url = reverse("agreements:detail", args=[batu_agreement.pk], urlconf="portal.urls_tenant")
    page = client_for(batu, batu_admin).get(url)
    assert page.status_code == 200
    events = list(page.context["events"])
    assert events and {e.tenant_id for e in events} == {batu.pk}
    assert not {e.pk for e in events} & set(malang_events.values_list("pk", flat=True))
    html = page.content.decode()
    assert malang_office.user.email not in html and SECRET_REVIEW not in html


def _stage_ksb_signing(malang, agreement, malang_office):
    with tenant_context(malang):
        step(malang_office, agreement, "start_ksb_drafting")
        agreement.cooperation.refresh_from_db()


def test_a_partner_cannot_confirm_its_signature_with_another_agreements_or_instruments_copy(
    malang, batu, offices
):
    malang_office, batu_office = offices[malang], offices[batu]
    # Kota Malang's own signed agreement, whose key will be the one of Batu's record below.
    next_ids_collide(malang, batu)
    with tenant_context(malang):
        other = to_ksb_signed(malang_office, new_agreement(malang_office, title="KSB Lain"))
    connection.set_schema_to_public()
    other_copy = SignedDocument.objects.get(cooperation_id=other.cooperation_id)
    with tenant_context(malang):
        agreement = new_agreement(
            malang_office,
            title="KSB Malang Raya",
            parties=[party(malang, "Wahyu Hidayat"), party(batu, "Nurochman")],
        )
        step(malang_office, agreement, "send_offer")
    # Batu's next key is the one Malang's other agreement has.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
            [f"{batu.schema_name}.agreements_agreement", other.pk],
        )
    with tenant_context(batu):
        batu_agreement = partners.accept_offer(
            membership=batu_office, cooperation_pk=agreement.cooperation_id
        )
    assert batu_agreement.pk == other.pk  # the keys collide
    _stage_ksb_signing(malang, agreement, malang_office)
    # A signed copy of the same agreement, but of another instrument (its PKS).
    wrong_instrument = SignedDocument.objects.create(
        cooperation_id=agreement.cooperation_id,
        instrument="pks",
        signed_on=datetime.date(2026, 2, 10),
        file="pks.pdf",
        original_name="pks.pdf",
        size=1,
        sha256="0" * 64,
        stored_schema=malang.schema_name,
    )
    for copy in (other_copy, wrong_instrument):
        with tenant_context(batu):
            batu_agreement = Agreement.objects.get(pk=batu_agreement.pk)
            with pytest.raises(ValidationError) as refused:
                partners.sign_as_party(
                    membership=batu_office,
                    agreement=batu_agreement,
                    version=batu_agreement.cooperation.version,
                    signed_on=datetime.date(2026, 2, 10),
                    confirms=copy.pk,
                )
        assert refused.value.error_dict["confirms"][0].code == "signed_document_required"
    connection.set_schema_to_public()
    assert not PartySignature.objects.filter(cooperation_id=agreement.cooperation_id).exists()
    assert not AuditEvent.objects.filter(action="agreement.party_signed").exists()
