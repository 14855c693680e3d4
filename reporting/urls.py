"""Reporting's pages on a region's subdomain (included under /laporan/ by portal/urls_tenant.py):
the region's own reports, and on a province's subdomain its review of its kabupaten/kota."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.submissions, name="submissions"),
    path("kirim/<int:year>/<int:half>/", views.submit_report, name="submit"),
    path("<int:pk>/", views.submission, name="submission"),
    path("<int:pk>/unduh/<slug:kind>/", views.submission_file, name="submission_file"),
    path("<int:pk>/koreksi/", views.correct, name="correct"),
    # A province's office: its kabupaten/kota's reports, paper reports, the compilation.
    path("provinsi/", views.province, name="province"),
    path("provinsi/<int:pk>/", views.province_submission, name="province_submission"),
    path("provinsi/<int:pk>/unduh/<slug:kind>/", views.province_file, name="province_file"),
    path("provinsi/<int:pk>/terima/", views.province_accept, name="province_accept"),
    path("provinsi/<int:pk>/kembalikan/", views.province_return, name="province_return"),
    path(
        "provinsi/kertas/<str:code>/<int:year>/<int:half>/",
        views.province_paper,
        name="province_paper",
    ),
    path("provinsi/rekap/<int:year>/<int:half>/", views.province_compile, name="province_compile"),
]
