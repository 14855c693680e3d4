"""The marketplace on the platform (mounted at /pasar/ by portal/urls_public.py): search across
all regions and the public listings."""

from django.urls import path

from . import inquiry_views, views

app_name = "marketplace"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/foto/<int:photo_pk>/", views.public_photo, name="photo"),
    # Inquiries (inquiry_views.py): send one from a listing; the inquirer's threads.
    path("<int:pk>/minat/", inquiry_views.inquire, name="inquire"),
    path("minat/", inquiry_views.my_inquiries, name="my_inquiries"),
    path("minat/<int:pk>/", inquiry_views.inquiry_detail, name="inquiry"),
    path("minat/<int:pk>/usulan/", inquiry_views.inquiry_proposal, name="inquiry_proposal"),
]
