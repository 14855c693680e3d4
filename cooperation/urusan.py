"""The urusan pemerintahan (government affairs of UU 23/2014) with their national nomenclature
codes: the only values an agreement's urusan may take. Kept as a choices module rather than a
table: the list is fixed by law, changes with a new law (a code change and a migration of the
data, not an edit in a form), and a module costs no table in any schema.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (code, name in the nomenclature). Names are the law's own Indonesian terms, not translated.
URUSAN: tuple[tuple[str, str], ...] = (
    ("1.01", "Pendidikan"),
    ("1.02", "Kesehatan"),
    ("1.03", "Pekerjaan Umum dan Penataan Ruang"),
    ("1.04", "Perumahan Rakyat dan Kawasan Permukiman"),
    ("1.05", "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"),
    ("1.06", "Sosial"),
    ("2.07", "Tenaga Kerja"),
    ("2.08", "Pemberdayaan Perempuan dan Pelindungan Anak"),
    ("2.09", "Pangan"),
    ("2.10", "Pertanahan"),
    ("2.11", "Lingkungan Hidup"),
    ("2.12", "Administrasi Kependudukan dan Pencatatan Sipil"),
    ("2.13", "Pemberdayaan Masyarakat dan Desa"),
    ("2.14", "Pengendalian Penduduk dan Keluarga Berencana"),
    ("2.15", "Perhubungan"),
    ("2.16", "Komunikasi dan Informatika"),
    ("2.17", "Koperasi, Usaha Kecil, dan Menengah"),
    ("2.18", "Penanaman Modal"),
    ("2.19", "Kepemudaan dan Olahraga"),
    ("2.20", "Statistik"),
    ("2.21", "Persandian"),
    ("2.22", "Kebudayaan"),
    ("2.23", "Perpustakaan"),
    ("2.24", "Kearsipan"),
    ("3.25", "Kelautan dan Perikanan"),
    ("3.26", "Pariwisata"),
    ("3.27", "Pertanian"),
    ("3.28", "Kehutanan"),
    ("3.29", "Energi dan Sumber Daya Mineral"),
    ("3.30", "Perdagangan"),
    ("3.31", "Perindustrian"),
    ("3.32", "Transmigrasi"),
)
NAMES: dict[str, str] = dict(URUSAN)
CHOICES: list[tuple[str, str]] = [(code, f"{code} {name}") for code, name in URUSAN]

GROUPS = {
    "1": _("Mandatory, basic services"),
    "2": _("Mandatory, non-basic services"),
    "3": _("Optional"),
}


def label(code: str) -> str:
    """`3.26 Pariwisata`, or the code itself for a code this list does not know."""
    name = NAMES.get(code)
    return f"{code} {name}" if name else code
