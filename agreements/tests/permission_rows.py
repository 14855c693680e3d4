"""The agreements' rows of the permission matrix: the register on a region's subdomain (its
lifecycle, documents, reviews, monitoring, outputs, partners, joint preparation, proposals) and
an inquiry made into an offer.

Collected into the permission matrix by tests/permission_matrix.py (all_rows, which also applies
the lurah's rule: {agreement} is outside the lurah's area). Fixtures the paths name in braces are
built in tests/test_permission_matrix.py (world)."""

from __future__ import annotations

from tests.permission_matrix import MANAGERS, Row, workspace

# The agreements' register (agreements/policy.py): the office, the TKKSD and OPD staff read all of
# it; viewers (the DPRD) the dossiers they are given, camat and lurah the agreements of their area
# (readable_agreements), none of them the region's internal chain. {agreement}'s dossier is the
# viewer actor's and it concerns the camat's kecamatan, not the lurah's kelurahan: on its pages
# the lurah gets 404 (tests/permission_matrix.py: _outside_the_lurahs_area).
AGREEMENT_READERS = ("admin", "tkksd", "opd", "viewer", "camat", "lurah")
AGREEMENT_INTERNAL_READERS = ("admin", "tkksd", "opd")
AGREEMENT_EDITORS = ("admin", "opd")
# Offers from other regions and proposals (agreements/policy.py): the office and the TKKSD read
# them; the office answers and triages.
OFFER_READERS = ("admin", "tkksd")
PROPOSAL_READERS = ("admin", "tkksd")
# The action plan and monitoring reports: the office, and OPD staff of the agreement's
# responsible OPD (agreements.policy.can_work_on_agreement); the sample agreement is the OPD
# actor's.
AGREEMENT_MONITORS = ("admin", "opd")
# The register's outputs (agreements/policy.py): every reader downloads the list; the office
# imports; the office and the TKKSD produce the semester report.
AGREEMENT_REPORTERS = ("admin", "tkksd")


# fmt: off
ROWS: list[Row] = [
    # --- The agreements' register (agreements/urls.py): {agreement} is a signed KSB ----------
    Row("kerja-sama/", "region", "/kerja-sama/", workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/baru/", "region", "/kerja-sama/baru/", workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/baru/tertandatangan/", "region", "/kerja-sama/baru/tertandatangan/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/", "region", "/kerja-sama/{agreement}/",
        workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/<int:pk>/ubah/", "region", "/kerja-sama/{agreement}/ubah/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/tahap/<slug:transition>/", "region",
        "/kerja-sama/{agreement}/tahap/start_implementation/", workspace(*MANAGERS),
        note="the cooperation office runs the lifecycle"),
    Row("kerja-sama/<int:pk>/tertandatangan/<int:document_pk>/unduh/", "region",
        "/kerja-sama/{agreement}/tertandatangan/{signed_document}/unduh/",
        workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/<int:pk>/dokumen/", "region", "/kerja-sama/{agreement}/dokumen/",
        workspace(*AGREEMENT_EDITORS), method="POST", note="an empty upload: told what is missing"),
    Row("kerja-sama/<int:pk>/dokumen/<int:document_pk>/unduh/", "region",
        "/kerja-sama/{agreement}/dokumen/{internal_document}/unduh/",
        workspace(*AGREEMENT_INTERNAL_READERS), note="the region's internal chain"),
    Row("kerja-sama/<int:pk>/tinjauan/minta/", "region", "/kerja-sama/{agreement}/tinjauan/minta/",
        workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/<int:pk>/tinjauan/", "region", "/kerja-sama/{agreement}/tinjauan/",
        workspace("tkksd"), note="TKKSD members record their recommendation"),
    # Carrying it out (agreements/monitoring/views.py)
    Row("kerja-sama/<int:pk>/rencana-aksi/baru/", "region",
        "/kerja-sama/{agreement}/rencana-aksi/baru/", workspace(*AGREEMENT_MONITORS),
        note="OPD staff of another OPD get 403 (agreements/tests/test_monitoring_views.py)"),
    Row("kerja-sama/<int:pk>/rencana-aksi/<int:item_pk>/ubah/", "region",
        "/kerja-sama/{agreement}/rencana-aksi/{action_item}/ubah/",
        workspace(*AGREEMENT_MONITORS)),
    Row("kerja-sama/<int:pk>/rencana-aksi/<int:item_pk>/hapus/", "region",
        "/kerja-sama/{agreement}/rencana-aksi/{action_item}/hapus/",
        workspace(*AGREEMENT_MONITORS), method="POST",
        note="without the version it is refused as stale: nothing removed"),
    Row("kerja-sama/<int:pk>/monev/baru/", "region", "/kerja-sama/{agreement}/monev/baru/",
        workspace(*AGREEMENT_MONITORS)),
    Row("kerja-sama/<int:pk>/monev/<int:report_pk>/", "region",
        "/kerja-sama/{agreement}/monev/{monitoring_report}/",
        workspace(*AGREEMENT_INTERNAL_READERS), note="the region's working record"),
    Row("kerja-sama/pemberitahuan/", "region", "/kerja-sama/pemberitahuan/",
        workspace(*AGREEMENT_INTERNAL_READERS), note="OPD staff see their OPD's reminders"),
    Row("kerja-sama/pengaturan-pengingat/", "region", "/kerja-sama/pengaturan-pengingat/",
        workspace(*MANAGERS)),
    Row("kerja-sama/pengaturan-pengingat/tahap/", "region",
        "/kerja-sama/pengaturan-pengingat/tahap/", workspace(*MANAGERS), method="POST",
        note="the stages' labels: all blank restores the defaults"),
    # Who reads it besides the whole register's readers (agreements/register/scope_views.py)
    Row("kerja-sama/<int:pk>/wilayah/", "region", "/kerja-sama/{agreement}/wilayah/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/dosier/", "region", "/kerja-sama/{agreement}/dosier/",
        workspace(*MANAGERS), note="the office gives viewers the dossier"),
    Row("kerja-sama/<int:pk>/dosier/<int:member_pk>/cabut/", "region",
        "/kerja-sama/{agreement}/dosier/{member}/cabut/", workspace(*MANAGERS), method="POST",
        note="withdrawn from the viewer {member} (not the viewer actor)"),
    # The register's outputs and bulk input (agreements/import_export/, agreements/reports/)
    Row("kerja-sama/ekspor/<slug:fmt>/", "region", "/kerja-sama/ekspor/xlsx/?kind=ksdd_sukarela",
        workspace(*AGREEMENT_READERS), note="the list, filtered, as a spreadsheet"),
    Row("kerja-sama/impor/", "region", "/kerja-sama/impor/", workspace(*MANAGERS)),
    Row("kerja-sama/impor/", "region", "/kerja-sama/impor/", workspace(*MANAGERS),
        method="POST", note="an empty upload: told what is missing"),
    Row("kerja-sama/impor/templat/<slug:fmt>/", "region", "/kerja-sama/impor/templat/xlsx/",
        workspace(*MANAGERS)),
    Row("kerja-sama/laporan-semester/", "region", "/kerja-sama/laporan-semester/",
        workspace(*AGREEMENT_REPORTERS)),
    Row("kerja-sama/laporan-semester/<int:year>/<int:half>/<slug:fmt>/", "region",
        "/kerja-sama/laporan-semester/2026/1/xlsx/", workspace(*AGREEMENT_REPORTERS)),
    Row("kerja-sama/laporan-semester/<int:year>/<int:half>/<slug:fmt>/", "region",
        "/kerja-sama/laporan-semester/2026/1/pdf/", workspace(*AGREEMENT_REPORTERS),
        method="POST", note="the letter's details missing: told what is missing"),
    Row("kerja-sama/dasbor/", "region", "/kerja-sama/dasbor/", workspace(*AGREEMENT_READERS)),
    # Offers between regions, meetings, proposals (agreements/partners/, proposals/): {offer} is an
    # offer from Kota Batu to Kota Malang; {shared} the shared record of {agreement}; {proposal}
    # a proposal to Kota Malang from the third party's account, {proposal_attachment} its PDF.
    Row("kerja-sama/tawaran/", "region", "/kerja-sama/tawaran/", workspace(*OFFER_READERS)),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/", "region", "/kerja-sama/tawaran/{offer}/",
        workspace(*OFFER_READERS), note="the shared part only"),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/terima/", "region",
        "/kerja-sama/tawaran/{offer}/terima/", workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/tolak/", "region",
        "/kerja-sama/tawaran/{offer}/tolak/", workspace(*MANAGERS)),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/tolak/", "region",
        "/kerja-sama/tawaran/{offer}/tolak/", workspace(*MANAGERS), method="POST",
        note="without a reason: told what is missing"),
    Row("kerja-sama/bersama/<int:cooperation_pk>/", "region", "/kerja-sama/bersama/{shared}/",
        workspace(*AGREEMENT_READERS), note="to the region's own record of it"),
    Row("kerja-sama/<int:pk>/tanda-tangan/", "region", "/kerja-sama/{agreement}/tanda-tangan/",
        workspace(*MANAGERS), note="the office signs for the region"),
    Row("kerja-sama/<int:pk>/rapat/", "region", "/kerja-sama/{agreement}/rapat/",
        workspace(*AGREEMENT_READERS), note="every party sees the meetings"),
    Row("kerja-sama/<int:pk>/rapat/baru/", "region", "/kerja-sama/{agreement}/rapat/baru/",
        workspace(*AGREEMENT_EDITORS)),
    # Joint preparation (agreements/partners/joint_views.py): the parties' inventory of
    # points and the heads' priorities, the joint text's versions ({text_version}, a PDF version
    # of {agreement}'s text), the region's own DPRD decision. {agreement} is signed, so the
    # writes answer 409 (told why) to those who may make them.
    Row("kerja-sama/<int:pk>/inventaris/", "region", "/kerja-sama/{agreement}/inventaris/",
        workspace(*AGREEMENT_READERS), note="every party sees the whole inventory"),
    Row("kerja-sama/<int:pk>/inventaris/baru/", "region",
        "/kerja-sama/{agreement}/inventaris/baru/", workspace(*AGREEMENT_EDITORS),
        method="POST", note="the office and OPD staff list points"),
    Row("kerja-sama/<int:pk>/inventaris/prioritas/", "region",
        "/kerja-sama/{agreement}/inventaris/prioritas/", workspace(*MANAGERS),
        note="the office records the heads' priorities"),
    Row("kerja-sama/<int:pk>/inventaris/ambil/", "region",
        "/kerja-sama/{agreement}/inventaris/ambil/", workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/<int:pk>/naskah/", "region", "/kerja-sama/{agreement}/naskah/",
        workspace(*AGREEMENT_READERS), note="every party sees the versions"),
    Row("kerja-sama/<int:pk>/naskah/baru/", "region", "/kerja-sama/{agreement}/naskah/baru/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/naskah/<int:version_pk>/unduh/", "region",
        "/kerja-sama/{agreement}/naskah/{text_version}/unduh/", workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/<int:pk>/dprd/", "region", "/kerja-sama/{agreement}/dprd/",
        workspace(*MANAGERS), note="the region's own DPRD step, in its register only"),
    Row("kerja-sama/usulan/", "region", "/kerja-sama/usulan/", workspace(*PROPOSAL_READERS)),
    Row("kerja-sama/usulan/<int:pk>/", "region", "/kerja-sama/usulan/{proposal}/",
        workspace(*PROPOSAL_READERS)),
    Row("kerja-sama/usulan/<int:pk>/terima/", "region", "/kerja-sama/usulan/{proposal}/terima/",
        workspace(*MANAGERS), method="POST", note="an empty form: told what is missing"),
    Row("kerja-sama/usulan/<int:pk>/minta-info/", "region",
        "/kerja-sama/usulan/{proposal}/minta-info/", workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/usulan/<int:pk>/tolak/", "region", "/kerja-sama/usulan/{proposal}/tolak/",
        workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/usulan/<int:pk>/lampiran/<int:attachment_pk>/", "region",
        "/kerja-sama/usulan/{proposal}/lampiran/{proposal_attachment}/",
        workspace(*PROPOSAL_READERS)),
    # --- An inquiry a member sent for the region, made into an offer (agreements/proposals/)
    Row("kerja-sama/dari-minat/<int:inquiry_pk>/", "region",
        "/kerja-sama/dari-minat/{inquiry_out}/", workspace(*MANAGERS),
        note="the office of the region the inquiry was sent for"),
    Row("kerja-sama/dari-minat/<int:inquiry_pk>/", "region",
        "/kerja-sama/dari-minat/{inquiry_out}/", workspace(*MANAGERS), method="POST",
        note="an empty form: told what is missing"),
]
# fmt: on
