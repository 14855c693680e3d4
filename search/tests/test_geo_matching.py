"""The seat matching (search/geo.py) on small made-up inputs shaped like the packages' data: a
place counts only inside its region, a namesake elsewhere is refused, the seat's kecamatan or
village stands in when GeoNames has no place, and what is not found is listed."""

from search import geo

PROVINCES = {"35": "Jawa Timur", "63": "Kalimantan Selatan", "32": "Jawa Barat"}
REGIONS = [
    ("35", "Jawa Timur", "provinsi"),
    ("35.06", "Kabupaten Kediri", "kabupaten"),
    ("35.71", "Kota Kediri", "kota"),
    ("35.19", "Kabupaten Madiun", "kabupaten"),
    ("35.20", "Kabupaten Magetan", "kabupaten"),
    ("63", "Kalimantan Selatan", "provinsi"),
    ("63.02", "Kabupaten Kotabaru", "kabupaten"),
    ("32", "Jawa Barat", "provinsi"),
    ("32.05", "Kabupaten Garut", "kabupaten"),
]
PACKAGE_NAMES = {
    "35.06": "Kabupaten Kediri",
    "35.71": "Kota Kediri",
    "35.19": "Kabupaten Madiun",
    "35.20": "Kabupaten Magetan",
    "63.02": "Kabupaten Kotabaru",
    "32.05": "Kabupaten Garut",
}
SEATS = {
    ("jawatimur", "kabupaten", "kediri"): "Kediri",  # out of date: the kota's name
    ("jawatimur", "kabupaten", "madiun"): "Mejayan",
    ("jawatimur", "kabupaten", "magetan"): "Nowhere",
    ("kalimantanselatan", "kabupaten", "kotabaru"): "Kotabaru",
    ("jawabarat", "kabupaten", "garut"): "Garut",
}


def village(code, district, name, lat, lon):
    return geo.Village(code, district, name, (lat, lon))


VILLAGES = [
    # Kota Kediri
    village("35.71.01.1001", "Kota", "Kemasan", -7.816, 112.016),
    village("35.71.01.1002", "Kota", "Banjaran", -7.820, 112.020),
    # Kabupaten Kediri, around the kota and at Ngasem
    village("35.06.01.2001", "Gampengrejo", "Turus", -7.760, 112.010),
    village("35.06.02.2001", "Ngasem", "Sumberejo", -7.797, 112.045),
    village("35.06.02.2002", "Ngasem", "Toyoresmi", -7.800, 112.060),
    # Kabupaten Madiun: GeoNames has no Mejayan here, geografis has the kecamatan
    village("35.19.11.2001", "Mejayan", "Krajan", -7.560, 111.660),
    village("35.19.11.2002", "Mejayan", "Kaligunting", -7.570, 111.680),
    # Kabupaten Magetan: neither has its seat
    village("35.20.01.2001", "Magetan", "Tambran", -7.650, 111.330),
    # Kotabaru, Kalimantan Selatan; Garut, Jawa Barat (where GeoNames has another Kotabaru)
    village("63.02.06.1001", "Pulau Laut Utara", "Kotabaru", -3.240, 116.220),
    village("32.05.01.2001", "Garut Kota", "Kota Kulon", -7.210, 107.900),
    village("32.05.02.2001", "Cibatu", "Kotabaru", -7.355, 108.260),
]
PLACES = [
    {"geonameid": 1, "name": "Kediri", "alternatenames": [], "latitude": -7.817,
     "longitude": 112.017, "population": 268_000},
    {"geonameid": 2, "name": "Ngasem", "alternatenames": [], "latitude": -7.796,
     "longitude": 112.046, "population": 0},
    {"geonameid": 3, "name": "Kotabaru", "alternatenames": [], "latitude": -7.3546,
     "longitude": 108.2604, "population": 900},
    {"geonameid": 4, "name": "Surabaya", "alternatenames": [], "latitude": -7.25,
     "longitude": 112.75, "population": 2_300_000},
    {"geonameid": 5, "name": "Garut", "alternatenames": ["Garoet"], "latitude": -7.212,
     "longitude": 107.903, "population": 120_000},
]  # fmt: skip
VILLAGES.append(village("35.78.01.1001", "Genteng", "Genteng", -7.26, 112.75))
PACKAGE_NAMES["35.78"] = "Kota Surabaya"


def match(seats=SEATS, places=PLACES):
    regions = [*REGIONS, ("35.78", "Kota Surabaya", "kota")]
    matched, unmatched = geo.match_regions(
        regions,
        places=places,
        villages=VILLAGES,
        package_names=PACKAGE_NAMES,
        seats=seats,
        province_names=PROVINCES,
    )
    return {m.code: m for m in matched}, {u[0]: u[2] for u in unmatched}


def test_a_place_counts_only_inside_its_region(monkeypatch):
    monkeypatch.setattr(geo, "SEATS", {})
    matched, unmatched = match()
    assert (matched["35.71"].place, matched["35.71"].source) == ("Kediri", "geonames")
    # Kabupaten Kediri's out-of-date seat is Kota Kediri's place: refused, never shared.
    assert unmatched["35.06"] == "no place, kecamatan or village named Kediri in the region"
    # Kotabaru of Jawa Barat is not Kalimantan Selatan's: the village named like it stands in.
    assert (matched["63.02"].source, matched["63.02"].latitude) == ("geografis", -3.24)
    assert matched["32.05"].geonames_id == 5
    assert matched["35"].place == "Surabaya"


def test_a_corrected_seat_the_seats_kecamatan_and_the_unmatched():
    matched, unmatched = match()
    # geo.SEATS names Kabupaten Kediri's seat, Ngasem: found inside it.
    assert (matched["35.06"].place, matched["35.06"].geonames_id) == ("Ngasem", 2)
    # Mejayan: the centre of kecamatan Mejayan's villages.
    assert matched["35.19"].source == "geografis"
    assert (matched["35.19"].latitude, matched["35.19"].longitude) == (-7.565, 111.67)
    assert "kecamatan Mejayan (35.19.11)" in matched["35.19"].method
    assert unmatched["35.20"] == "no place, kecamatan or village named Nowhere in the region"
    # (The made-up data has no Bandung or Banjarbaru: those provinces are listed too.)
    assert set(unmatched) == {"35.20", "32", "63"}


def test_spelling_variants_are_matched_inside_the_region_only():
    seats = {**SEATS, ("jawabarat", "kabupaten", "garut"): "Garoet"}
    matched, _ = match(seats=seats)
    assert matched["32.05"].geonames_id == 5  # an alternate name
    seats = {**SEATS, ("jawabarat", "kabupaten", "garut"): "Garutt"}
    matched, _ = match(seats=seats)
    assert matched["32.05"].geonames_id == 5
    assert "a spelling variant" in matched["32.05"].method
