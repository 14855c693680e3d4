"""The sectors of a listing: the 21 sections (kategori A–U) of KBLI 2020, Klasifikasi Baku
Lapangan Usaha Indonesia (Peraturan Badan Pusat Statistik Nomor 2 Tahun 2020), Indonesia's
published classification of economic activities, itself aligned with the UN's ISIC Rev. 4.

A choices module, not a table: the list is fixed by the classification and changes only with a
new edition. Names are BPS's own Indonesian titles, not translated.
"""

from __future__ import annotations

SECTIONS: tuple[tuple[str, str], ...] = (
    ("A", "Pertanian, Kehutanan dan Perikanan"),
    ("B", "Pertambangan dan Penggalian"),
    ("C", "Industri Pengolahan"),
    ("D", "Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin"),
    (
        "E",
        "Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, "
        "dan Aktivitas Remediasi",
    ),
    ("F", "Konstruksi"),
    ("G", "Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor"),
    ("H", "Pengangkutan dan Pergudangan"),
    ("I", "Penyediaan Akomodasi dan Penyediaan Makan Minum"),
    ("J", "Informasi dan Komunikasi"),
    ("K", "Aktivitas Keuangan dan Asuransi"),
    ("L", "Real Estat"),
    ("M", "Aktivitas Profesional, Ilmiah dan Teknis"),
    (
        "N",
        "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan "
        "dan Penunjang Usaha Lainnya",
    ),
    ("O", "Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib"),
    ("P", "Pendidikan"),
    ("Q", "Aktivitas Kesehatan Manusia dan Aktivitas Sosial"),
    ("R", "Kesenian, Hiburan dan Rekreasi"),
    ("S", "Aktivitas Jasa Lainnya"),
    (
        "T",
        "Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan "
        "Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri",
    ),
    ("U", "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya"),
)
NAMES: dict[str, str] = dict(SECTIONS)
CHOICES: list[tuple[str, str]] = [(code, f"{code} {name}") for code, name in SECTIONS]


def label(code: str) -> str:
    """`C Industri Pengolahan`, or the code itself for a code this list does not know."""
    name = NAMES.get(code)
    return f"{code} {name}" if name else code
