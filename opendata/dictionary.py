"""The data dictionary of every open-data download: each column's name, meaning, type and
allowed values, in Indonesian and English (both shown side by side, whatever the visitor's
language: a data user reads the file's columns, not the interface).

Served beside the files as a page and as JSON in the shape of a Frictionless Table Schema
(`fields` with `name`, `type`, `title`, `description`, `constraints.enum`), with the English
texts and the labelled allowed values as extra properties. The columns are the downloads' own
(public_registry.views.EXPORT_FIELDS, marketplace.download_views.EXPORT_FIELDS, and the regions'
here): tests/test_dictionary.py reads the header of every built and live file and fails for a
column without an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import translation

from cooperation import urusan as urusan_codes
from cooperation.models import EndReason, Instrument, Kind
from marketplace import kbli
from marketplace.models import ListingKind, ListingLanguage, PotentialType
from public_registry.models import Status, WithheldField
from signatures.models import Verdict
from tenants.models import AUTONOMOUS_KINDS, REGENCY_KINDS, RegionKind

# Table Schema types (CSV: arrays joined with ";", booleans True/False, empty = no value).
STRING, INTEGER, NUMBER, DATE, DATETIME, BOOLEAN, ARRAY = (
    "string",
    "integer",
    "number",
    "date",
    "datetime",
    "boolean",
    "array",
)


@dataclass(frozen=True)
class Value:
    value: str
    id: str
    en: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title_id: str
    title_en: str
    description_id: str
    description_en: str
    # The values the column may take (each item of an array column), when they are a fixed set.
    values: Callable[[], list[Value]] | None = None
    required: bool = False

    def allowed(self) -> list[Value]:
        return self.values() if self.values else []


@dataclass(frozen=True)
class Dictionary:
    name: str
    title_id: str
    title_en: str
    columns: tuple[Column, ...]
    primary_key: str = ""
    notes_id: str = ""
    notes_en: str = ""
    files: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def choices(enum) -> Callable[[], list[Value]]:
    """Allowed values from a Django TextChoices, labelled in both languages."""

    def values() -> list[Value]:
        out = []
        for member in enum:
            with translation.override("id"):
                label_id = str(member.label)
            with translation.override("en"):
                label_en = str(member.label)
            out.append(Value(member.value, label_id, label_en))
        return out

    return values


def coded(pairs: Iterable[tuple[str, str]]) -> Callable[[], list[Value]]:
    """Allowed values from a code list whose names are the law's Indonesian terms (urusan,
    KBLI): the same name in both languages."""
    items = list(pairs)
    return lambda: [Value(code, name, name) for code, name in items]


def fixed(*items: tuple[str, str, str]) -> Callable[[], list[Value]]:
    return lambda: [Value(*item) for item in items]


def _withheld() -> list[Value]:
    values = choices(WithheldField)()
    return [*values, Value("documents", "Dokumen yang ditandatangani", "The signed documents")]


def _signature_values() -> list[Value]:
    return [*choices(Verdict)(), Value("pending", "Belum diperiksa", "Not checked yet")]


CSV_LIST_ID = "Di CSV: nilai dipisah titik koma (;)."
CSV_LIST_EN = "In CSV: values separated by semicolons (;)."

REGISTRY = Dictionary(
    name="kerja-sama",
    title_id="Register publik perjanjian kerja sama daerah yang ditandatangani",
    title_en="Public registry of signed regional cooperation agreements",
    primary_key="id",
    notes_id=(
        "Satu baris per perjanjian yang dipublikasikan, dalam versi publiknya yang terakhir. "
        "Bagian yang dikecualikan oleh kantor kerja sama (UU 14/2008 Pasal 17) tidak pernah "
        "ada di berkas ini; kolom 'withheld' menyebut bagian mana yang dikecualikan. Status "
        "dihitung dari masa berlaku pada tanggal berkas dibuat."
    ),
    notes_en=(
        "One row per published agreement, in its latest public version. What the cooperation "
        "office withholds (UU 14/2008, Pasal 17) is never in this file; the 'withheld' column "
        "names what is withheld. The status is computed from the term on the day the file was "
        "built."
    ),
    columns=(
        Column(
            "id",
            INTEGER,
            "ID",
            "ID",
            "Nomor catatan publik di Jejaring (tetap).",
            "The public record's number on Jejaring (stable).",
            required=True,
        ),
        Column(
            "url",
            STRING,
            "Tautan",
            "Link",
            "Halaman catatan publik.",
            "The public record's page.",
            required=True,
        ),
        Column(
            "title",
            STRING,
            "Judul",
            "Title",
            "Judul perjanjian.",
            "The agreement's title.",
            required=True,
        ),
        Column(
            "kind",
            STRING,
            "Jenis",
            "Kind",
            "Jenis kerja sama daerah (PP 28/2018).",
            "The kind of regional cooperation (PP 28/2018).",
            choices(Kind),
            required=True,
        ),
        Column(
            "instrument",
            STRING,
            "Instrumen",
            "Instrument",
            "Dokumen yang terakhir ditandatangani: KSB, PKS atau adendum.",
            "What was signed last: the KSB, a PKS or an addendum.",
            choices(Instrument),
            required=True,
        ),
        Column(
            "urusan",
            ARRAY,
            "Urusan",
            "Urusan",
            "Kode urusan pemerintahan (UU 23/2014, nomenklatur nasional). " + CSV_LIST_ID,
            "Codes of the government affairs (urusan, UU 23/2014, national nomenclature). "
            + CSV_LIST_EN,
            coded(urusan_codes.URUSAN),
        ),
        Column(
            "parties",
            STRING,
            "Para pihak",
            "Parties",
            "Nama para pihak, dipisah ' · '.",
            "The parties' names, separated by ' · '.",
        ),
        Column(
            "regions",
            ARRAY,
            "Daerah",
            "Regions",
            "Kode Kemendagri daerah yang menjadi pihak. " + CSV_LIST_ID,
            "Kemendagri codes of the regions that are parties. " + CSV_LIST_EN,
        ),
        Column(
            "partners",
            ARRAY,
            "Mitra",
            "Partners",
            "Nama pihak selain daerah (badan usaha, kementerian, lembaga luar negeri). "
            + CSV_LIST_ID,
            "Names of the parties that are not regions (companies, ministries, bodies "
            "abroad). " + CSV_LIST_EN,
        ),
        Column(
            "signed_on",
            DATE,
            "Tanggal penandatanganan",
            "Date of signing",
            "Tanggal penandatanganan (ISO 8601).",
            "Date of signing (ISO 8601).",
            required=True,
        ),
        Column(
            "term_start",
            DATE,
            "Mulai berlaku",
            "Term start",
            "Awal masa berlaku.",
            "Start of the term.",
        ),
        Column(
            "term_end",
            DATE,
            "Akhir masa berlaku",
            "Term end",
            "Akhir masa berlaku (kosong: tanpa batas).",
            "End of the term (empty: open).",
        ),
        Column(
            "status",
            STRING,
            "Status",
            "Status",
            "Status pada tanggal berkas dibuat.",
            "The status on the day the file was built.",
            choices(Status),
            required=True,
        ),
        Column(
            "end_reason",
            STRING,
            "Alasan berakhir",
            "Reason for ending",
            "Mengapa perjanjian berakhir (kosong: belum berakhir).",
            "Why the agreement ended (empty: not ended).",
            choices(EndReason),
        ),
        Column(
            "ended_on",
            DATE,
            "Tanggal berakhir",
            "Ended on",
            "Tanggal berakhir.",
            "The date it ended.",
        ),
        Column(
            "withheld",
            ARRAY,
            "Dikecualikan",
            "Withheld",
            "Bagian catatan yang dikecualikan dari publik. " + CSV_LIST_ID,
            "The parts of the record withheld from the public. " + CSV_LIST_EN,
            _withheld,
        ),
        Column(
            "version",
            INTEGER,
            "Versi",
            "Version",
            "Nomor versi publik (naik pada setiap perubahan).",
            "The public version's number (grows with every change).",
            required=True,
        ),
        Column(
            "modified_at",
            DATETIME,
            "Diubah",
            "Modified",
            "Saat versi terakhir dipublikasikan (ISO 8601, dengan zona waktu).",
            "When the latest version was published (ISO 8601, with time zone).",
            required=True,
        ),
        Column(
            "documents_sha256",
            ARRAY,
            "SHA-256 dokumen",
            "Documents' SHA-256",
            "Sidik jari SHA-256 (heksadesimal) dokumen yang ditandatangani. " + CSV_LIST_ID,
            "SHA-256 fingerprints (hexadecimal) of the signed documents. " + CSV_LIST_EN,
        ),
        Column(
            "documents_signature",
            ARRAY,
            "Tanda tangan elektronik dokumen",
            "Documents' electronic signatures",
            "Hasil pemeriksaan tanda tangan elektronik setiap dokumen, urut seperti "
            "documents_sha256; 'error:<kode>' bila berkas tidak dapat diperiksa. " + CSV_LIST_ID,
            "The result of checking each document's electronic signatures, in the order of "
            "documents_sha256; 'error:<code>' when the file could not be checked. " + CSV_LIST_EN,
            lambda: _signature_values(),
        ),
    ),
)

LISTINGS = Dictionary(
    name="pasar-kerja-sama",
    title_id="Pasar Kerja Sama: penawaran daerah yang dipublikasikan",
    title_en="Pasar Kerja Sama: the regions' published listings",
    primary_key="id",
    notes_id=(
        "Setiap penawaran yang tampil di pencarian publik: dipublikasikan, masih berlaku, dari "
        "daerah yang aktif. Kontak adalah kontak resmi yang ditampilkan di halaman penawaran."
    ),
    notes_en=(
        "Every listing the public search shows: published, still valid, of an active region. "
        "The contact is the official one the listing's page shows."
    ),
    columns=(
        Column(
            "id", INTEGER, "ID", "ID", "Nomor penawaran.", "The listing's number.", required=True
        ),
        Column(
            "url",
            STRING,
            "Tautan",
            "Link",
            "Halaman penawaran.",
            "The listing's page.",
            required=True,
        ),
        Column(
            "kind",
            STRING,
            "Jenis",
            "Kind",
            "Jenis penawaran.",
            "The kind of listing.",
            choices(ListingKind),
            required=True,
        ),
        Column(
            "potential_type",
            STRING,
            "Jenis potensi",
            "Type of potential",
            "Untuk potensi: jenisnya.",
            "For a potential: its type.",
            choices(PotentialType),
        ),
        Column("title", STRING, "Judul", "Title", "Judul.", "Title.", required=True),
        Column("description", STRING, "Uraian", "Description", "Uraian.", "Description."),
        Column(
            "sector",
            STRING,
            "Sektor (KBLI 2020)",
            "Sector (KBLI 2020)",
            "Kategori KBLI 2020.",
            "The KBLI 2020 section.",
            coded(kbli.SECTIONS),
            required=True,
        ),
        Column(
            "urusan",
            STRING,
            "Urusan",
            "Urusan",
            "Kode urusan pemerintahan.",
            "The government affair's code.",
            coded(urusan_codes.URUSAN),
            required=True,
        ),
        Column(
            "area",
            STRING,
            "Wilayah",
            "Area",
            "Kode Kemendagri kecamatan atau desa/kelurahan (kosong: seluruh daerah).",
            "Kemendagri code of the kecamatan or desa/kelurahan (empty: the whole region).",
        ),
        Column(
            "quantity",
            NUMBER,
            "Jumlah atau kapasitas",
            "Quantity or capacity",
            "Jumlah atau kapasitas.",
            "Quantity or capacity.",
        ),
        Column("unit", STRING, "Satuan", "Unit", "Satuan jumlah.", "The quantity's unit."),
        Column(
            "price_min",
            INTEGER,
            "Harga terendah (Rp)",
            "Lowest price (Rp)",
            "Harga terendah dalam rupiah.",
            "Lowest price in rupiah.",
        ),
        Column(
            "price_max",
            INTEGER,
            "Harga tertinggi (Rp)",
            "Highest price (Rp)",
            "Harga tertinggi dalam rupiah.",
            "Highest price in rupiah.",
        ),
        Column(
            "contact_name",
            STRING,
            "Narahubung",
            "Contact person",
            "Narahubung resmi penawaran.",
            "The listing's official contact person.",
        ),
        Column(
            "contact_phone",
            STRING,
            "Telepon",
            "Phone",
            "Telepon narahubung.",
            "The contact's phone.",
        ),
        Column(
            "contact_email", STRING, "Surel", "E-mail", "Surel narahubung.", "The contact's e-mail."
        ),
        Column(
            "valid_from",
            DATE,
            "Berlaku sejak",
            "Valid from",
            "Awal masa berlaku.",
            "Start of validity.",
        ),
        Column(
            "valid_until",
            DATE,
            "Berlaku sampai",
            "Valid until",
            "Akhir masa berlaku.",
            "End of validity.",
            required=True,
        ),
        Column(
            "language",
            STRING,
            "Bahasa",
            "Language",
            "Bahasa penawaran.",
            "The listing's language.",
            choices(ListingLanguage),
        ),
        Column(
            "area_name",
            STRING,
            "Nama wilayah",
            "Area name",
            "Nama kecamatan atau desa/kelurahan.",
            "The kecamatan's or desa's name.",
        ),
        Column(
            "province",
            STRING,
            "Provinsi",
            "Province",
            "Kode Kemendagri provinsi.",
            "Kemendagri code of the province.",
            required=True,
        ),
        Column(
            "region",
            STRING,
            "Daerah",
            "Region",
            "Kode Kemendagri daerah penerbit.",
            "Kemendagri code of the publishing region.",
            required=True,
        ),
        Column(
            "region_name",
            STRING,
            "Nama daerah",
            "Region name",
            "Nama daerah penerbit.",
            "The publishing region's name.",
            required=True,
        ),
        Column(
            "published_at",
            DATETIME,
            "Dipublikasikan",
            "Published",
            "Saat dipublikasikan (ISO 8601).",
            "When it was published (ISO 8601).",
        ),
        Column(
            "photos",
            ARRAY,
            "Foto",
            "Photos",
            "Tautan foto. " + CSV_LIST_ID,
            "Links to the photos. " + CSV_LIST_EN,
        ),
    ),
)

_REGION_KINDS = (*AUTONOMOUS_KINDS, *[k for k in REGENCY_KINDS if k not in AUTONOMOUS_KINDS])


def _region_kinds() -> list[Value]:
    return [v for v in choices(RegionKind)() if v.value in _REGION_KINDS]


REGIONS = Dictionary(
    name="wilayah",
    title_id="Daerah (provinsi, kabupaten, kota) dengan kode Kemendagri",
    title_en="Regions (provinces, kabupaten, kota) with their Kemendagri codes",
    primary_key="code",
    notes_id=(
        "Provinsi, kabupaten dan kota (termasuk kota dan kabupaten administrasi DKI Jakarta) "
        "dengan kode Kemendagri; 'on_jejaring' menandai daerah yang aktif di Jejaring."
    ),
    notes_en=(
        "Provinces, kabupaten and kota (Jakarta's administrative cities and kabupaten "
        "included) with their Kemendagri codes; 'on_jejaring' marks the regions active on "
        "Jejaring."
    ),
    columns=(
        Column(
            "code",
            STRING,
            "Kode",
            "Code",
            "Kode Kemendagri.",
            "The Kemendagri code.",
            required=True,
        ),
        Column("name", STRING, "Nama", "Name", "Nama daerah.", "The region's name.", required=True),
        Column(
            "full_name",
            STRING,
            "Nama lengkap",
            "Full name",
            "Nama dengan sebutan (Provinsi ...).",
            "The name with its title (Provinsi ...).",
            required=True,
        ),
        Column(
            "kind",
            STRING,
            "Jenis",
            "Kind",
            "Jenis daerah.",
            "The kind of region.",
            _region_kinds,
            required=True,
        ),
        Column(
            "parent",
            STRING,
            "Induk",
            "Parent",
            "Kode provinsi induk (kosong untuk provinsi).",
            "The parent province's code (empty for a province).",
        ),
        Column(
            "on_jejaring",
            BOOLEAN,
            "Di Jejaring",
            "On Jejaring",
            "Daerah aktif di Jejaring (True/False).",
            "The region is active on Jejaring (True/False).",
            required=True,
        ),
        Column(
            "profile_url",
            STRING,
            "Profil",
            "Profile",
            "Halaman profil daerah di portal (kosong jika tidak di Jejaring).",
            "The region's profile page on the portal (empty when not on Jejaring).",
        ),
    ),
)

# Other apps' dictionaries (sources.py plugs them in with their datasets).
_extra: dict[str, Dictionary] = {}


def register(dictionary: Dictionary) -> None:
    _extra[dictionary.name] = dictionary


def all_dictionaries() -> dict[str, Dictionary]:
    return {d.name: d for d in (REGISTRY, LISTINGS, REGIONS, *_extra.values())}


def table_schema(dictionary: Dictionary, *, base_url: str = "") -> dict:
    """The dictionary as a Frictionless Table Schema (Indonesian `title`/`description`, English
    in `title_en`/`description_en`, labelled values in `allowedValues`)."""
    fields = []
    for column in dictionary.columns:
        item: dict = {
            "name": column.name,
            "type": column.type,
            "title": column.title_id,
            "description": column.description_id,
            "title_en": column.title_en,
            "description_en": column.description_en,
        }
        constraints: dict = {}
        if column.required:
            constraints["required"] = True
        allowed = column.allowed()
        if allowed:
            if column.type != ARRAY:
                constraints["enum"] = [v.value for v in allowed]
            item["allowedValues"] = [
                {"value": v.value, "label": v.id, "label_en": v.en} for v in allowed
            ]
        if column.type == ARRAY:
            item["csvFormat"] = {"delimiter": ";"}
        if constraints:
            item["constraints"] = constraints
        fields.append(item)
    schema: dict = {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": dictionary.name,
        "title": dictionary.title_id,
        "title_en": dictionary.title_en,
        "description": dictionary.notes_id,
        "description_en": dictionary.notes_en,
        "fields": fields,
        "missingValues": [""],
    }
    if dictionary.primary_key:
        schema["primaryKey"] = dictionary.primary_key
    return schema
