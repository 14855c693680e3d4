"""On a region's subdomain (mounted at /portal/ by portal/urls_tenant.py): the office chooses
who edits the region's section of the public portal."""

from django.urls import path

from . import views

app_name = "cms_region"

urlpatterns = [
    path("penyunting/", views.region_editors, name="editors"),
    path("penyunting/<int:pk>/", views.region_editor_change, name="editor_change"),
]
