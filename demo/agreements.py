"""The agreements workspace's demo (issue 6), a step of demo.loader after the regions and accounts.

Everything is written through the real actions (agreements.register.actions, lifecycle, reviews,
partners, proposals, monitoring; cooperation.shared_proposals), never into the tables directly, so
the demo obeys the same rules as the people who use the product:

1. Kota Malang's register: the 16 KSDD, 90 KSDPK and 5 sinergi the city reports for 2020-2025,
   entered as old signed agreements with a one-page signed PDF each, plus a sister city abroad
   (KSDPL) and an institution abroad (KSDLL). Terms spread over those years: the expired ones are
   ended, a few expire within 90 days, a few are carried out with an action plan and monitoring
   reports, one was terminated early.
2. Malang Raya: Kota Malang, Kabupaten Malang and Kota Batu prepare a joint KSB (their OPDs'
   points per urusan, the heads' priorities with traffic congestion first, two versions of the
   joint text), then one PKS per urusan, signed in Kota Batu by every party region; each region
   keeps its own TKKSD review; the parties' meetings are recorded on the shared record.
3. Kota Singkawang and Provinsi Kalimantan Barat: a KSB on government, development and community
   affairs, reviewed by Singkawang's TKKSD in two rounds.
4. Universitas Mitra (mitra@jejaring.test) proposes a cooperation to Kota Malang; the office
   asks for more, accepts it into preparation and takes it to a signed KSDPK.

Idempotent: each scenario runs in one transaction and is skipped when its agreement exists (the
register's old agreements one by one, by title). Dates are relative to the day of loading, so the
demo always has something expiring soon; the old register's signing dates stay in 2020-2025.
"""

from __future__ import annotations

import datetime
import textwrap
import time
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from agreements.models import ActionItemStatus, Agreement, MonitoringRecommendation
from agreements.monitoring import actions as monitoring
from agreements.monitoring.periods import last_completed
from agreements.partners import actions as partners
from agreements.partners import joint
from agreements.proposals import triage
from agreements.register import actions, lifecycle, reviews, scope
from agreements.register.parties import PartyData
from cooperation import shared_joint
from cooperation import shared_proposals as proposing
from cooperation.models import (
    Cooperation,
    Instrument,
    Kind,
    PartyKind,
    Proposal,
    ProposerKind,
    SignedDocument,
)
from tenants.demo import ensure_account
from tenants.models import Membership, Region, Role, Tenant

MALANG, KAB_MALANG, BATU = "35.73", "35.07", "35.79"
KALBAR, SINGKAWANG = "61", "61.72"
OFFICE = {
    MALANG: "admin.malang@jejaring.test",
    KAB_MALANG: "admin.kabmalang@jejaring.test",
    BATU: "admin.batu@jejaring.test",
    KALBAR: "admin.kalbar@jejaring.test",
    SINGKAWANG: "admin.singkawang@jejaring.test",
}
OPD_MALANG = "opd.malang@jejaring.test"  # Dinas Koperasi, Perindustrian dan Perdagangan
PROPOSER = "mitra@jejaring.test"

# TKKSD members this step adds (tenants.demo has one, for Kota Malang): one each for the other
# two Malang Raya regions, three for Kota Singkawang. (email, name, region)
REVIEWERS = [
    ("tkksd.kabmalang@jejaring.test", "Anggota TKKSD Kabupaten Malang", KAB_MALANG),
    ("tkksd.batu@jejaring.test", "Anggota TKKSD Kota Batu", BATU),
    ("tkksd1.singkawang@jejaring.test", "Asisten Pemerintahan Kota Singkawang (TKKSD)", SINGKAWANG),
    ("tkksd2.singkawang@jejaring.test", "Kepala Bappeda Kota Singkawang (TKKSD)", SINGKAWANG),
    ("tkksd3.singkawang@jejaring.test", "Kepala Bagian Hukum Kota Singkawang (TKKSD)", SINGKAWANG),
]
TKKSD = {
    MALANG: "tkksd.malang@jejaring.test",
    KAB_MALANG: "tkksd.kabmalang@jejaring.test",
    BATU: "tkksd.batu@jejaring.test",
}

AUTHORITY_HEAD = "UU 23/2014 Pasal 65 ayat (1)"
WALI_KOTA_MALANG = ("Wahyu Hidayat", "Wali Kota Malang")


# --- Small helpers -------------------------------------------------------------------------------


def _office(code: str) -> Membership:
    return _membership(OFFICE[code], code)


def _membership(email: str, code: str) -> Membership:
    return Membership.objects.select_related("tenant__region", "user").get(
        user__email=email, tenant__region_id=code
    )


def _version(agreement: Agreement) -> int:
    return Cooperation.objects.values_list("version", flat=True).get(pk=agreement.cooperation_id)


def _step(membership: Membership, agreement: Agreement, name: str, **kwargs) -> Agreement:
    return lifecycle.advance.inner(
        membership=membership,
        agreement=agreement,
        transition=name,
        version=_version(agreement),
        **kwargs,
    )


def _review(office: Membership, agreement: Agreement, votes) -> None:
    """A TKKSD round: the office asks, each member records a recommendation."""
    reviews.request_review.inner(
        membership=office, agreement=agreement, version=_version(agreement)
    )
    for membership, recommendation, notes in votes:
        reviews.record_recommendation.inner(
            membership=membership,
            agreement=agreement,
            recommendation=recommendation,
            notes=notes,
        )


def _signing(day: datetime.date, place: str, mode: str = "ceremonial") -> dict:
    return {"signed_on": day, "signing_place": place, "signing_mode": mode}


def _pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF (A4, Helvetica) with `lines` of text: the demo's stand-in for a scan."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    wrapped = [part for line in lines for part in (textwrap.wrap(line, 88) or [""])]
    text = " ".join(f"({escape(line)}) Tj T*" for line in wrapped)
    stream = f"BT /F1 11 Tf 15 TL 56 786 Td {text} ET".encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _document(name: str, title: str, parties: list[PartyData], signing: dict | None = None):
    lines = ["DOKUMEN DEMO JEJARING - bukan dokumen asli", "", title, ""]
    for party in parties:
        who = party.region.full_name if party.region is not None else party.name
        lines.append(f"{who} - Nomor {party.document_number or '-'}")
        if party.signatory_name:
            lines.append(f"    {party.signatory_name}, {party.signatory_position}")
    if signing:
        lines += ["", f"Ditandatangani di {signing['signing_place']}, {signing['signed_on']}."]
    return SimpleUploadedFile(name, _pdf_bytes(lines), content_type="application/pdf")


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- 1. Kota Malang's register of old agreements --------------------------------------------------

# Kota Malang's OPD by urusan: the responsible OPD of each old agreement.
MALANG_OPD = {
    "1.01": "Dinas Pendidikan dan Kebudayaan",
    "1.02": "Dinas Kesehatan",
    "1.03": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "1.04": "Dinas Perumahan dan Kawasan Permukiman",
    "1.05": "Badan Penanggulangan Bencana Daerah",
    "1.06": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan "
    "Keluarga Berencana",
    "2.07": "Dinas Tenaga Kerja, Penanaman Modal dan PTSP",
    "2.08": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan "
    "Keluarga Berencana",
    "2.09": "Dinas Ketahanan Pangan dan Pertanian",
    "2.11": "Dinas Lingkungan Hidup",
    "2.12": "Dinas Kependudukan dan Pencatatan Sipil",
    "2.14": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan "
    "Keluarga Berencana",
    "2.15": "Dinas Perhubungan",
    "2.16": "Dinas Komunikasi dan Informatika",
    "2.17": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "2.18": "Dinas Tenaga Kerja, Penanaman Modal dan PTSP",
    "2.19": "Dinas Kepemudaan, Olahraga dan Pariwisata",
    "2.20": "Dinas Komunikasi dan Informatika",
    "2.22": "Dinas Pendidikan dan Kebudayaan",
    "2.23": "Dinas Perpustakaan Umum dan Arsip Daerah",
    "2.24": "Dinas Perpustakaan Umum dan Arsip Daerah",
    "3.26": "Dinas Kepemudaan, Olahraga dan Pariwisata",
    "3.27": "Dinas Ketahanan Pangan dan Pertanian",
    "3.29": "Dinas Lingkungan Hidup",
    "3.30": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "3.31": "Dinas Koperasi, Perindustrian dan Perdagangan",
}
# Invented signatories: the demo names no real official except the heads of region of the
# Malang Raya and Singkawang scenarios (the issue's own examples).
NAMES = [
    "Ahmad Fauzi",
    "Siti Rahmawati",
    "Bambang Setiawan",
    "Dewi Lestari",
    "Hendra Gunawan",
    "Rina Wulandari",
    "Agus Santoso",
    "Nur Aini",
    "Teguh Prasetyo",
    "Lina Marlina",
    "Yusuf Hakim",
    "Maya Anggraini",
    "Rudi Hartono",
    "Indah Permatasari",
    "Fajar Nugroho",
    "Sri Wahyuni",
    "Dimas Saputra",
    "Ratna Sari",
]


@dataclass(frozen=True)
class Partner:
    kind: str
    name: str = ""  # an organisation, ministry or foreign body
    region: str = ""  # a region of the registry (KSDD)
    details: str = ""
    position: str = ""  # its signatory's position
    authority: str = ""
    code: str = ""  # its letters in document numbers

    @property
    def region_name(self) -> str:
        return REGION_NAMES.get(self.region, self.region)


def _org(name, details, position, authority, code) -> Partner:
    return Partner(PartyKind.ORGANISATION, name, "", details, position, authority, code)


UB = _org(
    "Universitas Brawijaya",
    "Perguruan tinggi negeri berbadan hukum; Jl. Veteran, Kota Malang",
    "Rektor Universitas Brawijaya",
    "Statuta Universitas Brawijaya (PP 108/2021)",
    "UN10",
)
UM = _org(
    "Universitas Negeri Malang",
    "Perguruan tinggi negeri berbadan hukum; Jl. Semarang 5, Kota Malang",
    "Rektor Universitas Negeri Malang",
    "Statuta Universitas Negeri Malang",
    "UN32",
)
UMM = _org(
    "Universitas Muhammadiyah Malang",
    "Perguruan tinggi swasta; Jl. Raya Tlogomas 246, Kota Malang",
    "Rektor Universitas Muhammadiyah Malang",
    "Statuta Universitas Muhammadiyah Malang",
    "UMM",
)


def _uni(name, address, code) -> Partner:
    return _org(name, f"Perguruan tinggi; {address}", f"Rektor {name}", f"Statuta {name}", code)


def _bank(name, code, branch="Kantor Cabang Malang") -> Partner:
    return _org(
        name,
        f"Perseroan terbatas (perbankan); {branch}",
        f"Pemimpin {branch}",
        "Surat Kuasa Direksi berdasarkan Anggaran Dasar Perseroan",
        code,
    )


def _company(name, details, code, position="Direktur Utama") -> Partner:
    return _org(name, details, position, "Anggaran Dasar Perseroan", code)


def _body(name, details, code, position="Ketua") -> Partner:
    return _org(name, details, f"{position} {name}", "Anggaran Dasar organisasi", code)


# The 90 KSDPK: (partner, [(instrument, subject, urusan)]). A university's KSB comes first and
# its PKS fall under it.
KSB, PKS = Instrument.KSB, Instrument.PKS
THIRD_PARTY_AGREEMENTS: list[tuple[Partner, list[tuple[str, str, tuple[str, ...]]]]] = [
    (
        UB,
        [
            (KSB, "Pelaksanaan Tridarma Perguruan Tinggi dan Pembangunan Daerah", ("1.01",)),
            (PKS, "Kuliah Kerja Nyata Tematik Percepatan Penurunan Stunting", ("1.02",)),
            (PKS, "Kajian Akademik Rancangan Peraturan Daerah tentang Bangunan Gedung", ("1.03",)),
            (PKS, "Pengembangan Sistem Informasi Perencanaan Pembangunan Daerah", ("2.16",)),
            (PKS, "Pendampingan Sertifikasi Halal Produk Usaha Mikro", ("2.17",)),
            (PKS, "Rujukan Pelayanan Kesehatan di Rumah Sakit Universitas Brawijaya", ("1.02",)),
        ],
    ),
    (
        UM,
        [
            (KSB, "Pengembangan Pendidikan dan Kebudayaan Daerah", ("1.01", "2.22")),
            (PKS, "Pelatihan Guru Sekolah Dasar Berbasis Literasi Digital", ("1.01",)),
            (PKS, "Magang Mahasiswa di Perangkat Daerah", ("2.07",)),
            (PKS, "Revitalisasi Kampung Budaya Polowijen", ("2.22",)),
            (PKS, "Pengembangan Perpustakaan Digital Daerah", ("2.23",)),
        ],
    ),
    (
        UMM,
        [
            (KSB, "Pelaksanaan Tridarma Perguruan Tinggi", ("1.01",)),
            (PKS, "Pengembangan Pertanian Perkotaan (Urban Farming)", ("3.27",)),
            (PKS, "Praktik Profesi Mahasiswa Kesehatan di Puskesmas", ("1.02",)),
            (PKS, "Bantuan Hukum bagi Masyarakat Tidak Mampu", ("1.06",)),
        ],
    ),
    (
        _uni("Universitas Islam Negeri Maulana Malik Ibrahim Malang", "Jl. Gajayana 50", "UIN"),
        [
            (PKS, "Pembinaan Sosial Kemasyarakatan di Kelurahan", ("1.06",)),
            (PKS, "Pendampingan Bank Sampah Kelurahan", ("2.11",)),
        ],
    ),
    (
        _uni("Politeknik Negeri Malang", "Jl. Soekarno Hatta 9", "POLINEMA"),
        [
            (PKS, "Teknologi Tepat Guna bagi Industri Kecil dan Menengah", ("3.31",)),
            (PKS, "Pelatihan Vokasi bagi Pencari Kerja", ("2.07",)),
            (PKS, "Audit Energi Gedung Pemerintah Daerah", ("3.29",)),
        ],
    ),
    (
        _uni("Institut Teknologi Nasional Malang", "Jl. Bendungan Sigura-gura 2", "ITN"),
        [
            (PKS, "Pemetaan Tata Ruang Berbasis Sistem Informasi Geografis", ("1.03",)),
            (PKS, "Perencanaan Sistem Drainase Perkotaan", ("1.03",)),
        ],
    ),
    (
        _uni("Universitas Islam Malang", "Jl. Mayjen Haryono 193", "UNISMA"),
        [
            (PKS, "Pengembangan Kampung Wisata Tematik", ("3.26",)),
            (PKS, "Penyuluhan Ketahanan Pangan Keluarga", ("2.09",)),
        ],
    ),
    (
        _uni("Universitas Merdeka Malang", "Jl. Terusan Raya Dieng 62-64", "UNMER"),
        [
            (PKS, "Survei Indeks Kepuasan Masyarakat atas Pelayanan Publik", ("2.20",)),
            (PKS, "Pengembangan Koperasi dan Usaha Mikro", ("2.17",)),
        ],
    ),
    (
        _uni("Universitas Ma Chung", "Villa Puncak Tidar N-01", "MACHUNG"),
        [
            (PKS, "Pengembangan Ekonomi Kreatif Berbasis Desain", ("3.26",)),
            (PKS, "Pelatihan Bahasa Mandarin bagi Pemandu Wisata", ("3.26",)),
        ],
    ),
    (
        _uni("Universitas Widyagama Malang", "Jl. Borobudur 35", "UWG"),
        [(PKS, "Pengelolaan Lingkungan Daerah Aliran Sungai Brantas", ("2.11",))],
    ),
    (
        _uni("Politeknik Kesehatan Kemenkes Malang", "Jl. Besar Ijen 77C", "POLTEKKES"),
        [(PKS, "Praktik Kerja Lapangan Tenaga Kesehatan", ("1.02",))],
    ),
    (
        _uni("Sekolah Tinggi Ilmu Ekonomi Malangkucecwara", "Jl. Terusan Candi Kalasan", "ABM"),
        [(PKS, "Pelatihan Pembukuan bagi Koperasi", ("2.17",))],
    ),
    (
        _bank("PT Bank Pembangunan Daerah Jawa Timur Tbk", "BJTM", "Kantor Cabang Malang"),
        [
            (PKS, "Penerimaan Pajak dan Retribusi Daerah secara Elektronik", ("2.16",)),
            (PKS, "Penyaluran Kredit Usaha Mikro bagi Pelaku UMKM", ("2.17",)),
            (PKS, "Layanan Perbankan bagi Aparatur Sipil Negara", ("2.16",)),
        ],
    ),
    (
        _bank("PT Bank Rakyat Indonesia (Persero) Tbk", "BRI", "Kantor Cabang Malang Martadinata"),
        [
            (PKS, "Penyaluran Kredit Usaha Rakyat bagi UMKM", ("2.17",)),
            (PKS, "Pembayaran Retribusi Pasar Rakyat melalui QRIS", ("3.30",)),
        ],
    ),
    (
        _bank("PT Bank Negara Indonesia (Persero) Tbk", "BNI", "Kantor Cabang Malang"),
        [
            (PKS, "Penyaluran Bantuan Sosial Nontunai", ("1.06",)),
            (PKS, "Penggunaan Kartu Kredit Pemerintah Daerah", ("2.16",)),
        ],
    ),
    (
        _bank("PT Bank Mandiri (Persero) Tbk", "BMRI", "Area Malang"),
        [
            (PKS, "Elektronifikasi Transaksi Pemerintah Daerah", ("2.16",)),
            (PKS, "Pembiayaan Perumahan bagi Aparatur", ("1.04",)),
        ],
    ),
    (
        _bank("PT Bank Syariah Indonesia Tbk", "BSI", "Area Malang"),
        [(PKS, "Pembiayaan Syariah bagi Pelaku Usaha Mikro", ("2.17",))],
    ),
    (
        _bank("PT Bank Tabungan Negara (Persero) Tbk", "BTN", "Kantor Cabang Malang"),
        [(PKS, "Pembiayaan Rumah bagi Masyarakat Berpenghasilan Rendah", ("1.04",))],
    ),
    (
        _bank("PT Bank Central Asia Tbk", "BCA", "Kantor Cabang Utama Malang"),
        [(PKS, "Pembayaran Pajak Bumi dan Bangunan melalui Kanal Digital", ("2.16",))],
    ),
    (
        _company(
            "PT BPR Tugu Artha Sejahtera (Perseroda)",
            "Badan usaha milik daerah Kota Malang (bank perekonomian rakyat)",
            "BPRTA",
        ),
        [(PKS, "Pembiayaan Modal Kerja Pedagang Pasar Rakyat", ("2.17",))],
    ),
    (
        _company(
            "PT Telkom Indonesia (Persero) Tbk",
            "Badan usaha milik negara; Witel Malang",
            "TEL",
            "General Manager Witel Malang",
        ),
        [
            (PKS, "Penyediaan Akses Internet di Ruang Terbuka Publik", ("2.16",)),
            (PKS, "Pengembangan Malang Command Center", ("2.16",)),
            (PKS, "Digitalisasi Layanan Puskesmas", ("1.02",)),
        ],
    ),
    (
        _company(
            "PT PLN (Persero) UP3 Malang",
            "Badan usaha milik negara; Unit Pelaksana Pelayanan Pelanggan Malang",
            "PLN",
            "Manager UP3 Malang",
        ),
        [
            (PKS, "Penerangan Jalan Umum Hemat Energi", ("3.29",)),
            (PKS, "Penyediaan Stasiun Pengisian Kendaraan Listrik Umum", ("3.29",)),
        ],
    ),
    (
        _company(
            "PT Kereta Api Indonesia (Persero) Daop 8 Surabaya",
            "Badan usaha milik negara; Daerah Operasi 8 Surabaya",
            "KAI",
            "Executive Vice President Daop 8",
        ),
        [(PKS, "Integrasi Angkutan Kota dengan Stasiun Malang", ("2.15",))],
    ),
    (
        _company("PT Pos Indonesia (Persero)", "Badan usaha milik negara; KCU Malang", "POS"),
        [(PKS, "Pengantaran Dokumen Kependudukan ke Rumah Warga", ("2.12",))],
    ),
    (
        _company(
            "PT Pertamina Patra Niaga Regional Jatimbalinus",
            "Anak perusahaan badan usaha milik negara",
            "PPN",
            "Executive General Manager",
        ),
        [(PKS, "Tanggung Jawab Sosial Kampung Energi Bersih", ("3.29",))],
    ),
    (
        _company("PT Gojek Indonesia", "Perseroan terbatas; Jakarta", "GOJEK", "Direktur"),
        [(PKS, "Digitalisasi Pemasaran Produk UMKM Kuliner", ("2.17",))],
    ),
    (
        _company("PT Grab Teknologi Indonesia", "Perseroan terbatas; Jakarta", "GRAB", "Direktur"),
        [(PKS, "Pelatihan Keselamatan Lalu Lintas bagi Mitra Pengemudi", ("2.15",))],
    ),
    (
        _company("PT Tokopedia", "Perseroan terbatas; Jakarta", "TKPD", "Direktur"),
        [(PKS, "Pemasaran Daring Produk Unggulan Daerah", ("3.30",))],
    ),
    (
        _company("PT Semen Indonesia (Persero) Tbk", "Badan usaha milik negara; Gresik", "SIG"),
        [(PKS, "Bantuan Material Perbaikan Rumah Tidak Layak Huni", ("1.04",))],
    ),
    (
        _company(
            "PT Sarana Multi Infrastruktur (Persero)", "Badan usaha milik negara; Jakarta", "SMI"
        ),
        [(PKS, "Pembiayaan Pembangunan Infrastruktur Daerah", ("1.03",))],
    ),
    (
        _company(
            "PT Jasamarga Pandaan Malang",
            "Anak perusahaan PT Jasa Marga (Persero) Tbk",
            "JPM",
        ),
        [(PKS, "Pengaturan Lalu Lintas di Akses Gerbang Tol Madyopuro", ("2.15",))],
    ),
    (
        _company(
            "PT Angkasa Pura Indonesia",
            "Badan usaha milik negara; Bandar Udara Abdulrachman Saleh",
            "API",
            "General Manager Bandar Udara Abdulrachman Saleh",
        ),
        [(PKS, "Promosi Pariwisata di Bandar Udara Abdulrachman Saleh", ("3.26",))],
    ),
    (
        _company(
            "PT Paragon Technology and Innovation", "Perseroan terbatas; Jakarta", "PTI", "Direktur"
        ),
        [(PKS, "Pelatihan Kewirausahaan bagi Perempuan", ("2.08",))],
    ),
    (
        _company("PT Unilever Indonesia Tbk", "Perseroan terbatas terbuka; Tangerang", "ULVR"),
        [(PKS, "Pengelolaan Sampah Plastik Berbasis Bank Sampah", ("2.11",))],
    ),
    (
        _company("PT Indofood Sukses Makmur Tbk", "Perseroan terbatas terbuka; Jakarta", "INDF"),
        [(PKS, "Pencegahan Stunting melalui Gizi Seimbang", ("1.02",))],
    ),
    (
        _company("PT Eigerindo Multi Produk Industri", "Perseroan terbatas; Bandung", "EIGER"),
        [(PKS, "Penghijauan Taman dan Hutan Kota", ("2.11",))],
    ),
    (
        _company("PT Solusi Arsip Digital Nusantara", "Perseroan terbatas; Surabaya", "SADN"),
        [(PKS, "Digitalisasi Arsip Statis Daerah", ("2.24",))],
    ),
    (
        _company(
            "Perusahaan Umum Daerah Air Minum Tugu Tirta Kota Malang",
            "Badan usaha milik daerah Kota Malang",
            "PDAM",
        ),
        [
            (PKS, "Sambungan Rumah Air Minum bagi Masyarakat Berpenghasilan Rendah", ("1.03",)),
            (PKS, "Konservasi Sumber Mata Air", ("2.11",)),
            (PKS, "Penyediaan Air Minum Siap Minum di Sekolah", ("1.01",)),
        ],
    ),
    (
        _company(
            "Perusahaan Umum Daerah Tugu Aneka Usaha Kota Malang",
            "Badan usaha milik daerah Kota Malang",
            "TAU",
        ),
        [(PKS, "Pengelolaan Parkir Elektronik di Tepi Jalan Umum", ("2.15",))],
    ),
    (
        _company(
            "PT Jatim Grha Utama (Perseroda)",
            "Badan usaha milik daerah Provinsi Jawa Timur",
            "JGU",
        ),
        [(PKS, "Pemanfaatan Aset Daerah untuk Pusat Kuliner", ("3.30",))],
    ),
    (
        _body(
            "BPJS Kesehatan Cabang Malang",
            "Badan hukum publik",
            "BPJSKES",
            position="Kepala",
        ),
        [
            (PKS, "Jaminan Kesehatan Semesta (Universal Health Coverage)", ("1.02",)),
            (PKS, "Integrasi Data Peserta Penerima Bantuan Iuran Daerah", ("1.06",)),
        ],
    ),
    (
        _body(
            "BPJS Ketenagakerjaan Cabang Malang",
            "Badan hukum publik",
            "BPJSTK",
            position="Kepala",
        ),
        [
            (PKS, "Perlindungan Jaminan Sosial bagi Pekerja Rentan", ("2.07",)),
            (PKS, "Jaminan Sosial Ketenagakerjaan bagi Ketua RT dan RW", ("2.07",)),
        ],
    ),
    (
        _body("Palang Merah Indonesia Kota Malang", "Perhimpunan nasional", "PMI"),
        [(PKS, "Donor Darah dan Kesiapsiagaan Bencana", ("1.05",))],
    ),
    (
        _body("Badan Amil Zakat Nasional Kota Malang", "Lembaga pemerintah nonstruktural", "BAZ"),
        [
            (PKS, "Bedah Rumah Tidak Layak Huni", ("1.04",)),
            (PKS, "Beasiswa Pendidikan bagi Siswa Kurang Mampu", ("1.01",)),
        ],
    ),
    (
        _body("Kamar Dagang dan Industri Kota Malang", "Organisasi dunia usaha", "KADIN"),
        [
            (PKS, "Promosi Investasi dan Temu Bisnis", ("2.18",)),
            (PKS, "Pendampingan Ekspor Produk UMKM", ("3.30",)),
        ],
    ),
    (
        _body("Ikatan Dokter Indonesia Cabang Malang Raya", "Organisasi profesi", "IDI"),
        [(PKS, "Pelayanan Kesehatan pada Kegiatan Massal", ("1.02",))],
    ),
    (
        _body("Perhimpunan Hotel dan Restoran Indonesia Kota Malang", "Asosiasi usaha", "PHRI"),
        [
            (PKS, "Promosi Malang sebagai Kota Wisata Kuliner", ("3.26",)),
            (PKS, "Pelatihan Tenaga Kerja Perhotelan", ("2.07",)),
        ],
    ),
    (
        _body("Asosiasi Perusahaan Perjalanan Wisata Indonesia Jawa Timur", "Asosiasi", "ASITA"),
        [(PKS, "Paket Wisata Heritage Kota Malang", ("3.26",))],
    ),
    (
        _company(
            "PT Arema Aremania Bersatu Berprestasi Indonesia",
            "Perseroan terbatas (klub sepak bola)",
            "AREMA",
        ),
        [(PKS, "Pemanfaatan Stadion Gajayana untuk Pembinaan Sepak Bola Usia Muda", ("2.19",))],
    ),
    (
        _body("Paguyuban Perajin Tempe Sanan", "Paguyuban usaha; Kelurahan Purwantoro", "SANAN"),
        [(PKS, "Pengembangan Sentra Industri Tempe Sanan", ("3.31",))],
    ),
    (
        _body("Yayasan Kanker Indonesia Cabang Malang", "Yayasan", "YKI"),
        [(PKS, "Deteksi Dini Kanker bagi Perempuan", ("1.02",))],
    ),
    (
        _body("LPP TVRI Stasiun Jawa Timur", "Lembaga penyiaran publik", "TVRI", "Kepala"),
        [(PKS, "Penyebarluasan Informasi Pembangunan Daerah", ("2.16",))],
    ),
    (
        _body("Perum LKBN Antara Biro Jawa Timur", "Badan usaha milik negara", "ANTARA", "Kepala"),
        [(PKS, "Publikasi Program Pemerintah Daerah", ("2.16",))],
    ),
    (
        _body("Perum Bulog Kantor Cabang Malang", "Badan usaha milik negara", "BULOG", "Pemimpin"),
        [(PKS, "Stabilisasi Pasokan dan Harga Beras", ("2.09",))],
    ),
    (
        _body("Rumah Sakit Islam Unisma", "Rumah sakit swasta", "RSI", "Direktur"),
        [(PKS, "Rujukan Pelayanan Kesehatan bagi Warga Miskin", ("1.02",))],
    ),
    (
        _body("Ikatan Notaris Indonesia Pengurus Daerah Kota Malang", "Organisasi profesi", "INI"),
        [(PKS, "Layanan Legalitas bagi Usaha Mikro", ("2.17",))],
    ),
]

# The 16 KSDD with regions that do not work on Jejaring (so no partner signature is awaited):
# (kind, region, subject, urusan).
REGION_AGREEMENTS = [
    (
        Kind.KSDD_WAJIB,
        "35.14",
        "Pengelolaan Bersama Jalan Koridor Malang-Pasuruan",
        ("1.03", "2.15"),
    ),
    (Kind.KSDD_WAJIB, "35.14", "Pemanfaatan Sumber Air Baku untuk Air Minum", ("1.03",)),
    (Kind.KSDD_WAJIB, "35.75", "Penanggulangan Bencana Lintas Wilayah", ("1.05",)),
    (
        Kind.KSDD_SUKARELA,
        "35.74",
        "Promosi Pariwisata dan Produk Unggulan Daerah",
        ("3.26", "3.30"),
    ),
    (Kind.KSDD_SUKARELA, "35.74", "Studi Tiru Pelayanan Perizinan Terpadu Satu Pintu", ("2.18",)),
    (Kind.KSDD_SUKARELA, "35.72", "Pengembangan Kota Layak Anak", ("2.08",)),
    (
        Kind.KSDD_SUKARELA,
        "35.71",
        "Pertukaran Data dan Pelayanan Administrasi Kependudukan",
        ("2.12",),
    ),
    (Kind.KSDD_SUKARELA, "35.76", "Pengelolaan Sampah Berbasis Masyarakat", ("2.11",)),
    (Kind.KSDD_SUKARELA, "35.77", "Pengembangan Kota Cerdas", ("2.16",)),
    (Kind.KSDD_SUKARELA, "32.73", "Kota Kembar Bidang Ekonomi Kreatif", ("3.26", "2.17")),
    (Kind.KSDD_SUKARELA, "33.74", "Pengendalian Inflasi dan Ketahanan Pangan", ("2.09", "3.30")),
    (Kind.KSDD_SUKARELA, "34.71", "Pengembangan Kota Pendidikan dan Budaya", ("1.01", "2.22")),
    (Kind.KSDD_SUKARELA, "51.71", "Promosi Pariwisata Bersama", ("3.26",)),
    (Kind.KSDD_SUKARELA, "73.71", "Perdagangan Antardaerah Komoditas Unggulan", ("3.30",)),
    (Kind.KSDD_SUKARELA, "64.72", "Studi Tiru Sistem Informasi Kerja Sama Daerah", ("2.16",)),
    (Kind.KSDD_SUKARELA, "35.08", "Pemasaran Hasil Pertanian Hortikultura", ("3.27", "3.30")),
]


def _ministry(name, position, code) -> Partner:
    return Partner(
        PartyKind.MINISTRY, name, "", "Kementerian/lembaga pemerintah pusat", position,
        "Peraturan Presiden tentang organisasi kementerian/lembaga", code,
    )  # fmt: skip


# The 5 sinergi (Nota Kesepakatan with a ministry or central agency).
SINERGI = [
    (
        _ministry(
            "Direktorat Jenderal Kependudukan dan Pencatatan Sipil, Kementerian Dalam Negeri",
            "Direktur Jenderal Kependudukan dan Pencatatan Sipil",
            "DUKCAPIL",
        ),
        "Pemanfaatan Data Kependudukan untuk Pelayanan Publik",
        ("2.12",),
    ),
    (
        _ministry(
            "Balai Besar Wilayah Sungai Brantas, Kementerian Pekerjaan Umum",
            "Kepala Balai Besar Wilayah Sungai Brantas",
            "BBWS",
        ),
        "Pengendalian Banjir dan Normalisasi Sungai Brantas",
        ("1.03",),
    ),
    (
        _ministry("Kementerian Ekonomi Kreatif", "Menteri Ekonomi Kreatif", "EKRAF"),
        "Pengembangan Malang sebagai Kota Kreatif",
        ("3.26",),
    ),
    (
        _ministry("Badan Pusat Statistik", "Kepala BPS Kota Malang", "BPS"),
        "Penyelenggaraan Statistik Sektoral Daerah",
        ("2.20",),
    ),
    (
        _ministry(
            "Badan Kependudukan dan Keluarga Berencana Nasional",
            "Kepala Perwakilan BKKBN Provinsi Jawa Timur",
            "BKKBN",
        ),
        "Percepatan Penurunan Stunting",
        ("2.14", "1.02"),
    ),
]

ABROAD = [
    (
        Kind.KSDPL,
        Partner(
            PartyKind.FOREIGN,
            "Dewan Bandaraya Kuching Selatan, Sarawak, Malaysia",
            details="Pemerintah kota, Kuching, Sarawak, Malaysia (kota kembar)",
            position="Datuk Bandar Kuching Selatan",
            authority="Local Government Ordinance Sarawak 1996",
            code="DBKU",
        ),
        "Kota Kembar (Sister City) Bidang Pariwisata, Pendidikan dan Perdagangan",
        ("3.26", "1.01", "3.30"),
        datetime.date(2023, 8, 17),
    ),
    (
        Kind.KSDLL,
        Partner(
            PartyKind.FOREIGN,
            "Japan International Cooperation Agency (JICA)",
            details="Lembaga kerja sama internasional Pemerintah Jepang; kantor Jakarta",
            position="Chief Representative JICA Indonesia Office",
            authority="Act on the Japan International Cooperation Agency",
            code="JICA",
        ),
        "Bantuan Teknis Pengelolaan Sampah Perkotaan",
        ("2.11",),
        datetime.date(2024, 3, 12),
    ),
]


@dataclass
class Old:
    kind: str
    partner: Partner
    subject: str
    urusan: tuple[str, ...]
    signed_on: datetime.date
    years: int
    instrument: str
    under: str = ""  # the title of the KSB it falls under
    expires_in: int | None = None  # days from the day of loading, for "expiring soon"

    @property
    def title(self) -> str:
        if self.kind == Kind.SINERGI:
            head = "Nota Kesepakatan"
        else:
            head = "Kesepakatan Bersama" if self.instrument == KSB else "Perjanjian Kerja Sama"
        with_whom = (
            f"Pemerintah {self.partner.region_name}" if self.partner.region else (self.partner.name)
        )
        return f"{head} Pemerintah Kota Malang dengan {with_whom} tentang {self.subject}"


# Regions by code for titles (names as the registry spells them, checked by the test).
REGION_NAMES = {
    "35.14": "Kabupaten Pasuruan",
    "35.75": "Kota Pasuruan",
    "35.74": "Kota Probolinggo",
    "35.72": "Kota Blitar",
    "35.71": "Kota Kediri",
    "35.76": "Kota Mojokerto",
    "35.77": "Kota Madiun",
    "32.73": "Kota Bandung",
    "33.74": "Kota Semarang",
    "34.71": "Kota Yogyakarta",
    "51.71": "Kota Denpasar",
    "73.71": "Kota Makassar",
    "64.72": "Kota Samarinda",
    "35.08": "Kabupaten Lumajang",
}

# Old agreements whose term ends within 90 days of the day of loading (days from that day).
EXPIRING_SOON = {
    ("ksdpk", 5): 9,
    ("ksdpk", 18): 23,
    ("ksdpk", 33): 37,
    ("ksdpk", 47): 45,
    ("ksdpk", 61): 59,
    ("ksdpk", 76): 80,
    ("ksdd", 4): 68,
    ("sinergi", 1): 88,
}


def _spread(index: int, year: int | None = None) -> datetime.date:
    """A signing day in 2020-2025, spread by `index`."""
    year = year if year is not None else 2020 + (index * 5) % 6
    return datetime.date(year, 1 + (index * 7) % 12, 1 + (index * 13) % 28)


def old_register() -> list[Old]:
    """The old agreements of Kota Malang's register, in the order they are entered (a KSB
    before the PKS under it)."""
    items: list[Old] = []
    index = 0
    for partner, entries in THIRD_PARTY_AGREEMENTS:
        parent = ""
        parent_year = None
        for child, (instrument, subject, urusan) in enumerate(entries):
            if instrument == KSB:
                signed = _spread(index, 2020 + index % 2)
                years = 5
            elif parent_year is not None:
                signed = _spread(index, min(2025, parent_year + child))
                years = 3 + index % 3
            else:
                signed = _spread(index)
                years = 3 + index % 3
            item = Old(Kind.KSDPK, partner, subject, urusan, signed, years, instrument, parent)
            item.expires_in = EXPIRING_SOON.get(("ksdpk", index))
            if instrument == KSB:
                parent, parent_year = item.title, signed.year
            items.append(item)
            index += 1
    for n, (kind, code, subject, urusan) in enumerate(REGION_AGREEMENTS):
        partner = Partner(
            PartyKind.REGION,
            region=code,
            position=f"Kepala Daerah {REGION_NAMES[code]}",
            authority=AUTHORITY_HEAD,
            code=code,
        )
        item = Old(kind, partner, subject, urusan, _spread(n + 3), 5, KSB)
        item.expires_in = EXPIRING_SOON.get(("ksdd", n))
        items.append(item)
    for n, (partner, subject, urusan) in enumerate(SINERGI):
        item = Old(Kind.SINERGI, partner, subject, urusan, _spread(n + 1, 2021 + n), 5, KSB)
        item.expires_in = EXPIRING_SOON.get(("sinergi", n))
        items.append(item)
    for kind, partner, subject, urusan, signed in ABROAD:
        items.append(Old(kind, partner, subject, urusan, signed, 5, KSB))
    return items


def _old_parties(item: Old, number: int, regions: dict[str, Region]) -> list[PartyData]:
    year = item.signed_on.year
    if item.instrument == KSB:
        own = PartyData(
            kind=PartyKind.REGION,
            region=regions[MALANG],
            document_number=f"180/{number:03d}/35.73.112/{year}",
            signatory_name=NAMES[number % len(NAMES)],
            signatory_position="Sekretaris Daerah Kota Malang",
            signatory_authority=f"Surat Kuasa Wali Kota Malang Nomor 180/{number:03d}/{year}",
        )
    else:
        opd = MALANG_OPD.get(item.urusan[0], "Sekretariat Daerah")
        own = PartyData(
            kind=PartyKind.REGION,
            region=regions[MALANG],
            document_number=f"119/{number:03d}/35.73.112/{year}",
            signatory_name=NAMES[number % len(NAMES)],
            signatory_position=f"Kepala {opd} Kota Malang",
            signatory_authority=f"Surat Kuasa Wali Kota Malang Nomor 180/{number:03d}/{year}",
        )
    partner = item.partner
    other = PartyData(
        kind=partner.kind,
        region=regions[partner.region] if partner.region else None,
        name=partner.name,
        details=partner.details,
        document_number=f"{number:03d}/{partner.code}/{item.instrument.upper()}/{year}",
        signatory_name=NAMES[(number * 5 + 3) % len(NAMES)],
        signatory_position=partner.position,
        signatory_authority=partner.authority,
    )
    return [own, other]


def _kota_malang_register(today: datetime.date) -> int:
    office = _office(MALANG)
    opd_staff = _membership(OPD_MALANG, MALANG)
    items = old_register()
    with tenant_context(office.tenant):
        existing = {
            title: Agreement(pk=pk, cooperation_id=coop)
            for title, pk, coop in Agreement.objects.values_list(
                "cooperation__title", "pk", "cooperation_id"
            )
        }
        if all(item.title in existing for item in items):
            return 0
        by_title = dict(existing)
        regions = Region.objects.in_bulk([MALANG, *REGION_NAMES], field_name="code")
        created: list[tuple[Old, Agreement]] = []
        with transaction.atomic():
            for number, item in enumerate(items, start=1):
                if item.title in existing:
                    continue
                term_end = _add_years(item.signed_on, item.years) - datetime.timedelta(days=1)
                if item.expires_in is not None:
                    term_end = today + datetime.timedelta(days=item.expires_in)
                parties = _old_parties(item, number, regions)
                signing = _signing(
                    item.signed_on,
                    "Balai Kota Malang",
                    "ceremonial" if item.instrument == KSB else "desk_to_desk",
                )
                agreement = actions.register_signed_agreement.inner(
                    membership=office,
                    fields={
                        "kind": item.kind,
                        "title": item.title,
                        "urusan": list(item.urusan),
                        "object": item.subject,
                        "scope": f"Kerja sama {item.subject.lower()} di wilayah Kota Malang.",
                        "purpose": "Meningkatkan kualitas pelayanan publik dan kesejahteraan "
                        "masyarakat Kota Malang.",
                        "legal_basis": "UU 23/2014; PP 28/2018; Permendagri 22/2020",
                        "funding_source": "APBD Kota Malang dan sumber lain yang sah",
                        "term_start": item.signed_on,
                        "term_end": term_end,
                    },
                    parties=parties,
                    private={
                        "responsible_opd": MALANG_OPD.get(item.urusan[0], "Sekretariat Daerah"),
                        "internal_notes": "Dientri dari arsip Bagian Kerja Sama; dokumen asli "
                        "disimpan di lemari arsip Setda.",
                    },
                    instrument=item.instrument,
                    signing=signing,
                    document=_document(
                        f"{item.instrument}-{number:03d}.pdf", item.title, parties, signing
                    ),
                    parent=by_title.get(item.under) if item.under else None,
                )
                by_title[item.title] = agreement
                created.append((item, agreement))
            _carry_out(office, opd_staff, created, today)
            _who_reads(office, created)
    return len(created)


def _who_reads(office, created) -> None:
    """The kelurahan agreements concern Purwantoro (its lurah and the Blimbing camat read them),
    the first KSB the kecamatan Blimbing; the DPRD member holds the first five dossiers."""
    dprd = Membership.objects.filter(
        tenant=office.tenant, role=Role.VIEWER, user__email="dprd.malang@jejaring.test"
    ).first()
    for index, (item, agreement) in enumerate(created):
        if "Kelurahan" in item.title or index == 0:
            codes = ["35.73.01.1007"] if "Kelurahan" in item.title else ["35.73.01"]
            scope.set_areas.inner(membership=office, agreement=agreement, codes=codes)
        if dprd is not None and index < 5:
            scope.give_dossier.inner(membership=office, agreement=agreement, member=dprd)


def _carry_out(office, opd_staff, created, today: datetime.date) -> None:
    """The register's life since: expired ones ended; some carried out with an action plan and
    monitoring reports (the latest period's report filed for some, missing for others); one
    terminated early."""
    current = last_completed(today)
    earlier = current.previous()
    carried: list[tuple[Old, Agreement]] = []
    for item, agreement in created:
        term_end = Cooperation.objects.values_list("term_end", flat=True).get(
            pk=agreement.cooperation_id
        )
        if term_end < today:
            _step(office, agreement, "expire")
        elif (
            item.expires_in is None
            and item.signed_on <= earlier.start
            and term_end > current.end + datetime.timedelta(days=365)
        ):
            carried.append((item, agreement))
    chosen = carried[:: max(1, len(carried) // 10)][:10]
    for n, (item, agreement) in enumerate(chosen):
        _step(office, agreement, "start_implementation")
        opd = MALANG_OPD.get(item.urusan[0], "Sekretariat Daerah")
        # OPD staff keep their own OPD's agreements; the office keeps the others.
        keeper = opd_staff if opd == opd_staff.opd else office
        for activity, offset, status in (
            ("Rapat koordinasi dan penyusunan jadwal pelaksanaan", -300, ActionItemStatus.DONE),
            (f"Pelaksanaan kegiatan: {item.subject}", -60, ActionItemStatus.IN_PROGRESS),
            ("Evaluasi bersama dan laporan akhir tahun", 120, ActionItemStatus.PLANNED),
        ):
            monitoring.add_action_item.inner(
                membership=keeper,
                agreement=agreement,
                activity=activity,
                owner_opd=opd,
                due_on=today + datetime.timedelta(days=offset),
                status=status,
            )
        # The first six are active (the last period's report is in); the others dormant.
        for period in (earlier, current) if n < 6 else (earlier,):
            monitoring.file_monitoring_report.inner(
                membership=keeper,
                agreement=agreement,
                period=period,
                progress="Kegiatan berjalan sesuai rencana aksi; koordinasi rutin dengan mitra.",
                problems="" if n % 3 else "Pencairan anggaran kegiatan terlambat satu bulan.",
                recommendation=MonitoringRecommendation.EXPAND
                if n == 0
                else MonitoringRecommendation.CONTINUE,
                today=today,
            )
        if n < 2:
            _step(office, agreement, "start_monitoring")
    rest = [pair for pair in carried if pair not in chosen]
    if rest:
        item, agreement = rest[-1]
        _step(
            office,
            agreement,
            "terminate",
            data={
                "reason": "Mitra menghentikan programnya; disepakati bersama untuk diakhiri.",
                "ended_on": today - datetime.timedelta(days=20),
            },
        )


# --- 2. Malang Raya ------------------------------------------------------------------------------

MALANG_RAYA_KSB = (
    "Kesepakatan Bersama Pemerintah Kota Malang, Pemerintah Kabupaten Malang dan Pemerintah "
    "Kota Batu tentang Kerja Sama Pembangunan Kawasan Malang Raya"
)
HEADS = {
    MALANG: ("Wahyu Hidayat", "Wali Kota Malang"),
    KAB_MALANG: ("M. Sanusi", "Bupati Malang"),
    BATU: ("Nurochman", "Wali Kota Batu"),
}
# (owner, urusan, title, the OPD of each region)
MALANG_RAYA_PKS = [
    (
        MALANG,
        "1.03",
        "Perjanjian Kerja Sama Malang Raya Bidang Pekerjaan Umum tentang Penanganan Kemacetan "
        "Lalu Lintas di Simpul Perbatasan",
        {
            MALANG: "Dinas Pekerjaan Umum dan Penataan Ruang",
            KAB_MALANG: "Dinas Pekerjaan Umum Bina Marga",
            BATU: "Dinas Pekerjaan Umum dan Penataan Ruang",
        },
    ),
    (
        BATU,
        "3.26",
        "Perjanjian Kerja Sama Malang Raya Bidang Pariwisata tentang Paket Wisata Terpadu dan "
        "Promosi Bersama",
        {
            MALANG: "Dinas Kepemudaan, Olahraga dan Pariwisata",
            KAB_MALANG: "Dinas Kebudayaan dan Pariwisata",
            BATU: "Dinas Pariwisata",
        },
    ),
    (
        KAB_MALANG,
        "3.27",
        "Perjanjian Kerja Sama Malang Raya Bidang Pertanian tentang Rantai Pasok Hasil Pertanian",
        {
            MALANG: "Dinas Ketahanan Pangan dan Pertanian",
            KAB_MALANG: "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
            BATU: "Dinas Pertanian",
        },
    ),
    (
        KAB_MALANG,
        "1.01",
        "Perjanjian Kerja Sama Malang Raya Bidang Pendidikan tentang Layanan Pendidikan di "
        "Wilayah Perbatasan",
        {
            MALANG: "Dinas Pendidikan dan Kebudayaan",
            KAB_MALANG: "Dinas Pendidikan",
            BATU: "Dinas Pendidikan",
        },
    ),
]
# Each region's internal chain: notes and its TKKSD's review, seen by nobody else.
MALANG_RAYA_PRIVATE = {
    MALANG: (
        "Catatan internal Kota Malang: kontribusi APBD untuk rekayasa lalu lintas paling banyak "
        "Rp 1,5 miliar per tahun.",
        "Telaah TKKSD Kota Malang: pasal pembiayaan bersama sudah sesuai Permendagri 22/2020.",
    ),
    KAB_MALANG: (
        "Catatan internal Kabupaten Malang: jalur alternatif Karanglo perlu pembebasan lahan.",
        "Telaah TKKSD Kabupaten Malang: lampirkan peta jalan kabupaten yang terdampak.",
    ),
    BATU: (
        "Catatan internal Kota Batu: pendapatan retribusi wisata bersama dibagi proporsional.",
        "Telaah TKKSD Kota Batu: promosi bersama tidak mengurangi kewenangan Dinas Pariwisata.",
    ),
}


# Joint preparation: the OPD staff who listed the points (email, name, region, OPD), the points
# per urusan with the heads' priorities (traffic congestion first; None: not ranked), and the two
# versions of the joint text (Kota Malang's draft, Kabupaten Malang's revision).
JOINT_OPD = [
    (
        "opd.pu.malang@jejaring.test",
        "Staf Dinas PUPR Kota Malang",
        MALANG,
        "Dinas Pekerjaan Umum dan Penataan Ruang",
    ),
    (
        "opd.pertanian.kabmalang@jejaring.test",
        "Staf Dinas Pertanian Kabupaten Malang",
        KAB_MALANG,
        "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
    ),
    (
        "opd.pendidikan.kabmalang@jejaring.test",
        "Staf Dinas Pendidikan Kabupaten Malang",
        KAB_MALANG,
        "Dinas Pendidikan",
    ),
    (
        "opd.pariwisata.batu@jejaring.test",
        "Staf Dinas Pariwisata Kota Batu",
        BATU,
        "Dinas Pariwisata",
    ),
]
# (OPD staff's email, urusan, point, priority, chosen)
MALANG_RAYA_POINTS = [
    (
        "opd.pu.malang@jejaring.test",
        "1.03",
        "Penanganan kemacetan lalu lintas di simpul perbatasan: Karanglo, Dinoyo-Tlogomas dan "
        "jalan raya Batu-Malang",
        1,
        True,
    ),
    (
        "opd.pariwisata.batu@jejaring.test",
        "3.26",
        "Paket wisata terpadu dan promosi bersama Malang Raya",
        2,
        True,
    ),
    (
        "opd.pertanian.kabmalang@jejaring.test",
        "3.27",
        "Rantai pasok sayur dan apel dari sentra produksi ke pasar kota",
        3,
        True,
    ),
    (
        "opd.pendidikan.kabmalang@jejaring.test",
        "1.01",
        "Layanan pendidikan bagi siswa di wilayah perbatasan",
        4,
        True,
    ),
    (
        "opd.pu.malang@jejaring.test",
        "2.15",
        "Angkutan umum terintegrasi antarwilayah Malang Raya",
        5,
        False,
    ),
    (
        "opd.pariwisata.batu@jejaring.test",
        "2.11",
        "Pengelolaan sampah bersama di kawasan wisata",
        None,
        False,
    ),
]
_JOINT_TEXT_V1 = """Pasal 1 Maksud dan Tujuan
Kesepakatan Bersama ini dimaksudkan sebagai pedoman kerja sama pembangunan kawasan Malang Raya.
Pasal 2 Ruang Lingkup
Ruang lingkup meliputi penanganan kemacetan lalu lintas, pariwisata, pertanian dan pendidikan.
Pasal 3 Pelaksanaan
Kesepakatan Bersama ini dilaksanakan dengan Perjanjian Kerja Sama per urusan.
Pasal 4 Jangka Waktu
Kesepakatan Bersama ini berlaku selama 3 (tiga) tahun sejak ditandatangani."""
_JOINT_TEXT_V2 = """Pasal 1 Maksud dan Tujuan
Kesepakatan Bersama ini dimaksudkan sebagai pedoman kerja sama pembangunan kawasan Malang Raya.
Pasal 2 Ruang Lingkup
Ruang lingkup meliputi, sesuai urutan prioritas para kepala daerah: penanganan kemacetan lalu
lintas di simpul perbatasan, pariwisata terpadu, rantai pasok hasil pertanian dan layanan
pendidikan di wilayah perbatasan.
Pasal 3 Pelaksanaan
Kesepakatan Bersama ini dilaksanakan dengan Perjanjian Kerja Sama per urusan.
Pasal 4 Jangka Waktu
Kesepakatan Bersama ini berlaku selama 5 (lima) tahun sejak ditandatangani."""
MALANG_RAYA_TEXT = [
    (MALANG, _JOINT_TEXT_V1, "Draf awal Bagian Kerja Sama Kota Malang"),
    (
        KAB_MALANG,
        _JOINT_TEXT_V2,
        "Ruang lingkup sesuai prioritas para kepala daerah; jangka waktu lima tahun",
    ),
]


def ensure_joint_opd_staff() -> None:
    """The OPD staff who list Malang Raya's points (same password, verified)."""
    for email, name, code, opd in JOINT_OPD:
        user = ensure_account(email, name, False)
        Membership.objects.get_or_create(
            user=user,
            tenant=Tenant.objects.get(region_id=code),
            defaults={"role": Role.OPD, "opd": opd},
        )


def _joint_preparation(records: dict, offices: dict) -> None:
    """Each region's OPD lists its points, the heads' priorities are recorded (by Kota Batu's
    office, which hosted the heads' meeting), and two versions of the joint text are added."""
    region_of = {email: code for email, _name, code, _opd in JOINT_OPD}
    for email, code, text, _rank, _chosen in MALANG_RAYA_POINTS:
        region = region_of[email]
        with tenant_context(offices[region].tenant):
            joint.propose_point.inner(
                membership=_membership(email, region),
                agreement=records[region],
                urusan=code,
                text=text,
            )
    points = {p.text: p.pk for p in shared_joint.points_of(records[MALANG].cooperation_id)}
    with tenant_context(offices[BATU].tenant):
        joint.set_priorities.inner(
            membership=offices[BATU],
            agreement=records[BATU],
            priorities={
                points[text]: (rank, chosen) for _e, _c, text, rank, chosen in MALANG_RAYA_POINTS
            },
        )
    for region, text, note in MALANG_RAYA_TEXT:
        with tenant_context(offices[region].tenant):
            joint.add_text_version.inner(
                membership=offices[region], agreement=records[region], text=text, note=note
            )


def _region_party(code: str, number: str, signatory: tuple[str, str], authority: str):
    return PartyData(
        kind=PartyKind.REGION,
        region=Region.objects.get(code=code),
        document_number=number,
        signatory_name=signatory[0],
        signatory_position=signatory[1],
        signatory_authority=authority,
    )


def _accept(office: Membership, agreement: Agreement) -> Agreement:
    with tenant_context(office.tenant):
        return partners.accept_offer.inner(
            membership=office, cooperation_pk=agreement.cooperation_id
        )


def _sign_in_turn(owner_code, records: dict, signing: dict, instrument: str) -> None:
    """Every party region signs in Kota Batu: the others as parties (the first uploads its
    copy, the next confirms it), the owner last, recording the signing itself."""
    others = [code for code in (MALANG, KAB_MALANG, BATU) if code != owner_code]
    copy = None
    for code in others:
        office, agreement = _office(code), records[code]
        with tenant_context(office.tenant):
            partners.sign_as_party.inner(
                membership=office,
                agreement=agreement,
                version=_version(agreement),
                signed_on=signing["signed_on"],
                document=None
                if copy
                else _document(
                    f"{instrument}-salinan-{code}.pdf",
                    Cooperation.objects.get(pk=agreement.cooperation_id).title,
                    [],
                    signing,
                ),
                confirms=copy,
            )
        if copy is None:
            copy = (
                SignedDocument.objects.filter(cooperation_id=agreement.cooperation_id)
                .order_by("-pk")
                .values_list("pk", flat=True)
                .first()
            )
    office, agreement = _office(owner_code), records[owner_code]
    coop = Cooperation.objects.get(pk=agreement.cooperation_id)
    with tenant_context(office.tenant):
        _step(
            office,
            agreement,
            f"sign_{instrument}",
            data=signing,
            document=_document(
                f"{instrument}-lengkap.pdf",
                coop.title,
                [
                    PartyData(
                        kind=p.kind,
                        region=p.region,
                        name=p.name,
                        document_number=p.document_number,
                        signatory_name=p.signatory_name,
                        signatory_position=p.signatory_position,
                    )
                    for p in coop.parties.select_related("region")
                ],
                signing,
            ),
        )


def _malang_raya(today: datetime.date) -> bool:
    malang, kab, batu = _office(MALANG), _office(KAB_MALANG), _office(BATU)
    if Cooperation.objects.filter(owner=malang.tenant, title=MALANG_RAYA_KSB).exists():
        return False

    def day(days_ago: int) -> datetime.date:
        return today - datetime.timedelta(days=days_ago)

    ksb_signing = _signing(day(80), "Balai Kota Among Tani, Kota Batu")
    pks_signing = _signing(day(25), "Balai Kota Among Tani, Kota Batu")
    with transaction.atomic():
        # Kota Malang prepares the joint KSB and its TKKSD reviews it.
        with tenant_context(malang.tenant):
            ksb = actions.create_agreement.inner(
                membership=malang,
                fields={
                    "kind": Kind.KSDD_WAJIB,
                    "title": MALANG_RAYA_KSB,
                    "urusan": ["1.03", "2.15", "3.26", "3.27", "1.01"],
                    "object": "Pembangunan kawasan Malang Raya: penanganan kemacetan lalu lintas, "
                    "pariwisata, pertanian dan pendidikan",
                    "scope": "Prioritas pertama: penanganan kemacetan lalu lintas di simpul "
                    "perbatasan; kemudian pariwisata terpadu, rantai pasok hasil pertanian dan "
                    "layanan pendidikan di wilayah perbatasan. Dilaksanakan dengan PKS per urusan.",
                    "purpose": "Menyelesaikan persoalan lintas wilayah Malang Raya bersama-sama.",
                    "legal_basis": "UU 23/2014 Pasal 363-369; PP 28/2018; Permendagri 22/2020",
                    "funding_source": "APBD masing-masing pihak",
                    "term_start": ksb_signing["signed_on"],
                    "term_end": _add_years(ksb_signing["signed_on"], 5),
                },
                parties=[
                    _region_party(MALANG, "180/045/35.73.112/2026", HEADS[MALANG], AUTHORITY_HEAD),
                    _region_party(
                        KAB_MALANG, "119/021/35.07.013/2026", HEADS[KAB_MALANG], AUTHORITY_HEAD
                    ),
                    _region_party(BATU, "180/017/35.79.112/2026", HEADS[BATU], AUTHORITY_HEAD),
                ],
                private={
                    "internal_notes": MALANG_RAYA_PRIVATE[MALANG][0],
                    "responsible_opd": "Bagian Kerja Sama Setda Kota Malang",
                },
            )
            _review(
                malang,
                ksb,
                [(_membership(TKKSD[MALANG], MALANG), "approve", MALANG_RAYA_PRIVATE[MALANG][1])],
            )
            _step(malang, ksb, "send_offer")
        records = {MALANG: ksb, KAB_MALANG: _accept(kab, ksb), BATU: _accept(batu, ksb)}
        # Each partner keeps its own chain: notes and its own TKKSD's review.
        for code in (KAB_MALANG, BATU):
            office, agreement = _office(code), records[code]
            with tenant_context(office.tenant):
                actions.update_agreement.inner(
                    membership=office,
                    agreement=agreement,
                    version=_version(agreement),
                    private={
                        "internal_notes": MALANG_RAYA_PRIVATE[code][0],
                        "responsible_opd": "Bagian Kerja Sama Setda",
                    },
                )
                _review(
                    office,
                    agreement,
                    [(_membership(TKKSD[code], code), "approve", MALANG_RAYA_PRIVATE[code][1])],
                )
        # The points each region's OPD listed, then the heads' priorities, in two meetings;
        # on the shared record, the inventory, the priorities and the joint text's versions.
        _joint_preparation(records, {MALANG: malang, KAB_MALANG: kab, BATU: batu})
        with tenant_context(kab.tenant):
            partners.record_meeting.inner(
                membership=kab,
                agreement=records[KAB_MALANG],
                held_on=day(110),
                place="Pendopo Kabupaten Malang, Kepanjen",
                host=Region.objects.get(code=KAB_MALANG),
                attendees="Sekretaris Daerah Kabupaten Malang; Sekretaris Daerah Kota Batu; "
                "Asisten Pemerintahan Kota Malang; OPD teknis ketiga daerah",
                minutes="Setiap OPD menyampaikan inventarisasi titik yang dapat dikerjasamakan "
                "per urusan: simpul kemacetan di perbatasan (PU dan perhubungan), paket wisata "
                "(pariwisata), rantai pasok sayur dan apel (pertanian), sekolah di perbatasan "
                "(pendidikan).",
                decisions="Inventarisasi dilaporkan kepada kepala daerah masing-masing untuk "
                "penetapan prioritas.",
                next_steps="Rapat para kepala daerah di Kota Batu.",
            )
        with tenant_context(batu.tenant):
            partners.record_meeting.inner(
                membership=batu,
                agreement=records[BATU],
                held_on=day(95),
                place="Balai Kota Among Tani, Kota Batu",
                host=Region.objects.get(code=BATU),
                attendees="Wali Kota Malang; Bupati Malang; Wali Kota Batu; Sekretaris Daerah "
                "ketiga daerah",
                minutes="Para kepala daerah membahas inventarisasi OPD ketiga daerah.",
                decisions="Prioritas pertama: penanganan kemacetan lalu lintas di simpul "
                "perbatasan (Karanglo, Dinoyo-Tlogomas, jalan raya Batu-Malang). Prioritas "
                "berikutnya: pariwisata terpadu, pertanian dan pendidikan. KSB ditandatangani "
                "di Kota Batu.",
                next_steps="Kota Malang menyusun PKS pekerjaan umum, Kota Batu PKS pariwisata, "
                "Kabupaten Malang PKS pertanian dan pendidikan.",
            )
        with tenant_context(malang.tenant):
            _step(malang, ksb, "start_ksb_drafting")
        _sign_in_turn(MALANG, records, ksb_signing, "ksb")
        with tenant_context(malang.tenant):
            _step(malang, ksb, "start_implementation")

        # One PKS per urusan, each prepared by the region that leads it, under the KSB.
        for n, (owner_code, code, title, opds) in enumerate(MALANG_RAYA_PKS):
            owner = _office(owner_code)
            dprd = code == "1.01"  # Kabupaten Malang's education PKS is not in this year's APBD
            with tenant_context(owner.tenant):
                pks = actions.create_agreement.inner(
                    membership=owner,
                    fields={
                        "kind": Kind.KSDD_WAJIB,
                        "title": title,
                        "urusan": [code],
                        "object": title.split(" tentang ")[-1],
                        "scope": f"Pelaksanaan KSB Malang Raya untuk urusan {code}.",
                        "purpose": "Melaksanakan prioritas yang ditetapkan para kepala daerah.",
                        "legal_basis": "KSB Malang Raya; PP 28/2018; Permendagri 22/2020",
                        "funding_source": "APBD masing-masing pihak",
                        "term_start": pks_signing["signed_on"],
                        "term_end": _add_years(pks_signing["signed_on"], 3),
                    },
                    parties=[
                        _region_party(
                            region,
                            f"{'119' if region == KAB_MALANG else '180'}/{code}/{region}/2026",
                            (NAMES[(n * 3 + k) % len(NAMES)], f"Kepala {opd}"),
                            f"Surat Kuasa {HEADS[region][1]}",
                        )
                        for k, (region, opd) in enumerate(opds.items())
                    ],
                    private={
                        "responsible_opd": opds[owner_code],
                        "funded_in_current_budget": not dprd,
                    },
                    parent=records[owner_code],
                )
                _review(
                    owner,
                    pks,
                    [
                        (
                            _membership(TKKSD[owner_code], owner_code),
                            "approve",
                            f"Telaah TKKSD atas PKS urusan {code}: dapat ditandatangani.",
                        )
                    ],
                )
                _step(owner, pks, "send_offer")
            pks_records = {owner_code: pks}
            for region in (MALANG, KAB_MALANG, BATU):
                if region != owner_code:
                    pks_records[region] = _accept(_office(region), pks)
            with tenant_context(owner.tenant):
                if dprd:
                    _step(owner, pks, "submit_to_dprd")
                    _step(
                        owner,
                        pks,
                        "record_dprd_approval",
                        data={
                            "dprd_decision_number": "188.4/12/KEP/35.07.040/2026",
                            "dprd_decided_on": day(40),
                        },
                    )
                else:
                    _step(owner, pks, "start_pks_drafting")
            _sign_in_turn(owner_code, pks_records, pks_signing, "pks")
            with tenant_context(owner.tenant):
                _step(owner, pks, "start_implementation")
                if owner_code == MALANG:
                    for activity, offset, status in (
                        ("Survei titik kemacetan di simpul perbatasan", -10, ActionItemStatus.DONE),
                        ("Rekayasa lalu lintas Dinoyo-Tlogomas", 60, ActionItemStatus.IN_PROGRESS),
                        ("Pelebaran simpang Karanglo", 240, ActionItemStatus.PLANNED),
                    ):
                        monitoring.add_action_item.inner(
                            membership=owner,
                            agreement=pks,
                            activity=activity,
                            owner_opd=opds[MALANG],
                            due_on=today + datetime.timedelta(days=offset),
                            status=status,
                        )
    return True


# --- 3. Kota Singkawang and Provinsi Kalimantan Barat --------------------------------------------

SINGKAWANG_KSB = (
    "Kesepakatan Bersama Pemerintah Provinsi Kalimantan Barat dan Pemerintah Kota Singkawang "
    "tentang Penyelenggaraan Urusan Pemerintahan, Pembangunan dan Kemasyarakatan"
)
SINGKAWANG_FIELDS = {
    "kind": Kind.KSDD_SUKARELA,
    "title": SINGKAWANG_KSB,
    # The three groups of urusan: basic services, other mandatory affairs, optional affairs.
    "urusan": ["1.03", "1.05", "2.11", "2.13", "2.15", "3.26"],
    "object": "Urusan pemerintahan, pembangunan dan kemasyarakatan",
    "scope": "Urusan wajib pelayanan dasar (pekerjaan umum; ketenteraman dan ketertiban); "
    "urusan wajib bukan pelayanan dasar (lingkungan hidup, pemberdayaan masyarakat, "
    "perhubungan); urusan pilihan (pariwisata).",
    "purpose": "Kerja sama yang lebih banyak dan lebih baik daripada tahun sebelumnya.",
    "legal_basis": "UU 23/2014; PP 28/2018; Permendagri 22/2020",
    "funding_source": "APBD Provinsi Kalimantan Barat dan APBD Kota Singkawang",
}
SINGKAWANG_REVISED_SCOPE = (
    SINGKAWANG_FIELDS["scope"]
    + " Termasuk penyediaan air bersih, pengendalian banjir dan peningkatan kunjungan wisatawan."
)


def _singkawang(today: datetime.date) -> bool:
    office, kalbar = _office(SINGKAWANG), _office(KALBAR)
    if Cooperation.objects.filter(owner=office.tenant, title=SINGKAWANG_KSB).exists():
        return False
    members = [
        _membership(email, SINGKAWANG) for email, _n, code in REVIEWERS if code == SINGKAWANG
    ]
    fields = {
        **SINGKAWANG_FIELDS,
        "term_start": today + datetime.timedelta(days=45),
        "term_end": _add_years(today + datetime.timedelta(days=45), 5),
    }
    with transaction.atomic():
        with tenant_context(office.tenant):
            agreement = actions.create_agreement.inner(
                membership=office,
                fields=fields,
                parties=[
                    _region_party(
                        SINGKAWANG,
                        "180/031/61.72.112/2026",
                        ("Tjhai Chui Mie", "Wali Kota Singkawang"),
                        AUTHORITY_HEAD,
                    ),
                    _region_party(
                        KALBAR,
                        "120/044/61.112/2026",
                        ("Ria Norsan", "Gubernur Kalimantan Barat"),
                        AUTHORITY_HEAD,
                    ),
                ],
                private={
                    "responsible_opd": "Bagian Pemerintahan Setda Kota Singkawang",
                    "internal_notes": "Sekda (Ketua TKKSD) meminta kerja sama lebih banyak dan "
                    "lebih baik daripada tahun lalu: air bersih, banjir, kunjungan wisatawan.",
                },
            )
            # Round 1: one member asks for a revision.
            _review(
                office,
                agreement,
                [
                    (members[0], "approve", "Sejalan dengan RPJMD Kota Singkawang."),
                    (
                        members[1],
                        "revise",
                        "Cantumkan air bersih dan pengendalian banjir dalam ruang lingkup, "
                        "serta target kunjungan wisatawan.",
                    ),
                    (members[2], "approve", "Dasar hukum sudah lengkap."),
                ],
            )
            actions.update_agreement.inner(
                membership=office,
                agreement=agreement,
                version=_version(agreement),
                fields={**fields, "scope": SINGKAWANG_REVISED_SCOPE},
                private={},
            )
            # Round 2, on the revised text: every member approves.
            _review(
                office,
                agreement,
                [
                    (members[0], "approve", "Disetujui."),
                    (members[1], "approve", "Revisi ruang lingkup sudah dimuat."),
                    (members[2], "approve", "Disetujui."),
                ],
            )
            _step(office, agreement, "send_offer")
        _accept(kalbar, agreement)
        with tenant_context(office.tenant):
            _step(office, agreement, "start_ksb_drafting")
    return True


# --- 4. A third party's proposal ---------------------------------------------------------------

PROPOSAL_TITLE = "Pendampingan Digitalisasi UMKM Kelurahan oleh Mahasiswa Universitas Mitra"
PROPOSAL_AGREEMENT = (
    "Perjanjian Kerja Sama Pemerintah Kota Malang dengan Universitas Mitra tentang Pendampingan "
    "Digitalisasi UMKM Kelurahan"
)


def _proposal(today: datetime.date) -> bool:
    office = _office(MALANG)
    proposer = User.objects.get(email=PROPOSER)
    if Proposal.objects.filter(proposer=proposer, title=PROPOSAL_TITLE).exists():
        return False
    opd_staff = _membership(OPD_MALANG, MALANG)
    details = "Perguruan tinggi swasta; Jl. Mitra Raya 1, Kota Malang; humas@mitra.test"

    def day(days_ago: int) -> datetime.date:
        return today - datetime.timedelta(days=days_ago)

    with transaction.atomic():
        proposal = proposing.submit_proposal.inner(
            user=proposer,
            tenant=office.tenant,
            data={
                "proposer_kind": ProposerKind.UNIVERSITY,
                "organisation": "Universitas Mitra",
                "organisation_details": details,
                "title": PROPOSAL_TITLE,
                "description": "Mahasiswa tingkat akhir mendampingi pelaku UMKM di 20 kelurahan "
                "Kota Malang memasarkan produknya secara daring (katalog, pembayaran QRIS, "
                "pencatatan keuangan) selama satu semester per angkatan.",
                "urusan": ["2.17", "2.16"],
            },
            attachments=[
                _document(
                    "proposal-universitas-mitra.pdf",
                    f"Proposal: {PROPOSAL_TITLE}",
                    [PartyData(kind=PartyKind.ORGANISATION, name="Universitas Mitra")],
                )
            ],
        )
        with tenant_context(office.tenant):
            proposal = triage.ask_for_more.inner(
                membership=office,
                proposal=proposal,
                version=proposal.version,
                message="Mohon lampirkan daftar kelurahan sasaran dan rencana anggaran.",
            )
        proposal = proposing.provide_more_info.inner(
            user=proposer,
            proposal=proposal,
            version=proposal.version,
            reply="Terlampir daftar 20 kelurahan sasaran; biaya mahasiswa ditanggung "
            "Universitas Mitra, Pemerintah Kota menyediakan data UMKM dan tempat pelatihan.",
            attachments=[
                _document(
                    "kelurahan-sasaran.pdf",
                    "Daftar kelurahan sasaran dan rencana anggaran",
                    [PartyData(kind=PartyKind.ORGANISATION, name="Universitas Mitra")],
                )
            ],
        )
        with tenant_context(office.tenant):
            agreement = triage.accept_proposal.inner(
                membership=office,
                proposal=proposal,
                version=proposal.version,
                kind=Kind.KSDPK,
                title=PROPOSAL_AGREEMENT,
            )
            start = day(10)
            parties = [
                _region_party(MALANG, "119/088/35.73.112/2026", WALI_KOTA_MALANG, AUTHORITY_HEAD),
                PartyData(
                    kind=PartyKind.ORGANISATION,
                    name="Universitas Mitra",
                    details=details,
                    document_number="021/UM-KS/2026",
                    signatory_name="Dewi Kartikasari",
                    signatory_position="Rektor Universitas Mitra",
                    signatory_authority="Statuta Universitas Mitra",
                ),
            ]
            actions.update_agreement.inner(
                membership=office,
                agreement=agreement,
                version=_version(agreement),
                fields={
                    "kind": Kind.KSDPK,
                    "title": PROPOSAL_AGREEMENT,
                    "urusan": ["2.17", "2.16"],
                    "object": proposal.description,
                    "scope": "Pendampingan pemasaran daring, pembayaran QRIS dan pencatatan "
                    "keuangan bagi UMKM di 20 kelurahan.",
                    "purpose": "Meningkatkan penjualan UMKM Kota Malang.",
                    "legal_basis": "PP 28/2018; Permendagri 22/2020",
                    "funding_source": "Universitas Mitra; APBD Kota Malang (tempat dan data)",
                    "term_start": start,
                    "term_end": _add_years(start, 2),
                },
                parties=parties,
                private={"responsible_opd": opd_staff.opd},
            )
            _review(
                office,
                agreement,
                [
                    (
                        _membership(TKKSD[MALANG], MALANG),
                        "approve",
                        "Tidak membebani APBD; mendukung program digitalisasi UMKM.",
                    )
                ],
            )
            _step(office, agreement, "send_offer")
            _step(office, agreement, "start_ksb_drafting")
            ksb_signing = _signing(day(40), "Balai Kota Malang", "desk_to_desk")
            _step(
                office,
                agreement,
                "sign_ksb",
                data=ksb_signing,
                document=_document(
                    "ksb-universitas-mitra.pdf", PROPOSAL_AGREEMENT, parties, ksb_signing
                ),
            )
            _step(office, agreement, "start_pks_drafting")
            pks_signing = _signing(day(10), "Universitas Mitra, Kota Malang", "hybrid")
            _step(
                office,
                agreement,
                "sign_pks",
                data=pks_signing,
                document=_document(
                    "pks-universitas-mitra.pdf", PROPOSAL_AGREEMENT, parties, pks_signing
                ),
            )
            _step(office, agreement, "start_implementation")
            # The responsible OPD keeps the action plan.
            for activity, offset, status in (
                ("Pendataan UMKM sasaran per kelurahan", 0, ActionItemStatus.DONE),
                ("Pendampingan angkatan pertama", 90, ActionItemStatus.IN_PROGRESS),
                ("Evaluasi dan pameran produk UMKM", 180, ActionItemStatus.PLANNED),
            ):
                monitoring.add_action_item.inner(
                    membership=opd_staff,
                    agreement=agreement,
                    activity=activity,
                    owner_opd=opd_staff.opd,
                    due_on=today + datetime.timedelta(days=offset),
                    status=status,
                )
    return True


# --- The step ------------------------------------------------------------------------------------


def ensure_reviewers() -> None:
    """The TKKSD members this demo needs besides tenants.demo's (same password, verified)."""
    for email, name, code in REVIEWERS:
        user = ensure_account(email, name, False)
        Membership.objects.get_or_create(
            user=user, tenant=Tenant.objects.get(region_id=code), defaults={"role": Role.TKKSD}
        )


def load(stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    started = time.monotonic()
    today = timezone.localdate()
    ensure_reviewers()
    ensure_joint_opd_staff()
    added = _kota_malang_register(today)
    if added:
        say(f"Kota Malang: {added} agreements entered in the register")
    if _malang_raya(today):
        say("Malang Raya: joint KSB and four PKS signed in Kota Batu")
    if _singkawang(today):
        say("Kota Singkawang and Provinsi Kalimantan Barat: KSB reviewed by the TKKSD")
    if _proposal(today):
        say("Universitas Mitra's proposal to Kota Malang: signed KSDPK")
    say(f"Agreements demo ready ({time.monotonic() - started:.1f} s).")
