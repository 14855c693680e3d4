"""A region's own listings, on its subdomain (mounted at /pasar/ by portal/urls_tenant.py)."""

from django.urls import path

from search import views as search_views

from . import inquiry_views, matchmaking_views, peers_views, views

app_name = "marketplace_region"

urlpatterns = [
    path("", views.region_list, name="list"),
    path("baru/", views.listing_create, name="create"),
    path("moderasi/", views.moderation_queue, name="moderation"),
    # The synonyms of search, for the region's office (search/views.py).
    path("sinonim/", search_views.region_synonyms, name="synonyms"),
    path("sinonim/<int:pk>/hapus/", search_views.region_synonym_remove, name="synonym_remove"),
    # The partner finder (matchmaking_views.py): regions to work with, and why.
    path("mitra/", matchmaking_views.partner_finder, name="partners"),
    # The camat and lurah network (peers_views.py): peers of other regions, and what they publish.
    path("rekan/", peers_views.peer_finder, name="peers"),
    path("<int:pk>/", views.region_detail, name="detail"),
    path("<int:pk>/ubah/", views.listing_edit, name="edit"),
    path("<int:pk>/ajukan/", views.listing_submit, name="submit"),
    path("<int:pk>/terbitkan/", views.listing_publish, name="publish"),
    path("<int:pk>/kembalikan/", views.listing_return, name="return"),
    path("<int:pk>/arsipkan/", views.listing_archive, name="archive"),
    path("<int:pk>/foto/", views.photo_add, name="photo_add"),
    path("<int:pk>/foto/<int:photo_pk>/", views.region_photo, name="photo"),
    path("<int:pk>/foto/<int:photo_pk>/hapus/", views.photo_remove, name="photo_remove"),
    # Inquiries about the region's listings, and those its members sent (inquiry_views.py).
    path("minat/", inquiry_views.region_inquiries, name="inquiries"),
    path("minat/<int:pk>/", inquiry_views.region_inquiry, name="inquiry"),
    path("minat/<int:pk>/balas/", inquiry_views.region_inquiry_reply, name="inquiry_reply"),
]
