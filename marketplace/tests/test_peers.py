"""The camat and lurah network (marketplace/peers.py, /pasar/rekan/): peers of other regions by
area and by what their area publishes; nothing unpublished, no e-mail address."""

from __future__ import annotations

import pytest

from marketplace.models import ListingKind, ListingStatus
from marketplace.peers import PeerFilters, find_peers
from tenants.models import Region, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(malang, batu, member, make_listing):
    """Kota Malang's lurah of Purwantoro (tempe, published) and camat of Blimbing; Kota Batu's
    lurah of a kelurahan whose only listing is a draft, and Batu's camat with nothing."""
    lurah = member(malang, Role.LURAH, area="35.73.01.1007", full_name="Siti Lurah")
    camat = member(malang, Role.CAMAT, area="35.73.01", full_name="Budi Camat")
    make_listing(malang, publisher=lurah, title="Tempe Sanan")
    batu_lurah = member(batu, Role.LURAH, area="35.79.01.1001", full_name="Ani Lurah")
    make_listing(
        batu,
        status=ListingStatus.DRAFT,
        publisher=batu_lurah,
        title="Keripik apel rahasia",
        area=Region.objects.get(code="35.79.01.1001"),
    )
    batu_camat = member(batu, Role.CAMAT, area="35.79.01", full_name="Joko Camat")
    return {"lurah": lurah, "camat": camat, "batu_lurah": batu_lurah, "batu_camat": batu_camat}


def names(peers) -> list[str]:
    return [p.name for p in peers]


def test_a_region_sees_the_camat_and_lurah_of_other_regions_only(world, malang, batu):
    _, from_batu = find_peers(exclude_tenant_id=batu.pk, filters=PeerFilters())
    # Those whose area publishes something come first, then by area name (Blimbing, Purwantoro).
    assert names(from_batu) == ["Budi Camat", "Siti Lurah"]
    assert [p.listings[0].title for p in from_batu] == ["Tempe Sanan", "Tempe Sanan"]
    _, from_malang = find_peers(exclude_tenant_id=malang.pk, filters=PeerFilters())
    assert sorted(names(from_malang)) == ["Ani Lurah", "Joko Camat"]
    assert all(p.listings == [] for p in from_malang)  # the draft is never shown


def test_filters_by_area_and_by_what_the_area_publishes(world, batu, malang):
    def found(**filters):
        return names(find_peers(exclude_tenant_id=None, filters=PeerFilters(**filters))[1])

    assert found(area_kind="kecamatan") == ["Budi Camat", "Joko Camat"]
    assert found(name="purwan") == ["Siti Lurah"]
    assert found(province="35", kind=ListingKind.PRODUCT) == ["Budi Camat", "Siti Lurah"]
    assert found(province="65") == []
    assert found(sector="C") == ["Budi Camat", "Siti Lurah"]
    assert found(sector="A") == []
    # A draft makes no one "publish" anything.
    assert "Ani Lurah" not in found(kind=ListingKind.PRODUCT)


def test_the_page_shows_name_role_and_area_and_links_to_an_inquiry(world, batu, member, client_for):
    viewer = member(batu, Role.LURAH, area="35.79.01.1001")
    response = client_for(batu, viewer).get("/pasar/rekan/?kind=product")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Siti Lurah" in page and "Kelurahan Purwantoro" in page and "Kota Malang" in page
    for user in world.values():
        assert user.email not in page
    assert "Keripik apel" not in page
    assert "/pasar/" in page and "/minat/" in page  # the inquiry form of the tempe listing


def test_every_member_may_use_it_and_outsiders_may_not(
    world, malang, member, client_for, user_factory
):
    for role in (Role.ADMIN, Role.VIEWER, Role.OPD):
        user = member(malang, role, opd="Dinas" if role == Role.OPD else "")
        assert client_for(malang, user).get("/pasar/rekan/").status_code == 200
    assert client_for(malang, user_factory()).get("/pasar/rekan/").status_code == 404
    assert client_for(malang).get("/pasar/rekan/").status_code == 302


def test_queries_do_not_grow_with_the_peers(
    world, batu, member, make_listing, malang, client_for, django_assert_max_num_queries
):
    viewer = member(batu, Role.ADMIN)
    client = client_for(batu, viewer)
    client.get("/pasar/rekan/")
    with django_assert_max_num_queries(40) as first:
        client.get("/pasar/rekan/")
    for code in ("35.73.01.1001", "35.73.01.1002", "35.73.01.1003"):
        lurah = member(malang, Role.LURAH, area=code)
        make_listing(
            malang, publisher=lurah, title=f"Produk {code}", area=Region.objects.get(code=code)
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/pasar/rekan/")
