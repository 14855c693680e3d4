"""The office's page for its agreements' public records, on the region's subdomain (mounted at
/kerja-sama/publik/ by portal/urls_tenant.py)."""

from django.urls import path

from . import views

app_name = "public_registry"

urlpatterns = [
    path("<int:pk>/", views.withholding, name="withholding"),
]
