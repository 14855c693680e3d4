"""URLs served on every host: accounts (one identity everywhere) and the language switch."""

from django.urls import include, path

from accounts import views as account_views
from tenants import handoff

from . import health, i18n

urlpatterns = [
    path("akun/sesi/", handoff.handoff_start, name="session_handoff"),
    path("akun/sesi/terima/", handoff.handoff_accept, name="session_handoff_accept"),
    # allauth's, recording that turning TOTP on passed the second factor (accounts/views.py).
    path("akun/2fa/totp/activate/", account_views.activate_totp, name="mfa_activate_totp"),
    path("akun/", include("allauth.urls")),
    path("i18n/setlang/", i18n.set_language, name="set_language"),
    # For the load balancer and Prometheus; answered before the tenant middleware by
    # portal.health.HealthMiddleware, listed here for reverse() and the permission matrix.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
]
