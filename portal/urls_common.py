"""URLs served on every host: accounts (one identity everywhere) and the language switch."""

from django.urls import include, path

urlpatterns = [
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
