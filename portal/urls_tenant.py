"""A region's workspace, at <slug>.<base domain> (the region's schema)."""

from django.urls import include, path

from tenants import handoff
from workspace import letterhead_views, views

from .urls_common import urlpatterns as common_urlpatterns

# A database outage is answered with the product's 503 page (core/unavailable.py).
handler500 = "core.unavailable.server_error"

workspace_patterns = (
    [
        path("", views.dashboard, name="dashboard"),
        path("anggota/", views.members, name="members"),
        path("anggota/<int:pk>/ubah/", views.member_edit, name="member_edit"),
        path(
            "anggota/<int:pk>/hapus/konfirmasi/",
            views.member_remove_confirm,
            name="member_remove_confirm",
        ),
        path("anggota/<int:pk>/hapus/", views.member_remove, name="member_remove"),
        path(
            "undangan/<int:pk>/cabut/konfirmasi/",
            views.invitation_revoke_confirm,
            name="invitation_revoke_confirm",
        ),
        path("undangan/<int:pk>/cabut/", views.invitation_revoke, name="invitation_revoke"),
        path("undangan/<str:token>/", views.accept_invitation, name="accept_invitation"),
        path("dokumen/", views.documents, name="documents"),
        path("dokumen/<int:pk>/unduh/", views.document_download, name="document_download"),
        path("riwayat/", views.history, name="history"),
        path("pengaturan/kop-surat/", letterhead_views.emblem, name="emblem"),
    ],
    "workspace",
)

# People sign in, sign up and reset passwords on the platform; a region's subdomain hands the one
# session back (tenants/handoff.py), so signing in anywhere signs in everywhere.
region_account_patterns = [
    path("akun/login/", handoff.sign_in_on_platform),
    path("akun/signup/", handoff.platform_account_page, {"name": "account_signup"}),
    path("akun/password/reset/", handoff.platform_account_page, {"name": "account_reset_password"}),
]

urlpatterns = [
    *region_account_patterns,
    *common_urlpatterns,
    path("", include(workspace_patterns)),
    # The agreements' register (agreements/urls.py).
    # What an agreement's public record withholds (public_registry/urls_region.py).
    path("kerja-sama/publik/", include("public_registry.urls_region")),
    path("kerja-sama/", include("agreements.urls")),
    # Reporting upward: the region's semester reports and a province's review (reporting/urls.py).
    path("laporan/", include("reporting.urls")),
    # The region's own listings in the shared marketplace (marketplace/urls.py).
    path("pasar/", include("marketplace.urls")),
    # Who edits the region's section of the public portal (cms/urls_region.py).
    path("portal/", include("cms.urls_region")),
    # The open API on the region's subdomain (api/urls_region.py) and a member's API tokens.
    path("api/v1/", include("api.urls_region")),
    path("akses-api/", include("api.urls_tokens")),
]

# The product's own page when a rate limit refuses (allauth calls the URLconf's handler429).
handler429 = "portal.views.too_many_requests"
