"""The agreements' routes on a region's subdomain, under /kerja-sama/ (portal/urls_tenant.py), one
`agreements` namespace. Grouped as the package is: each group's views are in the subpackage of
the same name."""

from django.urls import path

from agreements.import_export import views as import_export
from agreements.monitoring import views as monitoring
from agreements.partners import joint_views as joint
from agreements.partners import views as partners
from agreements.proposals import inquiry_views as inquiries
from agreements.proposals import views as proposals
from agreements.register import scope_views as scope
from agreements.register import views as register
from agreements.reports import views as reports

app_name = "agreements"

urlpatterns = [
    # The register and its lifecycle (register/views.py)
    path("", register.register_list, name="list"),
    path("baru/", register.agreement_create, name="create"),
    path("baru/tertandatangan/", register.agreement_create, {"signed": True}, name="create_signed"),
    # The register's export and the import of old agreements (import_export/views.py)
    path("ekspor/<slug:fmt>/", import_export.register_export, name="export"),
    path("impor/", import_export.register_import, name="import"),
    path("impor/templat/<slug:fmt>/", import_export.import_template, name="import_template"),
    # The semester report and the dashboard (reports/views.py)
    path("laporan-semester/", reports.semester_report, name="semester_report"),
    path(
        "laporan-semester/<int:year>/<int:half>/<slug:fmt>/",
        reports.semester_report_download,
        name="semester_report_download",
    ),
    path("dasbor/", reports.register_dashboard, name="dashboard"),
    # An inquiry a member sent about another region's listing, as an offer
    # (proposals/inquiry_views.py)
    path("dari-minat/<int:inquiry_pk>/", inquiries.offer_from_inquiry, name="from_inquiry"),
    path("<int:pk>/", register.agreement_detail, name="detail"),
    path("<int:pk>/ubah/", register.agreement_edit, name="edit"),
    path("<int:pk>/tahap/<slug:transition>/", register.agreement_transition, name="transition"),
    path(
        "<int:pk>/tertandatangan/<int:document_pk>/unduh/",
        register.signed_document_download,
        name="signed_document",
    ),
    path(
        "<int:pk>/tertandatangan/<int:document_pk>/tanda-tangan/terima/",
        register.signed_document_accept,
        name="signed_document_accept",
    ),
    path("<int:pk>/dokumen/", register.internal_document_upload, name="document_upload"),
    path(
        "<int:pk>/dokumen/<int:document_pk>/unduh/",
        register.internal_document_download,
        name="document_download",
    ),
    path("<int:pk>/tinjauan/minta/", register.review_request, name="review_request"),
    path("<int:pk>/tinjauan/", register.review_record, name="review"),
    # Carrying it out (monitoring/views.py): the action plan, monitoring reports, reminders.
    path("<int:pk>/rencana-aksi/baru/", monitoring.action_item_create, name="action_item_create"),
    path(
        "<int:pk>/rencana-aksi/<int:item_pk>/ubah/",
        monitoring.action_item_edit,
        name="action_item_edit",
    ),
    path(
        "<int:pk>/rencana-aksi/<int:item_pk>/hapus/",
        monitoring.action_item_delete,
        name="action_item_delete",
    ),
    path("<int:pk>/monev/baru/", monitoring.monitoring_create, name="monitoring_create"),
    path("<int:pk>/monev/<int:report_pk>/", monitoring.monitoring_detail, name="monitoring_detail"),
    path("pemberitahuan/", monitoring.notifications, name="notifications"),
    path("pengaturan-pengingat/", monitoring.reminder_settings, name="reminder_settings"),
    path("pengaturan-pengingat/tahap/", scope.stage_labels, name="stage_labels"),
    # Who reads it besides the whole register's readers (register/scope_views.py): its areas,
    # its DPRD dossier.
    path("<int:pk>/wilayah/", scope.agreement_areas, name="areas"),
    path("<int:pk>/dosier/", scope.agreement_dossier, name="dossier"),
    path(
        "<int:pk>/dosier/<int:member_pk>/cabut/",
        scope.agreement_dossier_withdraw,
        name="dossier_withdraw",
    ),
    # Offers from other regions, signing as a party, meetings between the parties
    # (partners/views.py)
    path("tawaran/", partners.inbox, name="offers"),
    path("tawaran/<int:cooperation_pk>/", partners.offer_detail, name="offer"),
    path("tawaran/<int:cooperation_pk>/terima/", partners.offer_accept, name="offer_accept"),
    path("tawaran/<int:cooperation_pk>/tolak/", partners.offer_decline, name="offer_decline"),
    path("bersama/<int:cooperation_pk>/", partners.shared, name="shared"),
    path("<int:pk>/tanda-tangan/", partners.party_sign, name="party_sign"),
    path("<int:pk>/rapat/", partners.meetings, name="meetings"),
    path("<int:pk>/rapat/baru/", partners.meeting_record, name="meeting_record"),
    # Joint preparation (partners/joint_views.py): the parties' inventory of points and
    # priorities, the joint text's versions, the region's own DPRD decision
    path("<int:pk>/inventaris/", joint.points, name="joint_points"),
    path("<int:pk>/inventaris/baru/", joint.point_add, name="joint_point_add"),
    path("<int:pk>/inventaris/prioritas/", joint.priorities, name="joint_priorities"),
    path("<int:pk>/inventaris/ambil/", joint.adopt, name="joint_adopt"),
    path("<int:pk>/naskah/", joint.versions, name="joint_versions"),
    path("<int:pk>/naskah/baru/", joint.version_add, name="joint_version_add"),
    path(
        "<int:pk>/naskah/<int:version_pk>/unduh/",
        joint.version_download,
        name="joint_version_download",
    ),
    path("<int:pk>/dprd/", joint.own_dprd, name="own_dprd"),
    # Proposals sent to the region (proposals/views.py)
    path("usulan/", proposals.proposal_list, name="proposals"),
    path("usulan/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("usulan/<int:pk>/terima/", proposals.proposal_accept, name="proposal_accept"),
    path("usulan/<int:pk>/minta-info/", proposals.proposal_ask, name="proposal_ask"),
    path("usulan/<int:pk>/tolak/", proposals.proposal_decline, name="proposal_decline"),
    path(
        "usulan/<int:pk>/lampiran/<int:attachment_pk>/",
        proposals.proposal_attachment,
        name="proposal_attachment",
    ),
]
