"""URLs served on every host: accounts (one identity everywhere) and the language switch."""

from django.urls import include, path

from tenants import handoff

urlpatterns = [
    path("akun/sesi/", handoff.handoff_start, name="session_handoff"),
    path("akun/sesi/terima/", handoff.handoff_accept, name="session_handoff_accept"),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
