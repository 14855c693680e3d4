"""The open data on the platform (mounted at /data/ by portal/urls_public.py)."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalog.<slug:fmt>", views.catalog, name="catalog"),
    path("dataset/<slug:name>/", views.dataset_page, name="dataset"),
    path("kamus/<slug:name>/", views.dictionary_page, name="dictionary"),
    path("kamus/<slug:name>.json", views.dictionary_json, name="schema"),
    path("kerja-sama/tahunan.json", views.yearly, name="yearly"),
    path("unduh/<str:name>", views.download, name="download"),
]
