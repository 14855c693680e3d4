"""One rule decides whether the public sees a region's content (Tenant.objects.publicly_visible):
a suspended region, and one being deleted, leave every public surface at once, each checked here
against Kota Batu in either state while Kota Malang stays active.

The public registry of signed agreements is the documented exception (tenants/models.py): a
signed agreement's published record is a public record and stays, whatever the owning region's
status."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from cms import public_data
from cms.pages import ensure_sections
from marketplace import matchmaking, peers
from marketplace.models import ListingKind
from public_registry.models import PublishedAgreement
from public_registry.tests.test_views import signed
from search.api import hidden_regions
from tenants import region_lifecycle
from tenants.models import Role, Tenant

pytestmark = pytest.mark.django_db

BATU_LISTING = "Apel Batu Segar"


@pytest.fixture
def world(malang, batu, member, make_listing):
    ensure_sections()
    # Both publish in the same sector and urusan: each is the other's partner suggestion.
    ours = make_listing(malang, title="Tempe Sanan", kind=ListingKind.NEED)
    theirs = make_listing(batu, title=BATU_LISTING, kind=ListingKind.PRODUCT)
    camat = member(batu, Role.CAMAT, area="35.79.01", full_name="Joko Camat")
    coop = signed(batu, "KSB Apel Malang Raya", partner="35.73")
    agreement = PublishedAgreement.objects.get(cooperation=coop)
    return {"ours": ours, "theirs": theirs, "camat": camat, "agreement": agreement}


def hide(batu, staff_user, state: str) -> None:
    if state == "suspended":
        region_lifecycle.suspend_tenant(tenant=batu, acting_user=staff_user, reason="Audit BPK")
    else:
        region_lifecycle.schedule_deletion(
            tenant=batu, acting_user=staff_user, confirmation=batu.schema_name
        )
    connection.set_schema_to_public()


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def public_surfaces(client, world, malang) -> dict[str, tuple[int, str]]:
    """Every public read that may show a region's content: (status, text)."""
    theirs = world["theirs"]
    pages = {
        "listing page": f"/pasar/{theirs.pk}/",
        "search": "/pasar/?q=apel",
        "search, all": "/pasar/",
        "csv download": "/pasar/unduh/csv/",
        "json download": "/pasar/unduh/json/",
        "home page": "/",
        "batu's profile": "/kota-batu/",
        "malang's profile": "/kota-malang/",
        "api listings": "/api/v1/listings/?q=apel",
        "api listing": f"/api/v1/listings/{theirs.pk}/",
    }
    answers = {}
    for name, path in pages.items():
        response = client.get(path)
        answers[name] = (response.status_code, text(response))
    suggested = [s.tenant.region_id for s in matchmaking.suggest_partners(malang)]
    answers["partner finder"] = (200, json.dumps(suggested))
    found = peers.peer_memberships(exclude_tenant_id=malang.pk, filters=peers.PeerFilters())
    answers["peers"] = (200, json.dumps([m.user.full_name for m in found]))
    # The home page's and the overview's figures.
    answers["figures"] = (200, json.dumps(public_data.platform_figures()))
    return answers


def shows_batu(name: str, status: int, body: str, listing) -> bool:
    if name == "partner finder":
        return "35.79" in body
    if name == "figures":
        return json.loads(body)["listings"] == 2
    if name == "peers":
        return "Joko Camat" in body
    if name == "malang's profile":
        return 'href="/kota-batu/"' in body  # the partner's profile linked
    # Its title (search results may highlight words in it) or its link.
    shown = BATU_LISTING in body or f"/pasar/{listing.pk}/" in body
    if name == "home page":
        return shown or 'href="/kota-batu/"' in body
    return status == 200 and shown


@pytest.mark.parametrize("state", ["suspended", "pending_deletion"])
def test_a_hidden_region_leaves_every_public_surface(
    state, world, malang, batu, staff_user, client_for
):
    client = client_for(None)
    before = public_surfaces(client, world, malang)
    for name, (status, body) in before.items():
        assert shows_batu(name, status, body, world["theirs"]), f"{name}: Batu while active"
    assert hidden_regions() == ()

    hide(batu, staff_user, state)
    batu = Tenant.objects.get(pk=batu.pk)
    assert not batu.is_publicly_visible and not batu.accepts_writes
    assert not Tenant.objects.publicly_visible().filter(pk=batu.pk).exists()
    assert hidden_regions() == ("35.79",)  # both search backends exclude these codes
    after = public_surfaces(client, world, malang)
    for name, (status, body) in after.items():
        assert not shows_batu(name, status, body, world["theirs"]), f"{name} shows Batu ({state})"
    assert after["listing page"][0] == 404 and after["batu's profile"][0] == 404
    assert after["api listing"][0] == 404
    # Kota Malang's content is untouched.
    assert "Tempe Sanan" in after["search, all"][1] and "Tempe Sanan" in after["home page"][1]
    assert client.get(f"/pasar/{world['ours'].pk}/").status_code == 200

    # The documented exception: the signed agreement stays in the public registry.
    record = world["agreement"]
    assert client.get(f"/kerja-sama/{record.pk}/").status_code == 200
    assert record.title in text(client.get("/kerja-sama/"))
    assert record.title in text(client.get("/kerja-sama/umpan/daerah/35.79/"))
