"""Every region on the map: each province's, kabupaten's and kota's seat, shipped as data
(tenants/data/region-coordinates/), loaded by a migration; what has no sure match is listed,
never guessed."""

import re
from importlib import import_module

import pytest
from django.apps import apps

from search import geo
from search.models import RegionLocation
from tenants.models import Region

# Indonesia's extent, with a margin: Sabang to Merauke, Miangas to Rote.
LATITUDES = (-11.5, 6.5)
LONGITUDES = (94.5, 141.5)
# The farthest a region's seat lies from the nearest seat of its own province (Maluku Barat
# Daya's Tiakur to Kepulauan Tanimbar's Saumlaki: about 390 km), and from the province's seat
# (Kepulauan Aru's Dobo to Ambon: about 710 km).
NEAREST_NEIGHBOUR_KM = 450
PROVINCE_SEAT_KM = 800
README = geo.DATA / "README.md"


def rows() -> dict[str, dict]:
    return {row["code"]: row for row in geo.read_csv()}


def unmatched() -> dict[str, dict]:
    return {row["code"]: row for row in geo.read_csv(geo.UNMATCHED_CSV)}


def implausible(points: dict[str, tuple[float, float]]) -> list[str]:
    """The regions whose seat is outside Indonesia or far from the rest of its province: what a
    wrong match (a same-named place in another province) looks like."""
    wrong = []
    for code, point in points.items():
        province = code.split(".")[0]
        if not (
            LATITUDES[0] < point[0] < LATITUDES[1] and LONGITUDES[0] < point[1] < LONGITUDES[1]
        ):
            wrong.append(f"{code} outside Indonesia")
            continue
        if code == province:
            continue
        others = [p for c, p in points.items() if c != code and c.split(".")[0] == province]
        if others and min(geo.distance_km(point, p) for p in others) > NEAREST_NEIGHBOUR_KM:
            wrong.append(f"{code} far from the rest of its province")
        if province in points and geo.distance_km(point, points[province]) > PROVINCE_SEAT_KM:
            wrong.append(f"{code} far from its province's seat")
    return wrong


def test_every_seat_is_in_indonesia_near_the_rest_of_its_province():
    points = {code: (float(r["latitude"]), float(r["longitude"])) for code, r in rows().items()}
    assert implausible(points) == []
    # The check catches a wrong match: Kabupaten Kotabaru (Kalimantan Selatan) placed at the
    # Kotabaru of Jawa Barat, as the name-only matching of the 240 once did.
    assert implausible({**points, "63.02": (-7.3546, 108.2604)}) == [
        "63.02 far from the rest of its province",
        "63.02 far from its province's seat",
    ]
    assert implausible({**points, "91.03": (-2.5, 145.0)}) == ["91.03 outside Indonesia"]


def test_no_kabupaten_sits_on_a_kota_or_on_another_kabupaten():
    """A kabupaten named like a kota (Kediri, Mojokerto, Sukabumi) gets its own seat."""
    by_point: dict[tuple[str, str], list[str]] = {}
    for code, row in rows().items():
        by_point.setdefault((row["latitude"], row["longitude"]), []).append(code)
    shared = [codes for codes in by_point.values() if len(codes) > 1]
    # Only a province and the kota (or kabupaten) holding its seat share a point.
    assert all(len(c) == 2 and "." not in c[0] and c[1].startswith(f"{c[0]}.") for c in shared)
    assert rows()["35.06"]["place"] == "Ngasem"  # Kabupaten Kediri, not Kota Kediri


def test_the_file_says_where_each_point_comes_from():
    for row in rows().values():
        assert row["source"] in {"geonames", "geografis"}
        assert row["method"]
        assert bool(row["geonames_id"]) == (row["source"] == "geonames")


@pytest.mark.django_db
def test_at_least_540_of_the_546_autonomous_regions_are_on_the_map_and_the_rest_listed():
    autonomous = set(Region.objects.autonomous().values_list("code", flat=True))
    assert len(autonomous) == 546
    located = set(
        RegionLocation.objects.filter(region__in=autonomous).values_list("region_id", flat=True)
    )
    assert len(located) >= 540
    assert located == set(rows())
    assert autonomous - located == set(unmatched())


def test_the_readme_states_the_figure_and_the_unmatched_list():
    text = README.read_text(encoding="utf-8")
    figure = re.search(r"\*\*(\d+) of (\d+)\*\*", text)
    assert figure is not None
    assert (int(figure[1]), int(figure[2])) == (len(rows()), len(rows()) + len(unmatched()))
    section = text.split("## Unmatched", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `([\d.]+)`", section, flags=re.MULTILINE))
    assert listed == set(unmatched())
    if not listed:
        assert "None" in section


@pytest.mark.django_db
def test_the_demo_regions_have_their_seats():
    locations = {
        loc.region_id: loc.place_name
        for loc in RegionLocation.objects.filter(
            region_id__in=["35", "35.73", "35.07", "35.79", "35.15", "65.71", "61", "61.72"]
        )
    }
    assert locations == {
        "35": "Surabaya",
        "35.73": "Malang",
        "35.07": "Kepanjen",
        "35.79": "Batu",
        "35.15": "Sidoarjo",
        "65.71": "Tarakan",
        "61": "Pontianak",
        "61.72": "Singkawang",
    }
    malang = RegionLocation.objects.get(region_id="35.73")
    tarakan = RegionLocation.objects.get(region_id="65.71")
    assert (
        1350
        < geo.distance_km(
            (malang.latitude, malang.longitude), (tarakan.latitude, tarakan.longitude)
        )
        < 1400
    )


@pytest.mark.django_db
def test_the_migration_brings_an_existing_installation_up_to_date():
    """An installation migrated before: 240 rows, one of them wrong (Kabupaten Kotabaru in Jawa
    Barat), one for a region the file does not place. `load` (migration 0009, which
    `bootstrap_platform` applies) makes the table equal to the file, and again changes nothing."""
    load = import_module("search.migrations.0009_region_locations_every_region").load
    expected = {
        code: (float(r["latitude"]), float(r["longitude"]), r["source"])
        for code, r in rows().items()
    }
    RegionLocation.objects.exclude(region_id__in=[*list(expected)[:239], "63.02"]).delete()
    assert RegionLocation.objects.count() == 240
    wrong = RegionLocation.objects.filter(region_id="63.02").update(
        latitude=-7.3546, longitude=108.2604, place_name="Kotabaru", geonames_id=8046218
    )
    assert wrong == 1
    RegionLocation.objects.create(
        region_id="35.73.01", latitude=0, longitude=0, place_name="?", geonames_id=1
    )
    for _ in range(2):
        load(apps, None)
        assert {
            loc.region_id: (loc.latitude, loc.longitude, loc.source)
            for loc in RegionLocation.objects.all()
        } == expected
    kotabaru = RegionLocation.objects.get(region_id="63.02")
    assert (kotabaru.source, kotabaru.geonames_id, kotabaru.place_name) == (
        "geografis",
        None,
        "Pulau Laut Utara",
    )


@pytest.mark.django_db
def test_search_sorts_by_distance_from_a_region_placed_only_now(malang, batu, make_listing):
    """Kabupaten Kediri had no location among the 240 (its name is Kota Kediri's too): a
    distance sort from it said "near_unknown". Its seat, Ngasem, is nearer Batu than Malang."""
    from search.api import build_request, search_listings

    in_malang = make_listing(malang, title="Tempe Sanan")
    in_batu = make_listing(batu, title="Tempe Batu")
    from_batu = search_listings(build_request(text="tempe", sort="distance", near="35.79"))
    assert [h.object_id for h in from_batu.hits] == [in_batu.pk, in_malang.pk]
    assert from_batu.hits[0].distance_km == 0.0
    from_kediri = search_listings(build_request(text="tempe", sort="distance", near="35.06"))
    assert from_kediri.notices == []
    assert [h.object_id for h in from_kediri.hits] == [in_batu.pk, in_malang.pk]
    assert 40 < from_kediri.hits[0].distance_km < from_kediri.hits[1].distance_km < 80
    # A region the file does not place (none today: made so here) is still never guessed.
    RegionLocation.objects.filter(region_id="35.06").delete()
    unknown = search_listings(build_request(text="tempe", sort="distance", near="35.06"))
    assert unknown.notices == ["near_unknown"]
