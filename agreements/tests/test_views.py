"""The register's pages: filters, forms, steps, downloads; who gets what, and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from agreements.models import Agreement
from agreements.register import scope
from cooperation.models import Cooperation, Kind, SignedDocument, Stage
from tenants.models import Role

from .factories import membership_of, new_agreement, signed_pdf, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(malang, member):
    return member(malang, Role.ADMIN)


@pytest.fixture
def office(malang, admin):
    return membership_of(admin, malang)


def url(name, *args):
    return reverse(f"agreements:{name}", args=args, urlconf="portal.urls_tenant")


def titles(response) -> list[str]:
    return [a.cooperation.title for a in response.context["page"]]


def test_the_list_filters_sorts_and_keeps_its_query_count(client_for, malang, admin, office):
    with tenant_context(malang):
        new_agreement(
            office, title="KSB Malang Raya", urusan=["1.03"], term_end=datetime.date(2030, 12, 31)
        )
        new_agreement(
            office,
            title="PKS Pariwisata Batu",
            urusan=["3.26"],
            parties=None,
            term_end=datetime.date(2027, 6, 30),
        )
    client = client_for(malang, admin)
    assert titles(client.get(url("list"), {"urusan": "3.26"})) == ["PKS Pariwisata Batu"]
    assert titles(client.get(url("list"), {"q": "malang raya"})) == ["KSB Malang Raya"]
    assert titles(client.get(url("list"), {"partner": "Kabupaten Malang", "sort": "title"})) == [
        "KSB Malang Raya",
        "PKS Pariwisata Batu",
    ]
    assert titles(client.get(url("list"), {"kind": Kind.KSDPK})) == []
    assert titles(client.get(url("list"), {"sort": "term_end"})) == [
        "PKS Pariwisata Batu",
        "KSB Malang Raya",
    ]
    assert titles(client.get(url("list"), {"year": 2029})) == ["KSB Malang Raya"]

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list")).status_code == 200
        return len(queries)

    few = count_queries()
    with tenant_context(malang):
        for n in range(6):
            new_agreement(office, title=f"PKS {n}")
    assert count_queries() == few


def test_creating_an_agreement_and_bad_input_that_changes_nothing(client_for, malang, admin):
    client = client_for(malang, admin)
    form = {
        "kind": Kind.KSDD_SUKARELA,
        "title": "KSB Malang Raya",
        "urusan": ["1.03", "2.15"],
        "object": "Kemacetan",
        "term_start": "2026-01-01",
        "term_end": "2025-12-31",
        "funded_in_current_budget": "on",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "region",
        "form-0-region": "35.73",
        "form-1-kind": "region",
        "form-1-region": "35.07",
    }
    refused = client.post(url("create"), form)
    assert refused.status_code == 400
    assert [e.code for e in refused.context["form"].errors.as_data()["term_end"]] == [
        "term_end_before_start"
    ]
    with tenant_context(malang):
        assert Agreement.objects.count() == 0
    assert Cooperation.objects.count() == 0

    form["term_end"] = "2030-12-31"
    created = client.post(url("create"), form)
    assert created.status_code == 302
    with tenant_context(malang):
        agreement = Agreement.objects.select_related("cooperation").get()
    assert created["Location"] == url("detail", agreement.pk)
    assert [p.name for p in agreement.cooperation.parties.all()] == [
        "Kota Malang",
        "Kabupaten Malang",
    ]
    assert agreement.cooperation.stage == Stage.PREPARATION


def test_a_stale_edit_is_refused_and_keeps_the_other_persons_change(
    client_for, malang, admin, office
):
    with tenant_context(malang):
        agreement = new_agreement(office, private={"internal_notes": "Catatan awal"})
    client = client_for(malang, admin)
    page = client.get(url("edit", agreement.pk))
    seen = page.context["form"].initial["version"]
    with tenant_context(malang):
        step(office, agreement, "send_offer")  # someone else, meanwhile
    data = {
        "version": seen,
        "kind": Kind.KSDD_SUKARELA,
        "title": "Judul baru",
        "urusan": ["1.03"],
        "object": "x",
        "internal_notes": "Tertimpa?",
        "funded_in_current_budget": "on",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-kind": "region",
        "form-0-region": "35.73",
        "form-1-kind": "region",
        "form-1-region": "35.07",
    }
    response = client.post(url("edit", agreement.pk), data)
    assert response.status_code == 409
    assert "Someone else changed this agreement" in response.content.decode()
    with tenant_context(malang):
        agreement.refresh_from_db()
        assert agreement.internal_notes == "Catatan awal"
    assert Cooperation.objects.get(pk=agreement.cooperation_id).title == (
        "Kesepakatan Bersama Malang Raya"
    )


def test_signing_through_the_page_needs_the_document_then_offers_the_download(
    client_for, malang, admin, office
):
    with tenant_context(malang):
        agreement = new_agreement(office)
        step(office, agreement, "send_offer")
        step(office, agreement, "start_ksb_drafting")
    version = Cooperation.objects.get(pk=agreement.cooperation_id).version
    client = client_for(malang, admin)
    sign = url("transition", agreement.pk, "sign_ksb")
    data = {
        "version": version,
        "signed_on": "2026-02-10",
        "signing_place": "Kota Batu",
        "signing_mode": "ceremonial",
    }
    refused = client.post(sign, data)
    assert refused.status_code == 400
    assert "Upload the signed document (PDF)" in refused.content.decode()
    assert Cooperation.objects.get(pk=agreement.cooperation_id).stage == Stage.KSB_DRAFTING
    done = client.post(sign, {**data, "document": signed_pdf()})
    assert done.status_code == 302
    document = SignedDocument.objects.get(cooperation_id=agreement.cooperation_id)
    detail = client.get(url("detail", agreement.pk)).content.decode()
    assert document.sha256 in detail
    download = client.get(url("signed_document", agreement.pk, document.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_an_unknown_step_is_not_found(client_for, malang, admin, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
    response = client_for(malang, admin).get(url("transition", agreement.pk, "skip_to_the_end"))
    assert response.status_code == 404


def test_another_regions_agreement_does_not_exist_here(client_for, malang, batu, member, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
    batu_admin = member(batu, Role.ADMIN)
    # On its own subdomain: Batu's schema has no such agreement.
    assert client_for(batu, batu_admin).get(url("detail", agreement.pk)).status_code == 404
    # On Malang's: not a member, the same answer.
    assert client_for(malang, batu_admin).get(url("detail", agreement.pk)).status_code == 404


def test_viewers_read_the_register_but_not_the_regions_internal_chain(
    client_for, malang, member, admin, office
):
    with tenant_context(malang):
        agreement = new_agreement(office, private={"internal_notes": "Rahasia dapur TKKSD"})
    viewer = member(malang, Role.VIEWER)
    # Not given its dossier: it does not exist for them (test_scope.py covers the rest).
    assert client_for(malang, viewer).get(url("detail", agreement.pk)).status_code == 404
    with tenant_context(malang):
        scope.give_dossier(
            membership=office, agreement=agreement, member=membership_of(viewer, malang)
        )
    seen_by_viewer = client_for(malang, viewer).get(url("detail", agreement.pk))
    assert seen_by_viewer.status_code == 200
    assert "Kesepakatan Bersama Malang Raya" in seen_by_viewer.content.decode()
    assert "Rahasia dapur TKKSD" not in seen_by_viewer.content.decode()
    assert seen_by_viewer.context["transitions"] == []
    seen_by_admin = client_for(malang, admin).get(url("detail", agreement.pk))
    assert "Rahasia dapur TKKSD" in seen_by_admin.content.decode()
    assert [t.name for t in seen_by_admin.context["transitions"]] == ["send_offer", "reject"]


def test_the_tkksd_reviews_and_the_office_sees_the_tally(client_for, malang, member, admin, office):
    with tenant_context(malang):
        agreement = new_agreement(office)
    tkksd = member(malang, Role.TKKSD)
    reviewer = client_for(malang, tkksd)
    # Not under review yet: refused with the reason, nothing recorded.
    refused = reviewer.post(url("review", agreement.pk), {"recommendation": "approve"})
    assert refused.status_code == 409
    version = Cooperation.objects.get(pk=agreement.cooperation_id).version
    office_client = client_for(malang, admin)
    assert (
        office_client.post(url("review_request", agreement.pk), {"version": version}).status_code
        == 302
    )
    missing_notes = reviewer.post(url("review", agreement.pk), {"recommendation": "revise"})
    assert missing_notes.status_code == 400
    assert (
        reviewer.post(
            url("review", agreement.pk),
            {
                "recommendation": "revise",
                "notes": "Lengkapi rencana aksi",
            },
        ).status_code
        == 302
    )
    detail = office_client.get(url("detail", agreement.pk))
    tally = detail.context["tally"]
    assert (tally.round, tally.approve, tally.revise, tally.reject) == (1, 0, 1, 0)
    assert "Lengkapi rencana aksi" in detail.content.decode()


def test_entering_an_old_signed_agreement(client_for, malang, admin):
    client = client_for(malang, admin)
    data = {
        "kind": Kind.KSDPK,
        "title": "PKS Universitas Brawijaya",
        "urusan": ["1.01"],
        "object": "Magang",
        "term_start": "2021-01-01",
        "term_end": "2025-12-31",
        "funded_in_current_budget": "on",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "region",
        "form-0-region": "35.73",
        "form-0-signatory_name": "Sutiaji",
        "form-0-signatory_position": "Wali Kota",
        "form-0-signatory_authority": "UU 23/2014",
        "form-1-kind": "organisation",
        "form-1-name": "Universitas Brawijaya",
        "form-1-signatory_name": "Widodo",
        "form-1-signatory_position": "Rektor",
        "form-1-signatory_authority": "Statuta UB",
        "instrument": "pks",
        "signed_on": "2021-01-05",
        "signing_place": "Kota Malang",
        "signing_mode": "desk_to_desk",
    }
    refused = client.post(url("create_signed"), data)
    assert refused.status_code == 400
    assert Cooperation.objects.count() == 0
    created = client.post(url("create_signed"), {**data, "document": signed_pdf("pks.pdf")})
    assert created.status_code == 302
    cooperation = Cooperation.objects.get()
    assert (cooperation.stage, cooperation.signed_on) == (
        Stage.PKS_SIGNED,
        datetime.date(2021, 1, 5),
    )
    assert cooperation.signed_documents.get().instrument == "pks"
