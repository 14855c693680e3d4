"""A region's workspace, at <slug>.<base domain> (the region's schema)."""

from django.urls import include, path

from workspace import views

from .urls_common import urlpatterns as common_urlpatterns

workspace_patterns = (
    [
        path("", views.dashboard, name="dashboard"),
        path("anggota/", views.members, name="members"),
        path("anggota/<int:pk>/ubah/", views.member_edit, name="member_edit"),
        path("anggota/<int:pk>/hapus/", views.member_remove, name="member_remove"),
        path("undangan/<int:pk>/cabut/", views.invitation_revoke, name="invitation_revoke"),
        path("undangan/<str:token>/", views.accept_invitation, name="accept_invitation"),
        path("dokumen/", views.documents, name="documents"),
        path("dokumen/<int:pk>/unduh/", views.document_download, name="document_download"),
        path("riwayat/", views.history, name="history"),
    ],
    "workspace",
)

urlpatterns = [*common_urlpatterns, path("", include(workspace_patterns))]
