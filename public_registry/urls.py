"""The public registry on the platform (mounted at /kerja-sama/ by portal/urls_public.py)."""

from django.urls import path

from . import feeds, views

app_name = "public_registry"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("unduh/<slug:fmt>/", views.bulk_download, name="download"),
    path("perubahan/", views.change_feed, name="changes"),
    path("umpan/", feeds.LatestAgreementsFeed(), name="feed"),
    path("umpan/daerah/<str:code>/", feeds.RegionFeed(), name="region_feed"),
    path("umpan/urusan/<str:code>/", feeds.UrusanFeed(), name="urusan_feed"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/dokumen/<int:document_pk>/", views.document_download, name="document"),
    path("<int:pk>/versi/<int:number>/", views.version_json, name="version"),
]
