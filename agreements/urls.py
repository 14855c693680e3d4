from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("baru/", views.agreement_create, name="create"),
    path("baru/tertandatangan/", views.agreement_create, {"signed": True}, name="create_signed"),
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
]
