"""The marketplace on the platform (mounted at /pasar/ by portal/urls_public.py): search across
all regions and the public listings."""

from django.urls import path

from . import views

app_name = "marketplace"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/foto/<int:photo_pk>/", views.public_photo, name="photo"),
]
