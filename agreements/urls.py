from django.urls import path

from . import inquiry_views, report_views, scope_views, views
from .monitoring_views import (
    action_item_create,
    action_item_delete,
    action_item_edit,
    monitoring_create,
    monitoring_detail,
    notifications,
    reminder_settings,
)
from .partner_urls import urlpatterns as partner_urlpatterns

app_name = "agreements"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("baru/", views.agreement_create, name="create"),
    path("baru/tertandatangan/", views.agreement_create, {"signed": True}, name="create_signed"),
    # The register's outputs and bulk input (report_views.py).
    path("ekspor/<slug:fmt>/", report_views.register_export, name="export"),
    path("impor/", report_views.register_import, name="import"),
    path("impor/templat/<slug:fmt>/", report_views.import_template, name="import_template"),
    path("laporan-semester/", report_views.semester_report, name="semester_report"),
    path(
        "laporan-semester/<int:year>/<int:half>/<slug:fmt>/",
        report_views.semester_report_download,
        name="semester_report_download",
    ),
    path("dasbor/", report_views.register_dashboard, name="dashboard"),
    # An inquiry a member sent about another region's listing, as an offer (inquiry_views.py).
    path("dari-minat/<int:inquiry_pk>/", inquiry_views.offer_from_inquiry, name="from_inquiry"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/ubah/", views.agreement_edit, name="edit"),
    path("<int:pk>/tahap/<slug:transition>/", views.agreement_transition, name="transition"),
    path(
        "<int:pk>/tertandatangan/<int:document_pk>/unduh/",
        views.signed_document_download,
        name="signed_document",
    ),
    path("<int:pk>/dokumen/", views.internal_document_upload, name="document_upload"),
    path(
        "<int:pk>/dokumen/<int:document_pk>/unduh/",
        views.internal_document_download,
        name="document_download",
    ),
    path("<int:pk>/tinjauan/minta/", views.review_request, name="review_request"),
    path("<int:pk>/tinjauan/", views.review_record, name="review"),
    # Carrying it out (monitoring_views.py): the action plan, monitoring reports, reminders.
    path("<int:pk>/rencana-aksi/baru/", action_item_create, name="action_item_create"),
    path("<int:pk>/rencana-aksi/<int:item_pk>/ubah/", action_item_edit, name="action_item_edit"),
    path(
        "<int:pk>/rencana-aksi/<int:item_pk>/hapus/", action_item_delete, name="action_item_delete"
    ),
    path("<int:pk>/monev/baru/", monitoring_create, name="monitoring_create"),
    path("<int:pk>/monev/<int:report_pk>/", monitoring_detail, name="monitoring_detail"),
    path("pemberitahuan/", notifications, name="notifications"),
    path("pengaturan-pengingat/", reminder_settings, name="reminder_settings"),
    path("pengaturan-pengingat/tahap/", scope_views.stage_labels, name="stage_labels"),
    # Who reads it besides the whole register's readers (scope_views.py): its areas, its
    # DPRD dossier.
    path("<int:pk>/wilayah/", scope_views.agreement_areas, name="areas"),
    path("<int:pk>/dosier/", scope_views.agreement_dossier, name="dossier"),
    path(
        "<int:pk>/dosier/<int:member_pk>/cabut/",
        scope_views.agreement_dossier_withdraw,
        name="dossier_withdraw",
    ),
]

# Offers between regions, meetings between the parties, proposals (partner_urls.py).
urlpatterns += partner_urlpatterns
