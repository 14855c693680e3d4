"""A member's API tokens (mounted at /akses-api/ by portal/urls_tenant.py)."""

from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("<int:pk>/cabut/", token_views.token_revoke, name="revoke"),
]
