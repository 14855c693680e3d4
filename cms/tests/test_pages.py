"""The portal's page types render (with and without data); a region's profile shows its
agreements, listings and partners from public data only; the map degrades to the list."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.demo import load as load_portal_demo
from cms.models import RegionPage
from cms.pages import ensure_sections
from public_registry import cache as registry_cache
from tenants.models import Region, Role

from .factories import published_agreement, published_listing

pytestmark = pytest.mark.django_db

EMPTY_PAGES = {
    "/": "No signed agreement is published yet.",
    "/berita/": "Nothing has been published here yet.",
    "/panduan/": "No guide has been published yet.",
    "/regulasi/": "The library is empty for now.",
    "/ikhtisar/": "No agreement between regions is published yet.",
    "/kota-malang/": "This region has no published signed agreement yet.",
    "/cari/?q=zzzqqq": "Nothing on the portal matches",
}


@pytest.fixture
def sections(db):
    return ensure_sections()


@pytest.mark.parametrize(("path", "empty_text"), EMPTY_PAGES.items())
def test_every_page_type_renders_empty(client_for, sections, path, empty_text):
    response = client_for(None).get(path)
    assert response.status_code == 200
    assert empty_text in response.content.decode()


def test_the_demo_content_renders(client_for, sections):
    load_portal_demo()
    load_portal_demo()  # idempotent
    client = client_for(None)
    guides = client.get("/panduan/").content.decode()
    assert guides.count('href="/panduan/') == 3
    for path in (
        "/panduan/cara-bergabung/",
        "/berita/tempe-malang-ke-tarakan/",
        "/regulasi/pp-28-2018/",
        "/kota-malang/pasar-kerja-sama-malang/",
    ):
        assert client.get(path).status_code == 200, path
    law = client.get("/regulasi/uu-23-2014/").content.decode()
    assert "Lembaran Negara Tahun 2014 Nomor 244" in law
    assert "In force, amended" in law
    library = client.get("/regulasi/?jenis=permen").content.decode()
    assert "Nomor 22 Tahun 2020" in library
    assert "Nomor 28 Tahun 2018" not in library


def test_search_covers_the_pages_in_indonesian(client_for, sections):
    load_portal_demo()
    client = client_for(None)
    # "bergabung" is found from "gabung" only through the Indonesian configuration's words.
    found = client.get("/cari/?q=daerah bergabung").content.decode()
    assert "Cara daerah bergabung dengan Jejaring" in found
    law = client.get("/cari/?q=pemerintahan").content.decode()
    assert "Undang-Undang Nomor 23 Tahun 2014" in law


def _profile(client) -> str:
    response = client.get("/kota-malang/")
    assert response.status_code == 200
    return response.content.decode()


def test_kota_malang_profile_shows_its_agreements_listings_and_partners(
    client_for, malang, batu, sections
):
    published_agreement("KSB Malang Raya", ["35.73", "35.07", "35.79"], urusan=["1.03", "3.26"])
    published_agreement(
        "PKS Tempe Sanan–Tarakan", ["35.73", "65.71"], urusan=["3.27"], signed_on=date(2026, 2, 1)
    )
    published_agreement(
        "KSDPK Universitas", ["35.73"], kind="ksdpk", partner_names=["Universitas Brawijaya"]
    )
    published_agreement("Batu–Sidoarjo", ["35.79", "35.15"])  # not Malang's
    published_listing(malang, "Tempe Sanan")
    published_listing(batu, "Apel Batu")  # not Malang's
    published_listing(malang, "Draf keripik", status="draft")  # not public
    html = _profile(client_for(None))
    assert "KSB Malang Raya" in html and "PKS Tempe Sanan–Tarakan" in html
    assert "Batu–Sidoarjo" not in html
    assert "Tempe Sanan" in html
    assert "Apel Batu" not in html and "Draf keripik" not in html
    # Partners: the regions as a list (the page's content, with or without JavaScript) ...
    partners = html[html.index('id="partners-title"') :]
    for name in ("Kota Batu", "Kabupaten Malang", "Kota Tarakan"):
        assert name in partners
    assert "Universitas Brawijaya" in partners
    assert '<a href="/kota-batu/">Kota Batu</a>' in partners  # Batu has joined: its profile
    # ... and as the map's data, placed at their seats where GeoNames knows them.
    data = json.loads(
        re.search(
            r'<script id="partner-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert data["home"]["name"] == "Kota Malang"
    on_map = {p["name"] for p in data["partners"]}
    assert {"Kota Batu", "Kota Tarakan"} <= on_map
    batu_point = next(p for p in data["partners"] if p["name"] == "Kota Batu")
    assert -8.0 < batu_point["lat"] < -7.7 and 112.4 < batu_point["lon"] < 112.7
    # Figures: by kind, by year, in force versus ended, active versus dormant: SVG and table.
    assert html.count('<svg class="chart-svg"') == 4
    assert "<caption>Agreements by kind</caption>" in html
    assert re.search(r"<th scope=\"row\">2026</th><td>1</td>", html)


def test_the_map_degrades_to_the_list_without_javascript(client_for, malang, sections):
    published_agreement("KSB Malang–Batu", ["35.73", "35.79"])
    html = _profile(client_for(None))
    # The map's box is hidden until the script draws it; the list is always there.
    assert re.search(r'<div id="partner-map"[^>]*\bhidden\b', html)
    assert 'class="entry-list partner-list"' in html
    # No inline script: the data is a JSON block, the code a file (the CSP forbids inline code).
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts and all('type="application/json"' in attrs for attrs in scripts)


def test_only_the_map_pages_may_load_map_tiles(client_for, malang, sections, settings):
    client = client_for(None)
    for path in ("/kota-malang/", "/ikhtisar/"):
        csp = client.get(path)["Content-Security-Policy"]
        assert "img-src 'self' data: https://tile.openstreetmap.org" in csp, path
    for path in ("/", "/berita/", "/panduan/", "/cari/?q=tempe"):
        assert "openstreetmap" not in client.get(path)["Content-Security-Policy"], path
    settings.JEJARING_MAP_TILE_URL = ""  # no tiles: the map keeps its markers, the CSP its rule
    response = client.get("/kota-malang/")
    assert "openstreetmap" not in response["Content-Security-Policy"]


def test_the_overview_shows_pairs_urusan_and_years(client_for, sections):
    published_agreement("KSB Malang Raya", ["35.73", "35.07", "35.79"], urusan=["1.03", "3.26"])
    published_agreement("Malang–Batu wisata", ["35.73", "35.79"], urusan=["3.26"])
    html = client_for(None).get("/ikhtisar/").content.decode()
    assert re.search(r"<td>Kota Malang</td><td>Kota Batu</td><td>2</td>", html)
    # The pairs on a map too: a line between the seats of each pair.
    data = json.loads(
        re.search(
            r'<script id="partner-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert {
        (line["a"]["name"], line["b"]["name"], line["agreements"]) for line in data["lines"]
    } >= {("Kota Malang", "Kota Batu", 2)}
    assert '<th scope="row">3.26 Pariwisata</th><td>2</td>' in html
    assert '<th scope="row">1.03 Pekerjaan Umum dan Penataan Ruang</th><td>1</td>' in html


def test_the_profile_costs_the_same_queries_with_more_agreements(client_for, malang, sections):
    client = client_for(None)
    published_agreement("Satu", ["35.73", "35.79"])
    client.get("/kota-malang/")
    registry_cache.bump()  # the figures are computed again, not read from the cache
    with CaptureQueriesContext(connection) as few:
        client.get("/kota-malang/")
    for index, partner in enumerate(["35.07", "35.15", "65.71", "35.78", "35.09"]):
        published_agreement(f"Lagi {index}", ["35.73", partner], signed_on=date(2020 + index, 1, 1))
        published_listing(malang, f"Produk {index}")
    with CaptureQueriesContext(connection) as many:
        client.get("/kota-malang/")
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_region_page_needs_its_region(sections):
    assert RegionPage.objects.filter(region=Region.objects.get(code="35.73")).exists()


def test_an_agreement_signed_in_malangs_register_reaches_its_profile(
    client_for, member, malang, sections
):
    """Done when: Kota Malang's profile shows its agreements, listings and partners on the map,
    here with an agreement signed through the register's own lifecycle (which publishes it to
    the public registry), never read from the region's workspace."""
    from django_tenants.utils import tenant_context

    from agreements.tests.factories import (
        membership_of,
        new_agreement,
        parties_with_signatories,
        to_ksb_signed,
    )

    office = member(malang, Role.ADMIN)
    with tenant_context(malang):
        membership = membership_of(office, malang)
        agreement = new_agreement(
            membership,
            title="KSB Pengelolaan Sampah Malang Raya",
            parties=parties_with_signatories(malang, "35.07"),
        )
        to_ksb_signed(membership, agreement)
        new_agreement(membership, title="Draf belum ditandatangani")
    published_listing(malang, "Tempe Sanan")
    html = _profile(client_for(None))
    assert "KSB Pengelolaan Sampah Malang Raya" in html
    assert "Draf belum ditandatangani" not in html
    assert "Tempe Sanan" in html
    data = json.loads(
        re.search(
            r'<script id="partner-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert [p["name"] for p in data["partners"]] == ["Kabupaten Malang"]


def test_the_figures_follow_each_publication(client_for, sections):
    client = client_for(None)
    published_agreement("Malang–Batu", ["35.73", "35.79"])
    assert re.search(
        r"<td>Kota Malang</td><td>Kota Batu</td><td>1</td>",
        client.get("/ikhtisar/").content.decode(),
    )
    published_agreement("Malang–Batu lagi", ["35.73", "35.79"])  # a publication: a new generation
    assert re.search(
        r"<td>Kota Malang</td><td>Kota Batu</td><td>2</td>",
        client.get("/ikhtisar/").content.decode(),
    )
