"""The write API: each endpoint as each role of the owning region, as another region's token,
and without a token; every write through the same action as the web page, with its codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from agreements.models import MonitoringReport
from agreements.tests.factories import (
    membership_of,
    new_agreement,
    parties_with_signatories,
    step,
    to_ksb_signed,
)
from cooperation.models import Proposal
from cooperation.policy import AgreementPerm
from marketplace.models import Listing, ListingStatus
from tenants.models import AuditEvent, Role

from .conftest import BATU, MALANG, api, assert_error, token_of

pytestmark = pytest.mark.django_db


def listing_body(**changes) -> dict:
    body = {
        "kind": "product",
        "title": "Keripik tempe",
        "description": "Keripik tempe renyah dari Blimbing.",
        "sector": "C",
        "urusan": "3.31",
        "area": "35.73.01.1007",
        "quantity": "500",
        "unit": "kg per bulan",
        "contact_name": "Bu Lurah",
        "contact_phone": "0341 1",
        "valid_until": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    body.update(changes)
    return body


# --- Listings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, area, status, code",
    [
        (Role.ADMIN, None, 201, None),
        (Role.OPD, None, 201, None),
        (Role.LURAH, "35.73.01.1007", 201, None),
        (Role.CAMAT, "35.73.01", 201, None),
        (Role.TKKSD, None, 403, "permission_denied"),
        (Role.VIEWER, None, 403, "permission_denied"),
    ],
)
def test_creating_a_listing_as_each_role(role, area, status, code, malang, member):
    raw = token_of(member(malang, role, area=area, opd="Dinas Koperasi"), malang)
    response = api(token=raw).post(
        "/api/v1/listings/", listing_body(), content_type="application/json"
    )
    if code:
        assert_error(response, status, code)
        assert Listing.objects.count() == 0
        return
    assert response.status_code == 201, response.json()
    body = response.json()
    listing = Listing.objects.get(pk=body["id"])
    assert listing.tenant == malang and listing.status == ListingStatus.DRAFT
    assert body["status"] == "draft" and body["area"]["code"] == "35.73.01.1007"
    assert AuditEvent.objects.filter(action="listing.created", object_id=str(listing.pk)).exists()


def test_a_token_writes_for_its_own_region_only(malang, batu, member):
    """Another region's token drafts for its own region; it cannot name Malang's area."""
    raw = token_of(member(batu, Role.ADMIN), batu)
    client = api(token=raw)
    refused = client.post("/api/v1/listings/", listing_body(), content_type="application/json")
    assert assert_error(refused, 400)["fields"]["area"][0]["code"] == "area_wrong_kind"
    response = client.post(
        "/api/v1/listings/", listing_body(area=None), content_type="application/json"
    )
    assert response.status_code == 201
    assert Listing.objects.get().tenant == batu and response.json()["region"]["code"] == "35.79"


def test_a_lurah_publishes_for_their_own_area_only(malang, member):
    raw = token_of(member(malang, Role.LURAH, area="35.73.01.1007"), malang)
    response = api(token=raw).post(
        "/api/v1/listings/", listing_body(area="35.73.01.1001"), content_type="application/json"
    )
    error = assert_error(response, 400, "area_outside_scope")
    assert error["fields"]["area"][0]["code"] == "area_outside_scope"
    assert Listing.objects.count() == 0


def test_the_actions_rules_come_back_field_by_field(malang, member):
    raw = token_of(member(malang, Role.ADMIN), malang)
    response = api(token=raw).post(
        "/api/v1/listings/",
        listing_body(kind="potential", price_min="9", price_max="1", unit=""),
        content_type="application/json",
    )
    error = assert_error(response, 400)
    assert {name: [e["code"] for e in errors] for name, errors in error["fields"].items()} == {
        "potential_type": ["potential_type_required"],
        "unit": ["unit_required"],
        "price_max": ["price_range_reversed"],
    }
    shape = api(token=raw).post(
        "/api/v1/listings/", {"kind": "boat"}, content_type="application/json"
    )
    fields = assert_error(shape, 400)["fields"]
    assert fields["kind"][0]["code"] == "invalid_choice"
    assert fields["title"][0]["code"] == "required"


def test_a_listing_is_changed_only_by_its_regions_publishers(malang, batu, member, make_listing):
    listing = make_listing(malang)  # published, of Kelurahan Purwantoro
    path = f"/api/v1/listings/{listing.pk}/"
    patch = {"title": "Tempe Sanan asli"}
    assert_error(
        api().patch(path, patch, content_type="application/json"), 401, "not_authenticated"
    )
    other = token_of(member(batu, Role.ADMIN), batu)
    assert_error(
        api(token=other).patch(path, patch, content_type="application/json"), 404, "not_found"
    )
    viewer = token_of(member(malang, Role.VIEWER), malang)
    assert_error(api(token=viewer).patch(path, patch, content_type="application/json"), 403)
    neighbour = token_of(member(malang, Role.LURAH, area="35.73.01.1001"), malang)
    assert_error(
        api(token=neighbour).patch(path, patch, content_type="application/json"),
        403,
        "area_outside_scope",
    )
    lurah = token_of(member(malang, Role.LURAH, area="35.73.01.1007"), malang)
    response = api(token=lurah).patch(path, patch, content_type="application/json")
    assert response.status_code == 200
    # A publisher's change to a published listing goes back to moderation, as on the web.
    assert response.json()["status"] == ListingStatus.SUBMITTED
    listing.refresh_from_db()
    assert listing.title == "Tempe Sanan asli" and listing.description.startswith("Tempe")


def test_submitting_a_draft_for_moderation(malang, batu, member, make_listing):
    draft = make_listing(malang, status=ListingStatus.DRAFT)
    path = f"/api/v1/listings/{draft.pk}/submit/"
    other = token_of(member(batu, Role.ADMIN), batu)
    assert_error(api(token=other).post(path), 404, "not_found")
    tkksd = token_of(member(malang, Role.TKKSD), malang)
    assert_error(api(token=tkksd).post(path), 403, "permission_denied")
    opd = token_of(member(malang, Role.OPD, opd="Dinas Koperasi"), malang)
    assert api(token=opd).post(path).json()["status"] == ListingStatus.SUBMITTED
    assert_error(api(token=opd).post(path), 409, "listing_wrong_status")


def test_a_suspended_region_writes_nothing(malang, member, make_listing):
    raw = token_of(member(malang, Role.ADMIN), malang)
    malang.status = "suspended"
    malang.save(update_fields=["status"])
    response = api(token=raw).post(
        "/api/v1/listings/", listing_body(), content_type="application/json"
    )
    assert_error(response, 403, "tenant_suspended")
    assert Listing.objects.count() == 0


# --- Partner suggestions -------------------------------------------------------------------------


def test_partner_suggestions_for_the_tokens_region(malang, batu, member, make_listing):
    make_listing(malang, title="Tempe Sanan")
    make_listing(batu, title="Butuh tempe", kind="need", description="Kebutuhan tempe.")
    assert_error(api().get("/api/v1/partners/"), 401, "not_authenticated")
    for role in (Role.ADMIN, Role.LURAH, Role.VIEWER):
        raw = token_of(
            member(malang, role, area="35.73.01.1007" if role == Role.LURAH else None), malang
        )
        body = api(token=raw).get("/api/v1/partners/").json()
        assert body[0]["region"]["code"] == "35.79", role
        assert any(r["code"] == "their_need" for r in body[0]["reasons"])
    # Batu's token sees Batu's suggestions, never Malang's.
    other = api(token=token_of(member(batu, Role.VIEWER), batu)).get("/api/v1/partners/").json()
    assert other[0]["region"]["code"] == "35.73"


def test_agreement_titles_only_for_who_reads_the_register(monkeypatch, malang, batu, member):
    # A role without the register (whatever tenants.policy says of camat today).
    from tenants import policy

    monkeypatch.setitem(
        policy.ROLE_PERMS,
        Role.CAMAT,
        policy.ROLE_PERMS[Role.CAMAT] - {AgreementPerm.VIEW_AGREEMENTS},
    )
    admin = member(malang, Role.ADMIN)
    with tenant_context(malang):
        new_agreement(
            membership_of(admin, malang),
            parties=parties_with_signatories(malang, partner_code="35.79"),
            title="KSB Batu-Malang",
        )
    rows = {}
    for role in (Role.ADMIN, Role.CAMAT):
        raw = token_of(
            admin if role == Role.ADMIN else member(malang, role, area="35.73.01"), malang
        )
        rows[role] = api(token=raw).get("/api/v1/partners/").json()
    reasons = {
        role: [r for row in body for r in row["reasons"] if r["code"] == "agreements"]
        for role, body in rows.items()
    }
    assert reasons[Role.ADMIN] and reasons[Role.ADMIN][0]["agreements"] == ["KSB Batu-Malang"]
    # The reason and its points stay (the web page shows them too), without the titles.
    assert reasons[Role.CAMAT] and reasons[Role.CAMAT][0]["agreements"] == []


# --- Proposals -----------------------------------------------------------------------------------

PROPOSAL = {
    "region": "35.79",
    "proposer_kind": "region",
    "from_region": "35.73",
    "organisation": "Pemerintah Kota Malang",
    "title": "Paket wisata bersama",
    "description": "Paket wisata Malang-Batu.",
    "urusan": ["3.26"],
}


def test_a_member_proposes_to_another_region(malang, batu, member):
    user = member(malang, Role.OPD, opd="Dinas Pariwisata")
    raw = token_of(user, malang)
    assert_error(api().post("/api/v1/proposals/", PROPOSAL, content_type="application/json"), 401)
    response = api(token=raw).post("/api/v1/proposals/", PROPOSAL, content_type="application/json")
    assert response.status_code == 201, response.json()
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert proposal.tenant == batu and proposal.proposer == user
    assert proposal.from_region_id == "35.73" and proposal.urusan == ["3.26"]
    assert AuditEvent.objects.filter(action="proposal.submitted", tenant=batu).count() == 1


@pytest.mark.parametrize(
    "changes, status, code",
    [
        ({"region": "35.78"}, 404, "unknown_region"),  # Surabaya is not on Jejaring
        ({"region": "3"}, 400, "invalid_region_code"),
        ({"urusan": []}, 400, "urusan_required"),
        ({"organisation": " "}, 400, "blank"),  # the input's shape, before the action
        ({"from_region": None}, 400, "proposal_incomplete"),
    ],
)
def test_proposals_are_refused_as_on_the_web(changes, status, code, malang, batu, member):
    raw = token_of(member(malang, Role.VIEWER), malang)
    body = {**PROPOSAL, **changes}
    assert_error(
        api(token=raw).post("/api/v1/proposals/", body, content_type="application/json"),
        status,
        code,
    )
    assert Proposal.objects.count() == 0


# --- Monitoring reports (the region's subdomain) ------------------------------------------------


@pytest.fixture
def carried_out(malang, member):
    """An agreement of Kota Malang being carried out; its responsible OPD: Dinas Pariwisata."""
    office = membership_of(member(malang, Role.ADMIN), malang)
    with tenant_context(malang):
        agreement = new_agreement(office, private={"responsible_opd": "Dinas Pariwisata"})
        to_ksb_signed(office, agreement)
        step(office, agreement, "start_implementation")
    return agreement


REPORT = {"period": "2026-1", "progress": "Paket wisata berjalan", "recommendation": "continue"}


def reports(tenant) -> int:
    with tenant_context(tenant):
        return MonitoringReport.objects.count()


@pytest.mark.parametrize(
    "role, opd, status",
    [
        (Role.ADMIN, "", 201),
        (Role.OPD, "Dinas Pariwisata", 201),
        (Role.OPD, "Dinas Pertanian", 403),
        (Role.TKKSD, "", 403),
        (Role.VIEWER, "", 403),
        (Role.CAMAT, "", 403),
    ],
)
def test_filing_a_monitoring_report_as_each_role(role, opd, status, malang, member, carried_out):
    area = "35.73.01" if role == Role.CAMAT else None
    raw = token_of(member(malang, role, opd=opd, area=area), malang)
    path = f"/api/v1/agreements/{carried_out.pk}/monitoring-reports/"
    response = api(MALANG, raw).post(path, REPORT, content_type="application/json")
    if status != 201:
        assert_error(response, status, "permission_denied")
        assert reports(malang) == 0
        return
    assert response.status_code == 201, response.json()
    assert response.json()["year"] == 2026 and response.json()["semester"] == 1
    assert reports(malang) == 1
    # The same period twice: refused with the action's code, on its field.
    again = api(MALANG, raw).post(path, REPORT, content_type="application/json")
    error = assert_error(again, 400, "monitoring_already_filed")
    assert error["fields"]["period"][0]["code"] == "monitoring_already_filed"


def test_monitoring_reports_only_on_the_tokens_own_subdomain(malang, batu, member, carried_out):
    path = f"/api/v1/agreements/{carried_out.pk}/monitoring-reports/"
    batu_admin = token_of(member(batu, Role.ADMIN), batu)
    # Another region's token on Malang's subdomain: not a member here, 404.
    assert_error(api(MALANG, batu_admin).post(path, REPORT, content_type="application/json"), 404)
    # Malang's own token on Batu's subdomain: 404 too (and Batu has no such agreement).
    malang_admin = token_of(member(malang, Role.ADMIN), malang)
    assert_error(api(BATU, malang_admin).post(path, REPORT, content_type="application/json"), 404)
    assert_error(api(MALANG).post(path, REPORT, content_type="application/json"), 401)
    assert reports(malang) == 0 and reports(batu) == 0


def test_the_monitoring_rules_come_back_with_their_codes(malang, member, carried_out):
    raw = token_of(member(malang, Role.ADMIN), malang)
    path = f"/api/v1/agreements/{carried_out.pk}/monitoring-reports/"
    client = api(MALANG, raw)
    future = client.post(path, {**REPORT, "period": "2099-1"}, content_type="application/json")
    assert_error(future, 400, "period_in_future")
    stop = client.post(path, {**REPORT, "recommendation": "stop"}, content_type="application/json")
    assert assert_error(stop, 400)["fields"]["problems"][0]["code"] == "reason_required"
    shape = client.post(path, {**REPORT, "period": "2026-3"}, content_type="application/json")
    assert "period" in assert_error(shape, 400)["fields"]
    assert_error(
        client.post(
            "/api/v1/agreements/999999/monitoring-reports/", REPORT, content_type="application/json"
        ),
        404,
    )
    assert reports(malang) == 0


def test_the_regions_own_listings_in_any_status(malang, batu, member, make_listing):
    draft = make_listing(malang, status=ListingStatus.DRAFT, title="Draf keripik")
    published = make_listing(malang, title="Tempe Sanan")
    theirs = make_listing(batu, status=ListingStatus.DRAFT, title="Draf apel")
    assert_error(api().get("/api/v1/listings/own/"), 401, "not_authenticated")
    for role in (Role.ADMIN, Role.VIEWER, Role.LURAH):
        area = "35.73.01.1007" if role == Role.LURAH else None
        raw = token_of(member(malang, role, area=area), malang)
        body = api(token=raw).get("/api/v1/listings/own/").json()
        assert {row["id"] for row in body["results"]} == {draft.pk, published.pk}, role
    drafts = api(token=raw).get("/api/v1/listings/own/", {"status": "draft"}).json()
    assert [row["id"] for row in drafts["results"]] == [draft.pk]
    assert_error(api(token=raw).get("/api/v1/listings/own/", {"status": "lost"}), 400, "invalid")
    other = token_of(member(batu, Role.VIEWER), batu)
    body = api(token=other).get("/api/v1/listings/own/").json()
    assert [row["id"] for row in body["results"]] == [theirs.pk]


def test_reading_an_agreements_monitoring_reports(malang, batu, member, carried_out):
    from tenants.policy import role_allows

    path = f"/api/v1/agreements/{carried_out.pk}/monitoring-reports/"
    office = token_of(member(malang, Role.ADMIN), malang)
    assert (
        api(MALANG, office).post(path, REPORT, content_type="application/json").status_code == 201
    )
    for role in (Role.TKKSD, Role.OPD, Role.VIEWER, Role.CAMAT):
        raw = token_of(
            member(malang, role, area="35.73.01" if role == Role.CAMAT else None), malang
        )
        response = api(MALANG, raw).get(path)
        if role_allows(role, AgreementPerm.VIEW_AGREEMENT_INTERNALS):
            assert response.status_code == 200, role
            assert [r["semester"] for r in response.json()] == [1]
        else:
            assert_error(response, 403, "permission_denied")
    assert_error(api(MALANG, token_of(member(batu, Role.ADMIN), batu)).get(path), 404)
    assert_error(api(BATU, office).get(path), 404)
    assert_error(api(MALANG).get(path), 401)
