"""The national side of reporting upward, on the platform (mounted at the root by
portal/urls_public.py): the Ministry's view, staff's page for the Ministry's role, and the
public open data (reporting/views_national.py)."""

from django.urls import path

from . import views_national as views

app_name = "national"

urlpatterns = [
    # The Ministry's officials (reporting/ministry.py).
    path("nasional/laporan/", views.overview, name="overview"),
    path(
        "nasional/laporan/<int:year>/<int:half>/unduh/<slug:fmt>/",
        views.compilation_download,
        name="download",
    ),
    path("nasional/laporan/kiriman/<int:pk>/", views.submission_detail, name="submission"),
    path(
        "nasional/laporan/kiriman/<int:pk>/berkas/<slug:kind>/",
        views.submission_file,
        name="submission_file",
    ),
    # Platform staff.
    path("platform/kemendagri/", views.officials, name="officials"),
    path("platform/kemendagri/<int:pk>/cabut/", views.official_revoke, name="official_revoke"),
    # The public portal's open data: figures only.
    path("laporan-kerja-sama/", views.open_data_index, name="open_data_index"),
    path("laporan-kerja-sama/<int:year>/<int:half>/", views.open_data_page, name="open_data"),
    path(
        "laporan-kerja-sama/<int:year>/<int:half>/unduh/<slug:fmt>/",
        views.open_data_download,
        name="open_data_download",
    ),
]
