"""Security headers on the platform's pages and a region's, the CSP on Wagtail's admin, and the
search_path under persistent database connections."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import host_client

pytestmark = pytest.mark.django_db

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
}


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


def assert_security_headers(response) -> None:
    policy = csp(response)
    for name, value in CSP_DIRECTIVES.items():
        assert policy[name] == value, (name, policy.get(name))
    # No inline script or style anywhere, and nothing from other sites.
    assert "unsafe" not in response["Content-Security-Policy"]
    # Forms may continue on the platform's own hosts only (the sign-in handoff).
    assert policy["form-action"].split() == [
        "'self'",
        "http://localhost:*",
        "http://*.localhost:*",
        "http://localhost",
        "http://*.localhost",
    ]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_platform_pages_send_security_headers():
    client = host_client("localhost")
    for path in ("/", "/akun/login/", "/daftar-daerah/"):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        assert_security_headers(response)


def test_region_public_page_sends_security_headers(malang):
    response = host_client("localhost").get("/kota-malang/")
    assert response.status_code == 200
    assert "Kota Malang" in response.content.decode()
    assert_security_headers(response)


def test_region_workspace_sends_security_headers(malang, member):
    lurah = member(malang, "lurah", area="35.73.01.1007")
    response = host_client("kota-malang.localhost", lurah).get("/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_error_pages_send_security_headers():
    response = host_client("localhost").get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_kept_connection_resets_search_path_per_request(malang, member):
    """Persistent connections (CONN_MAX_AGE): each request sets the schema of its own host,
    whatever the previous request on the same connection used."""
    lurah = member(malang, "lurah", area="35.73.01.1007")
    region = host_client("kota-malang.localhost", lurah)
    platform = host_client("localhost")
    assert region.get("/").status_code == 200
    assert connection.search_path_set_schemas == ["kota_malang", "public"]
    assert platform.get("/api/wilayah/35.73/").status_code == 200
    assert connection.search_path_set_schemas == ["public"]
    assert region.get("/").status_code == 200
    assert connection.search_path_set_schemas == ["kota_malang", "public"]


def test_wagtail_admin_alone_allows_inline_code(staff_user, malang, member):
    """Wagtail's admin needs inline script and style (portal/settings/csp.py); nothing else
    gets them, not even the same path on a region's host."""
    staff_user.is_superuser = True  # Wagtail's admin: platform staff (as create_staff makes)
    staff_user.save()
    response = host_client("localhost", staff_user).get("/cms/")
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'"
    lurah = member(malang, "lurah", area="35.73.01.1007")
    region = host_client("kota-malang.localhost", lurah).get("/cms/")
    assert "unsafe" not in region["Content-Security-Policy"]
