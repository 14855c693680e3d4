"""The national reporting figures as an open dataset of the catalogue (issue 17 §2, opendata/):
`laporan-kerja-sama`, one CSV and one JSON holding every semester the public page
/laporan-kerja-sama/ shows, with its data dictionary, description, fingerprint and coverage.

The rows are the public page's own open data, flattened: `reporting.national.open_data`, the
function behind /laporan-kerja-sama/<year>/<half>/unduh/json/, is called for each semester of
`national.semesters_with_reports()` (the page's index) and every figure of its answer becomes one
row, so the file and the page cannot drift (reporting/tests/test_opendata_figures.py rebuilds
the page's JSON from the file and compares). Figures only: what `open_data` leaves out (letter
numbers, signatories and their NIPs, reasons for returning or correcting, agreements' rows,
files, a returned report's figures) is never read here.

The table is long ("tidy"): one row per figure, with the semester, the level (the nation, a
province, a kabupaten/kota), who it is (Kemendagri codes and names, the province's state, the
kabupaten/kota's state) and which breakdown it is (the total, per kind, per status, per kind and
status, per urusan), then the number of agreements. A province whose compilation does not count
(none sent, or returned for correction) has one row, its total, with the number empty: not
reported is not zero. A kabupaten/kota has its total only (what the public page publishes).

opendata.sources.PLUGGED names `parts` below; importing this module registers the dictionary and
the catalogue's description (opendata/apps.py imports it in every process at start-up).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import translation

from agreements.reports.semester import STATUSES
from cooperation import urusan as urusan_codes
from cooperation.models import Kind
from opendata import catalogue
from opendata import dictionary as dictionaries
from opendata.dictionary import BOOLEAN, DATE, INTEGER, STRING, Column, Dictionary, Value
from opendata.sources import Part
from tenants.models import Region, RegionKind, Tenant

from . import national
from .models import Level, State, Submission

DATASET = "laporan-kerja-sama"

# The levels and breakdowns (the values of `level` and `breakdown`).
NATIONAL, PROVINCE, REGION = "national", "province", "region"
TOTAL, KIND, STATUS, KIND_STATUS, URUSAN = "total", "kind", "status", "kind_status", "urusan"
COUNTED = (national.ProvinceState.SUBMITTED, national.ProvinceState.ACCEPTED)


def _labelled(pairs) -> Callable[[], list[Value]]:
    """Allowed values from (code, lazy label) pairs, labelled in both languages."""

    def values() -> list[Value]:
        out = []
        for code, label in pairs:
            with translation.override("id"):
                label_id = str(label)
            with translation.override("en"):
                label_en = str(label)
            out.append(Value(str(code), label_id, label_en))
        return out

    return values


def _fixed(*items: tuple[str, str, str]) -> Callable[[], list[Value]]:
    return lambda: [Value(*item) for item in items]


EMPTY_ID = " Kosong pada baris nasional."
EMPTY_EN = " Empty on the national rows."

DICTIONARY = Dictionary(
    name=DATASET,
    title_id="Laporan kerja sama daerah per semester: angka nasional, provinsi dan kabupaten/kota",
    title_en="Regional cooperation reports per semester: national, provincial and "
    "kabupaten/kota figures",
    notes_id=(
        "Angka laporan semester kerja sama daerah yang disampaikan provinsi kepada Kementerian "
        "Dalam Negeri, sama dengan data terbuka halaman /laporan-kerja-sama/: satu baris per "
        "angka. 'level' menyebut tingkatnya (nasional, provinsi, kabupaten/kota) dan "
        "'breakdown' rinciannya (jumlah, per jenis, per status, per jenis dan status, per "
        "urusan); 'agreements' adalah jumlah perjanjian. Angka nasional adalah jumlah provinsi "
        "yang laporannya dihitung (disampaikan atau diterima). Provinsi yang belum melapor atau "
        "laporannya dikembalikan untuk diperbaiki hanya punya baris jumlah dengan 'agreements' "
        "kosong (belum dilaporkan, bukan nol). Kabupaten/kota hanya punya jumlahnya. Hanya "
        "angka: nomor surat, penanda tangan, NIP, alasan pengembalian dan daftar perjanjian "
        "tidak pernah ada di berkas ini. Sebuah perjanjian dengan dua urusan dihitung pada "
        "keduanya."
    ),
    notes_en=(
        "The figures of the semester reports on regional cooperation that the provinces send "
        "to the Ministry of Home Affairs, the same as the open data of the page "
        "/laporan-kerja-sama/: one row per figure. 'level' says which level (the nation, a "
        "province, a kabupaten/kota) and 'breakdown' which breakdown (the total, per kind, per "
        "status, per kind and status, per urusan); 'agreements' is the number of agreements. "
        "The national figures are the sums of the provinces whose report counts (submitted or "
        "accepted). A province that has not reported, or whose report was returned for "
        "correction, has its total row only, with 'agreements' empty (not reported, not zero). "
        "A kabupaten/kota has its total only. Figures only: letter numbers, signatories, NIPs, "
        "reasons for returning and the lists of agreements are never in this file. An "
        "agreement with two urusan counts under both."
    ),
    columns=(
        Column(
            "year",
            INTEGER,
            "Tahun",
            "Year",
            "Tahun semester.",
            "The semester's year.",
            required=True,
        ),
        Column(
            "half",
            INTEGER,
            "Semester",
            "Semester",
            "Semester: 1 (Januari-Juni) atau 2 (Juli-Desember).",
            "The semester: 1 (January-June) or 2 (July-December).",
            _fixed(("1", "Januari-Juni", "January-June"), ("2", "Juli-Desember", "July-December")),
            required=True,
        ),
        Column(
            "semester_start",
            DATE,
            "Awal semester",
            "Semester start",
            "Hari pertama semester (ISO 8601).",
            "The semester's first day (ISO 8601).",
            required=True,
        ),
        Column(
            "semester_end",
            DATE,
            "Akhir semester",
            "Semester end",
            "Hari terakhir semester (ISO 8601).",
            "The semester's last day (ISO 8601).",
            required=True,
        ),
        Column(
            "level",
            STRING,
            "Tingkat",
            "Level",
            "Angka siapa: nasional, satu provinsi, atau satu kabupaten/kota.",
            "Whose figure: the nation's, a province's, or a kabupaten/kota's.",
            _fixed(
                (NATIONAL, "Nasional", "National"),
                (PROVINCE, "Provinsi", "Province"),
                (REGION, "Kabupaten/kota", "Kabupaten/kota"),
            ),
            required=True,
        ),
        Column(
            "province_code",
            STRING,
            "Kode provinsi",
            "Province code",
            "Kode Kemendagri provinsi." + EMPTY_ID,
            "The province's Kemendagri code." + EMPTY_EN,
        ),
        Column(
            "province",
            STRING,
            "Provinsi",
            "Province",
            "Nama provinsi." + EMPTY_ID,
            "The province's name." + EMPTY_EN,
        ),
        Column(
            "province_state",
            STRING,
            "Keadaan laporan provinsi",
            "Province's report state",
            "Keadaan laporan provinsi untuk semester itu; hanya 'submitted' dan 'accepted' "
            "dihitung." + EMPTY_ID,
            "The state of the province's report for the semester; only 'submitted' and "
            "'accepted' count." + EMPTY_EN,
            _labelled(national.PROVINCE_STATE_LABELS.items()),
        ),
        Column(
            "submitted_on",
            DATE,
            "Tanggal disampaikan",
            "Submitted on",
            "Tanggal provinsi menyampaikan laporannya (ISO 8601); hanya pada baris provinsi, "
            "kosong bila belum melapor.",
            "The date the province sent its report (ISO 8601); on the province's rows only, "
            "empty when it has not reported.",
        ),
        Column(
            "late",
            BOOLEAN,
            "Terlambat",
            "Late",
            "Laporan provinsi disampaikan setelah batas waktu (True/False); hanya pada baris "
            "provinsi, kosong bila belum melapor.",
            "The province's report was sent after the deadline (True/False); on the province's "
            "rows only, empty when it has not reported.",
        ),
        Column(
            "regions",
            INTEGER,
            "Jumlah kabupaten/kota",
            "Kabupaten/kota",
            "Jumlah kabupaten/kota provinsi itu; hanya pada baris provinsi.",
            "The number of the province's kabupaten/kota; on the province's rows only.",
        ),
        Column(
            "regions_reported",
            INTEGER,
            "Kabupaten/kota yang melapor",
            "Kabupaten/kota reported",
            "Jumlah kabupaten/kota yang termasuk dalam laporan provinsi (lewat platform atau "
            "dari surat); hanya pada baris provinsi.",
            "The number of kabupaten/kota included in the province's report (on the platform "
            "or from paper); on the province's rows only.",
        ),
        Column(
            "region_code",
            STRING,
            "Kode kabupaten/kota",
            "Kabupaten/kota code",
            "Kode Kemendagri kabupaten/kota; hanya pada baris kabupaten/kota.",
            "The kabupaten/kota's Kemendagri code; on the kabupaten/kota rows only.",
        ),
        Column(
            "region",
            STRING,
            "Kabupaten/kota",
            "Kabupaten/kota",
            "Nama kabupaten/kota; hanya pada baris kabupaten/kota.",
            "The kabupaten/kota's name; on the kabupaten/kota rows only.",
        ),
        Column(
            "region_state",
            STRING,
            "Keadaan kabupaten/kota",
            "Kabupaten/kota's state",
            "Apakah kabupaten/kota termasuk dalam laporan provinsinya, dan bagaimana; hanya "
            "pada baris kabupaten/kota.",
            "Whether the kabupaten/kota is in its province's report, and how; on the "
            "kabupaten/kota rows only.",
            _labelled(national.REGION_STATE_LABELS.items()),
        ),
        Column(
            "on_platform",
            BOOLEAN,
            "Di Jejaring",
            "On Jejaring",
            "Kabupaten/kota aktif di Jejaring (True/False); hanya pada baris kabupaten/kota.",
            "The kabupaten/kota works on Jejaring (True/False); on the kabupaten/kota rows only.",
        ),
        Column(
            "breakdown",
            STRING,
            "Rincian",
            "Breakdown",
            "Rincian angka ini; kolom kind, status dan urusan menyebut kategorinya.",
            "This figure's breakdown; the kind, status and urusan columns name its category.",
            _fixed(
                (TOTAL, "Jumlah", "Total"),
                (KIND, "Per jenis kerja sama", "Per kind of cooperation"),
                (STATUS, "Per status", "Per status"),
                (KIND_STATUS, "Per jenis dan status", "Per kind and status"),
                (URUSAN, "Per urusan", "Per urusan"),
            ),
            required=True,
        ),
        Column(
            "kind",
            STRING,
            "Jenis",
            "Kind",
            "Jenis kerja sama daerah (PP 28/2018); pada rincian 'kind' dan 'kind_status'.",
            "The kind of regional cooperation (PP 28/2018); in the 'kind' and 'kind_status' "
            "breakdowns.",
            dictionaries.choices(Kind),
        ),
        Column(
            "status",
            STRING,
            "Status",
            "Status",
            "Status perjanjian pada akhir semester; pada rincian 'status' dan 'kind_status'.",
            "The agreements' status at the semester's end; in the 'status' and 'kind_status' "
            "breakdowns.",
            _labelled(STATUSES),
        ),
        Column(
            "urusan",
            STRING,
            "Urusan",
            "Urusan",
            "Kode urusan pemerintahan (UU 23/2014); pada rincian 'urusan'.",
            "The government affair's code (urusan, UU 23/2014); in the 'urusan' breakdown.",
            dictionaries.coded(urusan_codes.URUSAN),
        ),
        Column(
            "agreements",
            INTEGER,
            "Jumlah perjanjian",
            "Agreements",
            "Jumlah perjanjian. Kosong: belum dilaporkan (provinsi yang laporannya tidak "
            "dihitung, kabupaten/kota yang tidak termasuk).",
            "The number of agreements. Empty: not reported (a province whose report does not "
            "count, a kabupaten/kota not included).",
        ),
    ),
)

FIELDS: tuple[str, ...] = tuple(DICTIONARY.column_names)


# --- The rows: the public page's open data, one row per figure ---------------------------------


def _figure_rows(line: dict, figures: dict) -> Iterator[dict]:
    """One row per figure of `figures` (national.open_data's counts)."""
    yield line | {"breakdown": TOTAL, "agreements": figures["total"]}
    for kind, n in figures["by_kind"].items():
        yield line | {"breakdown": KIND, "kind": kind, "agreements": n}
    for status, n in figures["by_status"].items():
        yield line | {"breakdown": STATUS, "status": status, "agreements": n}
    for kind, statuses in figures["by_kind_status"].items():
        for status, n in statuses.items():
            yield line | {"breakdown": KIND_STATUS, "kind": kind, "status": status, "agreements": n}
    for code, n in figures["by_urusan"].items():
        yield line | {"breakdown": URUSAN, "urusan": code, "agreements": n}


def semester_rows(data: dict) -> Iterator[dict]:
    """The rows of one semester, from `national.open_data(compilation)`."""
    semester = data["semester"]
    blank = dict.fromkeys(FIELDS)
    base = blank | {
        "year": semester["year"],
        "half": semester["half"],
        "semester_start": semester["start"],
        "semester_end": semester["end"],
    }
    yield from _figure_rows(base | {"level": NATIONAL}, data["national"])
    regions: dict[str, list[dict]] = {}
    for region in data["regions"]:
        regions.setdefault(region["province"], []).append(region)
    for province in data["provinces"]:
        who = {
            "province_code": province["code"],
            "province": province["name"],
            "province_state": province["state"],
        }
        line = (
            base
            | who
            | {
                "level": PROVINCE,
                "submitted_on": province["submitted_on"],
                "late": province["late"],
                "regions": province["regions"],
                "regions_reported": province["regions_reported"],
            }
        )
        if province["state"] in COUNTED:
            yield from _figure_rows(line, province["figures"])
        else:
            yield line | {"breakdown": TOTAL, "agreements": None}
        for region in regions.get(province["code"], ()):
            yield (
                base
                | who
                | {
                    "level": REGION,
                    "region_code": region["code"],
                    "region": region["name"],
                    "region_state": region["state"],
                    "on_platform": region["on_platform"],
                    "breakdown": TOTAL,
                    "agreements": region["total"],
                }
            )


def rows() -> Iterator[dict]:
    """Every semester the public page lists, oldest first."""
    for semester in reversed(national.semesters_with_reports()):
        yield from semester_rows(national.open_data(national.compile_national(semester)))


# --- What the worker asks: the part and its fingerprint ----------------------------------------


def fingerprint() -> tuple[int, str]:
    """(how many province reports count now, the fingerprint of everything the rows depend on):
    three aggregate queries, whatever the number of submissions. The provinces' compilations
    (frozen: a change is a new row, or a review that stamps returned_at/accepted_at), the
    regions (names and codes) and which of them work on the platform (the `on_platform` column).
    """
    reports = Submission.objects.filter(level=Level.PROVINCE).aggregate(
        n=Count("id"),
        last=Max("id"),
        counted=Count("id", filter=Q(state__in=national.COUNTED_STATES)),
        returned=Count("id", filter=Q(state=State.RETURNED)),
        accepted=Count("id", filter=Q(state=State.ACCEPTED)),
        returned_at=Max("returned_at"),
        accepted_at=Max("accepted_at"),
    )
    regions = Region.objects.filter(
        kind__in=(RegionKind.PROVINSI, *national.REPORTING_REGENCY_KINDS)
    ).aggregate(n=Count("code"), last=Max("code"))
    live = sorted(Tenant.objects.live().values_list("region_id", flat=True))
    digest = hashlib.sha256(
        "|".join(str(v) for v in (*reports.values(), *regions.values(), *live)).encode()
    ).hexdigest()
    return reports["counted"], digest


def parts() -> list[Part]:
    """The dataset's one part; none before any province has a report that counts (the
    catalogue lists datasets with files only)."""
    counted, digest = fingerprint()
    if not counted:
        return []
    return [
        Part(
            DATASET,
            DATASET,
            DICTIONARY,
            rows,
            FIELDS,
            digest,
            date_column="semester_start",
            date_end_column="semester_end",
        )
    ]


# --- The catalogue's description ---------------------------------------------------------------


def describe() -> catalogue.Dataset:
    """The dataset's metadata (licence like the registry's; spatial coverage the nation and its
    provinces by Kemendagri code: one query)."""
    provinces = [
        catalogue.region_place(code, name)
        for code, name in Region.objects.provinces().order_by("code").values_list("code", "name")
    ]
    return catalogue.Dataset(
        name=DATASET,
        title_id="Laporan kerja sama daerah per semester",
        title_en="Regional cooperation reports per semester",
        description_id=(
            "Angka laporan semester kerja sama daerah yang disampaikan provinsi kepada "
            "Kementerian Dalam Negeri: per semester, secara nasional, per provinsi (jumlah per "
            "jenis kerja sama, status dan urusan, keadaan laporannya) dan per kabupaten/kota "
            "(jumlahnya dan apakah termasuk dalam laporan provinsinya), dengan kode Kemendagri. "
            "Sama dengan data terbuka halaman Laporan kerja sama; hanya angka."
        ),
        description_en=(
            "The figures of the semester reports on regional cooperation the provinces send to "
            "the Ministry of Home Affairs: per semester, for the nation, per province (counts "
            "per kind of cooperation, status and urusan, the state of its report) and per "
            "kabupaten/kota (its total and whether its province's report includes it), with "
            "Kemendagri codes. The same as the open data of the cooperation reports' page; "
            "figures only."
        ),
        keywords=["kerja sama daerah", "laporan semester", "Kemendagri", "provinsi", "urusan"],
        licence=catalogue.CC_BY,
        # New semesters twice a year (a correction renews the file when it arrives).
        frequency="ANNUAL_2",
        spatial=[catalogue.indonesia(), *provinces],
        dictionary=DICTIONARY,
        live_path=reverse("national:open_data_index"),
    )


dictionaries.register(DICTIONARY)
catalogue.describe(DATASET, describe)
