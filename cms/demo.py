"""The public portal's demo content (a step of demo.loader after the regions and accounts): the
portal's sections, three guides, a news item and a story, the regulation library's entries for
UU 23/2014, PP 28/2018 and Permendagri 22/2020 with their metadata (no copied texts, no PDFs),
an introduction and a news item for Kota Malang's section, and Kota Malang's OPD account as the
city's portal editor (granted by its office through the real action).

Idempotent: a page is skipped when its section already has one with the same slug. The dates and
gazette numbers are only those the platform's team is sure of; the others are left empty for the
editors to fill in from the official sources rather than guessed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tenants.models import Membership

from . import editors
from .models import (
    ArticleKind,
    ArticlePage,
    GuidePage,
    RegionPage,
    RegulationKind,
    RegulationPage,
    RegulationStatus,
)
from .pages import ensure_sections

GUIDES = (
    (
        "cara-kerja-sama-daerah",
        "Bagaimana Kerja Sama Daerah berjalan",
        "Jenis kerja sama, dokumen, dan tahapannya dari persiapan sampai berakhir.",
        "<h2>Jenis kerja sama</h2><p>Daerah bekerja sama dengan daerah lain (KSDD, wajib atau "
        "sukarela), dengan pihak ketiga (KSDPK), dengan pemerintah daerah atau lembaga di luar "
        "negeri (KSDPL, KSDLL), dan dengan kementerian atau lembaga pusat (sinergi).</p>"
        "<h2>Dokumen</h2><p>Kesepakatan Bersama (KSB) ditandatangani kepala daerah sebagai "
        "kerangka; Perjanjian Kerja Sama (PKS) mengatur teknisnya dan biasanya ditandatangani "
        "kepala OPD atas kuasa kepala daerah.</p>"
        "<h2>Tahapan</h2><ol><li>Persiapan dan kajian TKKSD</li><li>Penawaran kepada mitra</li>"
        "<li>Penyusunan dan penandatanganan KSB</li><li>Persetujuan DPRD bila diperlukan</li>"
        "<li>Penyusunan dan penandatanganan PKS</li><li>Pelaksanaan rencana aksi</li>"
        "<li>Monitoring dan evaluasi</li><li>Berakhir, diperpanjang, atau diubah dengan "
        "adendum</li></ol>",
    ),
    (
        "cara-bergabung",
        "Cara daerah bergabung dengan Jejaring",
        "Permohonan, surat tugas, verifikasi, dan ruang kerja daerah.",
        "<p>Pejabat yang ditugasi mendaftarkan daerahnya melalui halaman Daftarkan daerah: "
        "jabatan, unit kerja, alamat surel dinas, dan surat tugas dalam PDF. Alamat surel dinas "
        "dikonfirmasi lewat tautan yang dikirim ke alamat itu.</p><p>Staf platform memeriksa "
        "permohonan. Setelah disetujui, daerah mendapat ruang kerjanya sendiri, pemohon menjadi "
        "administrator pertama, dan halaman profil daerah muncul di portal ini. Administrator "
        "lalu mengundang anggota: TKKSD, staf OPD, camat, lurah, dan DPRD sebagai "
        "pembaca.</p><p>Bergabung dengan Jejaring tidak dipungut biaya.</p>",
    ),
    (
        "cara-menerbitkan-listing",
        "Cara menerbitkan listing di Pasar Kerja Sama",
        "Produk unggulan, potensi, kebutuhan, dan tawaran kerja sama daerah Anda.",
        "<p>Staf OPD, camat, dan lurah menyusun listing untuk wilayahnya: judul, uraian, sektor "
        "KBLI, urusan, wilayah, kontak, masa berlaku, dan foto.</p><p>Listing diajukan kepada "
        "kantor kerja sama daerah, yang menerbitkannya atau mengembalikannya dengan alasan. "
        "Listing yang terbit dapat dicari oleh semua daerah dan pihak ketiga, yang dapat "
        "mengirim minat; minat dapat berlanjut menjadi penawaran kerja sama.</p>"
        "<p>Pemilik listing diingatkan sebelum masa berlakunya habis.</p>",
    ),
)

NEWS = (
    (
        "jejaring-dibuka",
        ArticleKind.NEWS,
        date(2026, 11, 2),
        "Jejaring dibuka untuk semua daerah",
        "Provinsi, kabupaten, dan kota dapat mendaftar untuk mengelola kerja samanya.",
        "<p>Jejaring kini menerima permohonan dari semua provinsi, kabupaten, dan kota. Setiap "
        "daerah mengelola daftar kerja samanya di ruang kerja sendiri, menawarkan produk dan "
        "potensinya di Pasar Kerja Sama, dan menemukan mitra.</p>",
    ),
    (
        "tempe-malang-ke-tarakan",
        ArticleKind.STORY,
        date(2026, 11, 16),
        "Dari Sanan ke Tarakan: tempe membuka jalan kerja sama",
        "Kebutuhan tempe di Tarakan bertemu produsen di Kelurahan Purwantoro.",
        "<p>Kota Tarakan mencari pasokan tempe untuk warganya. Lewat Pasar Kerja Sama, kantor "
        "kerja sama Tarakan menemukan listing tempe Sanan yang diterbitkan Kota Malang dan "
        "mengirim minat. Kedua kantor kini menyiapkan kesepakatan bersama.</p>",
    ),
)

REGULATIONS = (
    {
        "slug": "uu-23-2014",
        "title": "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "kind": RegulationKind.UU,
        "number": "23",
        "year": 2014,
        "subject": "Pemerintahan Daerah",
        "issuer": "Presiden Republik Indonesia",
        "enacted_on": date(2014, 9, 30),
        "promulgated_on": date(2014, 10, 2),
        "gazette": "Lembaran Negara Tahun 2014 Nomor 244, Tambahan Lembaran Negara Nomor 5587",
        "status": RegulationStatus.AMENDED,
        "status_note": "diubah, antara lain, dengan Undang-Undang Nomor 9 Tahun 2015",
        "summary": "<p>Dasar kerja sama daerah: Pasal 363 sampai 369 mengatur kerja sama daerah "
        "dengan daerah lain dan dengan pihak ketiga, kerja sama wajib dan sukarela, serta "
        "persetujuan DPRD.</p>",
    },
    {
        "slug": "pp-28-2018",
        "title": "Peraturan Pemerintah Nomor 28 Tahun 2018 tentang Kerja Sama Daerah",
        "kind": RegulationKind.PP,
        "number": "28",
        "year": 2018,
        "subject": "Kerja Sama Daerah",
        "issuer": "Presiden Republik Indonesia",
        "status": RegulationStatus.IN_FORCE,
        "summary": "<p>Mengatur jenis kerja sama daerah (dengan daerah lain, pihak ketiga, dan "
        "pemerintah daerah atau lembaga di luar negeri), tahapannya, Tim Koordinasi Kerja Sama "
        "Daerah, pembiayaan, serta pelaporan.</p>",
    },
    {
        "slug": "permendagri-22-2020",
        "title": "Peraturan Menteri Dalam Negeri Nomor 22 Tahun 2020 tentang Tata Cara Kerja "
        "Sama Daerah dengan Daerah Lain dan Kerja Sama Daerah dengan Pihak Ketiga",
        "kind": RegulationKind.PERMEN,
        "number": "22",
        "year": 2020,
        "subject": "Tata Cara Kerja Sama Daerah dengan Daerah Lain dan Kerja Sama Daerah dengan "
        "Pihak Ketiga",
        "issuer": "Menteri Dalam Negeri",
        "status": RegulationStatus.IN_FORCE,
        "summary": "<p>Tata cara teknis: persiapan, penawaran, penyusunan dan penandatanganan "
        "KSB dan PKS, persetujuan DPRD, pelaksanaan, pemantauan, dan pelaporan kerja "
        "sama.</p>",
    },
)

MALANG_INTRO = (
    "<p>Kota Malang bekerja sama dengan daerah tetangganya di Malang Raya, dengan daerah lain "
    "di Indonesia, dan dengan perguruan tinggi serta dunia usaha.</p>"
)


def _add(parent, page) -> None:
    """Add `page` under `parent` unless a page with its slug is there; publish a revision."""
    if parent.get_children().filter(slug=page.slug).exists():
        return
    parent.add_child(instance=page)
    page.save_revision().publish()


@transaction.atomic
def load(stdout=None) -> None:
    sections = ensure_sections()
    if not sections:
        return
    for slug, title, summary, body in GUIDES:
        _add(
            sections["GuideIndexPage"],
            GuidePage(slug=slug, title=title, summary=summary, body=body),
        )
    for slug, kind, day, title, summary, body in NEWS:
        _add(
            sections["NewsIndexPage"],
            ArticlePage(slug=slug, kind=kind, date=day, title=title, summary=summary, body=body),
        )
    for fields in REGULATIONS:
        _add(sections["RegulationLibraryPage"], RegulationPage(**fields))
    editors.platform_editors()
    malang = RegionPage.objects.filter(region_id="35.73").first()
    if malang is not None:
        if not malang.intro:
            malang.intro = MALANG_INTRO
            malang.save_revision().publish()
        _add(
            malang,
            ArticlePage(
                slug="pasar-kerja-sama-malang",
                kind=ArticleKind.NEWS,
                date=date(2026, 11, 20),
                title="Kota Malang menerbitkan produk unggulannya di Pasar Kerja Sama",
                summary="Tempe Sanan, keripik tempe, dan Mal Pelayanan Publik.",
                body="<p>Kantor kerja sama Kota Malang menerbitkan produk unggulan dan praktik "
                "baiknya agar daerah lain dapat menemukannya.</p>",
            ),
        )
        _grant_demo_editor()
    if stdout is not None:
        stdout.write("Portal: sections, guides, news, regulations and Kota Malang's editor.\n")


def _grant_demo_editor() -> None:
    office = Membership.objects.filter(
        tenant__region_id="35.73", user__email="admin.malang@jejaring.test"
    ).first()
    editor = (
        Membership.objects.filter(tenant__region_id="35.73", user__email="opd.malang@jejaring.test")
        .select_related("user", "tenant")
        .first()
    )
    if office is None or editor is None or editors.is_editor(editor):
        return
    editors.grant_editor(membership=editor, acting_user=office.user)
