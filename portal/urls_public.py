"""The platform, at the base domain (public schema)."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import admin_access
from cms import views as cms_views
from tenants import views as platform_views

from .urls_common import urlpatterns as common_urlpatterns

# A database outage is answered with the product's 503 page (core/unavailable.py).
handler500 = "core.unavailable.server_error"

platform_patterns = (
    [
        path("ruang-kerja/", platform_views.my_workspaces, name="my_workspaces"),
        path("daftar-daerah/", platform_views.apply, name="apply"),
        path("daftar-daerah/status/", platform_views.application_status, name="application_status"),
        path(
            "daftar-daerah/konfirmasi/<str:token>/",
            platform_views.application_confirm_email,
            name="application_confirm_email",
        ),
        path(
            "daftar-daerah/<int:pk>/kirim-ulang-konfirmasi/",
            platform_views.application_resend_confirmation,
            name="application_resend_confirmation",
        ),
        path("platform/permohonan/", platform_views.application_queue, name="application_queue"),
        path(
            "platform/permohonan/<int:pk>/",
            platform_views.application_detail,
            name="application_detail",
        ),
        path(
            "platform/permohonan/<int:pk>/setujui/",
            platform_views.application_approve,
            name="application_approve",
        ),
        path(
            "platform/permohonan/<int:pk>/tolak/",
            platform_views.application_reject,
            name="application_reject",
        ),
        path(
            "platform/permohonan/<int:pk>/surat/",
            platform_views.application_letter,
            name="application_letter",
        ),
        path("platform/daerah/", platform_views.tenant_list, name="tenant_list"),
        path("platform/daerah/<int:pk>/", platform_views.tenant_detail, name="tenant_detail"),
        path(
            "platform/daerah/<int:pk>/tangguhkan/",
            platform_views.tenant_suspend,
            name="tenant_suspend",
        ),
        path(
            "platform/daerah/<int:pk>/aktifkan/",
            platform_views.tenant_reactivate,
            name="tenant_reactivate",
        ),
        path(
            "platform/daerah/<int:pk>/ekspor/", platform_views.tenant_export, name="tenant_export"
        ),
        path("platform/daerah/<int:pk>/hapus/", platform_views.tenant_delete, name="tenant_delete"),
        path(
            "platform/daerah/<int:pk>/pulihkan/",
            platform_views.tenant_restore,
            name="tenant_restore",
        ),
        path(
            "platform/ekspor/<int:pk>/unduh/",
            platform_views.export_download,
            name="export_download",
        ),
        path("api/wilayah/", platform_views.region_api, name="region_list"),
        path("api/wilayah/<str:code>/", platform_views.region_api, name="region_detail"),
    ],
    "platform",
)

urlpatterns = [
    *common_urlpatterns,
    path("", include(platform_patterns)),
    # The shared marketplace: search across all regions, public listings.
    path("pasar/", include("marketplace.urls_public")),
    # Trade missions (misi dagang) of the provinces, their catalogues and meetings.
    path("misi-dagang/", include("missions.urls")),
    # The open API, version 1 (api/urls_public.py): its schema at /api/v1/schema/, its docs at
    # /api/v1/docs/.
    path("api/v1/", include("api.urls_public")),
    # A person's own data ("Data saya") and staff's handling of the requests (privacy/urls.py).
    path("", include("privacy.urls")),
    # Cooperation proposals to a region, and the proposer's own (cooperation/urls.py).
    path("usulan-kerja-sama/", include("cooperation.urls")),
    # Reporting upward, the national side: the Ministry's view, staff's page for its role and
    # the open data of the national figures (reporting/urls_national.py).
    path("", include("reporting.urls_national")),
    # The public registry of signed agreements: list, detail, downloads, feeds (public_registry).
    path("kerja-sama/", include("public_registry.urls")),
    # Open data (opendata/): the catalogue, its files and dictionaries, and the CKAN-compatible
    # read API at /api/3/action/ (and /api/action/).
    path("data/", include("opendata.urls")),
    path("api/", include("opendata.urls_ckan")),
    # Wagtail's own login and password reset are replaced by allauth's (cms/admin_access.py).
    path("cms/login/", admin_access.login_redirect, name="cms_login"),
    # Wagtail's login for private pages is a plain Django login form too.
    path("_util/login/", admin_access.login_redirect),
    re_path(r"^cms/password_reset/", admin_access.password_reset_redirect),
    path("cms/", include(admin_access.admin_urlpatterns())),
    path("dokumen-publik/", include(wagtaildocs_urls)),
    # Wagtail's search over the portal's pages (cms/views.py).
    path("cari/", cms_views.search, name="cms_search"),
    path("", include(wagtail_urls)),
]

# The product's own page when a rate limit refuses (allauth calls the URLconf's handler429).
handler429 = "portal.views.too_many_requests"
