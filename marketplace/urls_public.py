"""The marketplace on the platform (mounted at /pasar/ by portal/urls_public.py): search across
all regions and the public listings."""

from django.urls import path

from search import views as search_views

from . import download_views, inquiry_views, views

app_name = "marketplace"

urlpatterns = [
    path("", views.search_page, name="search"),
    # Every listing the search shows, as CSV or JSON (download_views.py).
    path("unduh/<slug:fmt>/", download_views.bulk_download, name="download"),
    # Saved searches (views.py, saved_searches.py): keep a search; the daily digest's page.
    path("tersimpan/", views.saved_search_list, name="saved_searches"),
    path("tersimpan/baru/", views.saved_search_new, name="saved_search_new"),
    path("tersimpan/<int:pk>/hapus/", views.saved_search_delete, name="saved_search_delete"),
    # The synonyms of search, for platform staff (search/views.py).
    path("sinonim/", search_views.platform_synonyms, name="synonyms"),
    path("sinonim/<int:pk>/hapus/", search_views.platform_synonym_remove, name="synonym_remove"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/foto/<int:photo_pk>/", views.public_photo, name="photo"),
    # Inquiries (inquiry_views.py): send one from a listing; the inquirer's threads.
    path("<int:pk>/minat/", inquiry_views.inquire, name="inquire"),
    path("minat/", inquiry_views.my_inquiries, name="my_inquiries"),
    path("minat/<int:pk>/", inquiry_views.inquiry_detail, name="inquiry"),
    path("minat/<int:pk>/usulan/", inquiry_views.inquiry_proposal, name="inquiry_proposal"),
]
