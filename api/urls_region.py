"""The API on a region's subdomain (mounted at /api/v1/ by portal/urls_tenant.py)."""

from types import SimpleNamespace

from django.urls import include, path

from reporting import api as reporting_api

from . import region_views
from .docs_views import DocsView, SchemaView

app_name = "api_region"

endpoints = [
    path(
        "agreements/<int:pk>/monitoring-reports/",
        region_views.MonitoringReports.as_view(),
        name="monitoring_reports",
    ),
    # The region's semester report upward (reporting/api.py).
    path("semester-reports/", reporting_api.SemesterReports.as_view(), name="semester_reports"),
]
schema_urlconf = SimpleNamespace(urlpatterns=[path("api/v1/", include(endpoints))])

urlpatterns = [
    *endpoints,
    path("schema/", SchemaView.as_view(urlconf=schema_urlconf), name="schema"),
    path("docs/", DocsView.as_view(url_name="api_region:schema"), name="docs"),
]
