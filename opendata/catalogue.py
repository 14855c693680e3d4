"""The catalogue: each dataset's metadata (licence, publisher, frequency, temporal and spatial
coverage, distributions with their SHA-256 and size), assembled from the built files' rows.

A catalogue request runs three queries whatever the number of regions and agreements: the
built files, the hidden regions, the names of the regions that have a dataset. Nothing here
reads the data itself: the files' rows (models.BuiltFile) already carry what a distribution
says about its file. The DCAT-AP graph (dcat.py), the CKAN API (ckan.py) and the pages
(views.py) all describe these same objects.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from core.hosts import platform_url
from tenants.models import Region

from . import dictionary as dictionaries
from .building import servable
from .models import BuiltFile
from .sources import LISTINGS, REGIONS, REGISTRY, hidden_codes, region_code_of

# Stable identifiers (CKAN ids, DCAT identifiers) from names: uuid5 in the platform's space.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://jejaring.go.id/opendata")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
INDONESIA = "http://publications.europa.eu/resource/authority/country/IDN"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class Licence:
    id: str  # CKAN's licence id
    title: str
    url: str


# The agreements and listings are the regions' own publications, open with attribution; the
# region list derives from idn-area-data (ODbL), so it keeps that licence.
CC_BY = Licence(
    "cc-by",
    "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "https://creativecommons.org/licenses/by/4.0/",
)
ODBL = Licence(
    "odc-odbl",
    "Open Data Commons Open Database License (ODbL) 1.0",
    "https://opendatacommons.org/licenses/odbl/1-0/",
)


@dataclass(frozen=True)
class Place:
    """Spatial coverage: a region by its Kemendagri code, or Indonesia."""

    code: str
    label: str
    uri: str


def indonesia() -> Place:
    return Place("", "Indonesia", INDONESIA)


def region_place(code: str, label: str) -> Place:
    # The region's record in the open API: a resolvable address for its code.
    return Place(code, label, platform_url(f"/api/v1/regions/{code}/"))


@dataclass
class Distribution:
    file: BuiltFile
    title_id: str
    title_en: str

    @property
    def url(self) -> str:
        return platform_url(reverse("opendata:download", args=[self.file.name]))

    @property
    def checksum_url(self) -> str:
        return platform_url(reverse("opendata:download", args=[f"{self.file.name}.sha256"]))

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file.fmt]


@dataclass
class Dataset:
    name: str
    title_id: str
    title_en: str
    description_id: str
    description_en: str
    keywords: list[str]
    licence: Licence
    frequency: str  # a code of the EU frequency vocabulary
    spatial: list[Place]
    dictionary: dictionaries.Dictionary
    live_path: str  # the live page or download of the same data
    distributions: list[Distribution] = field(default_factory=list)
    region_code: str = ""

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"dataset:{self.name}"))

    @property
    def url(self) -> str:
        return platform_url(reverse("opendata:dataset", args=[self.name]))

    @property
    def live_url(self) -> str:
        return platform_url(self.live_path)

    @property
    def dictionary_url(self) -> str:
        return platform_url(reverse("opendata:dictionary", args=[self.dictionary.name]))

    @property
    def schema_url(self) -> str:
        return platform_url(reverse("opendata:schema", args=[self.dictionary.name]))

    @property
    def frequency_uri(self) -> str:
        return EU_FREQUENCY + self.frequency

    @property
    def temporal(self) -> tuple[datetime.date | None, datetime.date | None]:
        main = [d.file for d in self.distributions if d.file.year is None] or [
            d.file for d in self.distributions
        ]
        starts = [f.data_start for f in main if f.data_start]
        ends = [f.data_end for f in main if f.data_end]
        return (min(starts) if starts else None, max(ends) if ends else None)

    @property
    def modified(self) -> datetime.datetime | None:
        return max((d.file.modified_at for d in self.distributions), default=None)

    @property
    def created(self) -> datetime.datetime | None:
        return min((d.file.modified_at for d in self.distributions), default=None)

    @property
    def rows(self) -> int:
        return max((d.file.rows for d in self.distributions if d.file.year is None), default=0)

    @property
    def yearly(self) -> list[Distribution]:
        return [d for d in self.distributions if d.file.year is not None]


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    email: str


def publisher() -> Publisher:
    return Publisher(
        name=getattr(settings, "JEJARING_OPENDATA_PUBLISHER", "Jejaring"),
        url=platform_url("/"),
        email=settings.JEJARING_CONTACT_EMAIL,
    )


# Other apps' descriptions of their datasets (sources.PLUGGED): the module named there registers
# its dictionary and its description when imported, and apps.py imports it at start-up, so every
# process (not only the worker that built the files) knows them.
_described: dict[str, Callable[[], Dataset]] = {}


def describe(name: str, description: Callable[[], Dataset]) -> None:
    """Register how another app's dataset `name` is described (its files still come from the
    built rows: `distributions` is filled in here)."""
    _described[name] = description


def _national(name: str) -> Dataset | None:
    """The datasets that are not per region, without their files."""
    if name == REGISTRY:
        return Dataset(
            name=REGISTRY,
            title_id="Perjanjian kerja sama daerah yang ditandatangani",
            title_en="Signed regional cooperation agreements",
            description_id=(
                "Register publik semua perjanjian kerja sama daerah (KSB, PKS, adendum) yang "
                "ditandatangani dan dipublikasikan di Jejaring: para pihak dengan kode "
                "Kemendagri, urusan, masa berlaku, status dan sidik jari SHA-256 dokumen yang "
                "ditandatangani. Juga tersedia per tahun penandatanganan; perubahan berikutnya "
                "dari umpan perubahan."
            ),
            description_en=(
                "The public registry of every regional cooperation agreement (KSB, PKS, "
                "addendum) signed and published on Jejaring: the parties with their Kemendagri "
                "codes, urusan, term, status and the signed documents' SHA-256 fingerprints. "
                "Also as one file per year of signing; later changes from the change feed."
            ),
            keywords=["kerja sama daerah", "KSB", "PKS", "perjanjian", "Kemendagri"],
            licence=CC_BY,
            frequency="UPDATE_CONT",
            spatial=[indonesia()],
            dictionary=dictionaries.REGISTRY,
            live_path=reverse("public_registry:list"),
        )
    if name == LISTINGS:
        return Dataset(
            name=LISTINGS,
            title_id="Pasar Kerja Sama: produk unggulan, potensi, kebutuhan dan tawaran daerah",
            title_en="Pasar Kerja Sama: the regions' flagship products, potential, needs and "
            "offers",
            description_id=(
                "Setiap penawaran yang dipublikasikan daerah di Pasar Kerja Sama dan masih "
                "berlaku: jenis, sektor KBLI 2020, urusan, wilayah dengan kode Kemendagri, "
                "harga, narahubung resmi dan foto."
            ),
            description_en=(
                "Every listing the regions publish in the Pasar Kerja Sama marketplace that is "
                "still valid: kind, KBLI 2020 sector, urusan, area with its Kemendagri code, "
                "prices, the official contact and photos."
            ),
            keywords=["pasar kerja sama", "produk unggulan", "potensi daerah", "investasi"],
            licence=CC_BY,
            frequency="UPDATE_CONT",
            spatial=[indonesia()],
            dictionary=dictionaries.LISTINGS,
            live_path=reverse("marketplace:search"),
        )
    if name == REGIONS:
        return Dataset(
            name=REGIONS,
            title_id="Daerah otonom dengan kode Kemendagri",
            title_en="Regions with their Kemendagri codes",
            description_id=(
                "Provinsi, kabupaten dan kota dengan kode wilayah Kemendagri dan induknya, "
                "serta apakah daerah itu aktif di Jejaring. Sumber kode: idn-area-data (ODbL)."
            ),
            description_en=(
                "Provinces, kabupaten and kota with their Kemendagri region codes and parents, "
                "and whether each is active on Jejaring. Codes from idn-area-data (ODbL)."
            ),
            keywords=["kode wilayah", "Kemendagri", "provinsi", "kabupaten", "kota"],
            licence=ODBL,
            frequency="IRREG",
            spatial=[indonesia()],
            dictionary=dictionaries.REGIONS,
            live_path="/api/wilayah/",
        )
    described = _described.get(name)
    if described is not None:
        return described()
    plugged = dictionaries.all_dictionaries().get(name)
    if plugged is not None:
        # Another app's dataset (sources.PLUGGED): described by its dictionary.
        return Dataset(
            name=name,
            title_id=plugged.title_id,
            title_en=plugged.title_en,
            description_id=plugged.notes_id or plugged.title_id,
            description_en=plugged.notes_en or plugged.title_en,
            keywords=["kerja sama daerah"],
            licence=CC_BY,
            frequency="IRREG",
            spatial=[indonesia()],
            dictionary=plugged,
            live_path=reverse("opendata:index"),
        )
    return None


def _regional(name: str, code: str, label: str) -> Dataset:
    return Dataset(
        name=name,
        title_id=f"Perjanjian kerja sama daerah: {label} ({code})",
        title_en=f"Regional cooperation agreements: {label} ({code})",
        description_id=(
            f"Perjanjian kerja sama yang ditandatangani dengan {label} sebagai salah satu "
            "pihak, dari register publik Jejaring."
        ),
        description_en=(
            f"The signed cooperation agreements {label} is a party to, from Jejaring's public "
            "registry."
        ),
        keywords=["kerja sama daerah", label, code],
        licence=CC_BY,
        frequency="UPDATE_CONT",
        spatial=[region_place(code, label)],
        dictionary=dictionaries.REGISTRY,
        live_path=f"{reverse('public_registry:list')}?region={code}",
        region_code=code,
    )


def _distribution(file: BuiltFile) -> Distribution:
    fmt = file.fmt.upper()
    if file.year is not None:
        return Distribution(
            file, f"Tahun penandatanganan {file.year} ({fmt})", f"Signed in {file.year} ({fmt})"
        )
    return Distribution(file, f"Seluruh data ({fmt})", f"All the data ({fmt})")


def datasets(files=None) -> list[Dataset]:
    """Every dataset with its distributions: the national ones first, then the regions' by
    code. Only datasets with a built file appear (the worker builds them)."""
    files = list(BuiltFile.objects.all()) if files is None else files
    hidden = hidden_codes()
    by_dataset: dict[str, list[BuiltFile]] = {}
    for file in servable(files, hidden):
        by_dataset.setdefault(file.dataset, []).append(file)
    codes = {region_code_of(n): n for n in by_dataset if region_code_of(n)}
    codes = {code: n for code, n in codes.items() if code not in hidden}
    labels = {
        r.code: r.full_name
        for r in Region.objects.filter(code__in=list(codes)).only("code", "name", "kind")
    }
    out: list[Dataset] = []
    regional: list[Dataset] = []
    for name, group in by_dataset.items():
        code = region_code_of(name)
        if code:
            if code not in codes or code not in labels:
                continue
            dataset = _regional(name, code, labels[code])
            regional.append(dataset)
        else:
            dataset = _national(name)
            if dataset is None:
                continue
            out.append(dataset)
        dataset.distributions = [
            _distribution(f) for f in sorted(group, key=lambda f: (f.year or 0, f.name))
        ]
    order = {REGISTRY: 0, LISTINGS: 1, REGIONS: 2}
    out.sort(key=lambda d: (order.get(d.name, 3), d.name))
    regional.sort(key=lambda d: d.region_code)
    return out + regional


def dataset(name: str) -> Dataset | None:
    """One dataset (its files only). A national dataset is known before its first build (its
    page says the files are being built); a region's only with its files."""
    found = datasets(list(BuiltFile.objects.filter(dataset=name)))
    if found:
        return found[0]
    return None if region_code_of(name) else _national(name)


def state_key(files) -> str:
    """What the catalogue's serialisations depend on (their cache key): the files' rows and
    the hidden regions."""
    newest = max((f.checked_at for f in files), default=None)
    return f"{len(files)}|{newest.isoformat() if newest else ''}|{sorted(hidden_codes())}"
