"""The CKAN-compatible read API (mounted at /api/ by portal/urls_public.py): CKAN's action API
path, and the one ckanapi calls without the version."""

from django.urls import path

from . import views

urlpatterns = [
    path("3/action/<slug:action>", views.ckan_action, name="ckan_action"),
    path("action/<slug:action>", views.ckan_action, name="ckan_action_unversioned"),
]
