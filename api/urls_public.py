"""The API on the platform (mounted at /api/v1/ by portal/urls_public.py)."""

from types import SimpleNamespace

from django.urls import include, path

from . import registry_views, views
from .docs_views import DocsView, SchemaView

app_name = "api"

endpoints = [
    path("regions/", views.RegionList.as_view(), name="regions"),
    path("regions/<str:code>/", views.RegionDetail.as_view(), name="region"),
    path("listings/", views.ListingCollection.as_view(), name="listings"),
    path("listings/own/", views.OwnListingList.as_view(), name="own_listings"),
    path("listings/<int:pk>/", views.ListingDetail.as_view(), name="listing"),
    path("listings/<int:pk>/submit/", views.ListingSubmit.as_view(), name="listing_submit"),
    path("partners/", views.PartnerList.as_view(), name="partners"),
    path("proposals/", views.ProposalCreate.as_view(), name="proposals"),
    # Published agreements (the public registry).
    path("agreements/", registry_views.PublishedAgreementList.as_view(), name="agreements"),
    path(
        "agreements/<int:pk>/",
        registry_views.PublishedAgreementDetail.as_view(),
        name="agreement",
    ),
    path(
        "agreements/<int:pk>/versions/<int:number>/",
        registry_views.PublishedAgreementVersion.as_view(),
        name="agreement_version",
    ),
]
# What the schema describes: the endpoints under their public prefix.
schema_urlconf = SimpleNamespace(urlpatterns=[path("api/v1/", include(endpoints))])

urlpatterns = [
    *endpoints,
    path("schema/", SchemaView.as_view(urlconf=schema_urlconf), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
