"""Every answer under /api/v1/ is JSON in the one error shape, whatever refused the request:
an unmatched route (the HTML 404 page before), the NUL-character guard (text/plain 400), a
method the route does not take, the rate limit, an uncaught error (the HTML 500 page); on the
platform and on a region's subdomain. Pages outside the API keep their HTML pages."""

from __future__ import annotations

import pytest
from django.test import Client

from api import views
from api.throttling import AnonThrottle

from .conftest import BATU, MALANG, PLATFORM, api, assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", [PLATFORM, MALANG])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agreements/abc/",
        "/api/v1/agreements/1/versions/x/",
        "/api/v1/listings/abc/submit/",
        "/api/v1/no-such-thing/",
        "/api/v1/",
    ],
)
def test_an_unmatched_route_is_a_json_404(host, path, malang):
    assert_error(api(host).get(path), 404, "not_found")


def test_a_region_token_on_another_region_still_gets_json(malang, batu, member, token_for):
    from tenants.models import Role

    raw = token_for(member(malang, Role.ADMIN), malang)
    assert_error(api(BATU, raw).get("/api/v1/agreements/abc/monitoring-reports/"), 404)


@pytest.mark.parametrize("host", [PLATFORM, MALANG])
def test_a_nul_character_is_a_json_400(host, malang):
    for path in ("/api/v1/regions/?q=a%00b", "/api/v1/listings/?sector=%00", "/api/v1/a%00/"):
        body = assert_error(api(host).get(path), 400, "bad_request")
        assert "NUL" in body["message"]


def test_a_method_the_route_does_not_take_is_a_json_405():
    response = api().delete("/api/v1/regions/")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_the_rate_limit_answers_in_the_shape(monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    api().get("/api/v1/regions/")
    assert_error(api().get("/api/v1/regions/"), 429, "throttled")


def test_an_uncaught_error_is_a_json_500(monkeypatch):
    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.RegionList, "get", broken)
    client = Client(HTTP_HOST=PLATFORM, raise_request_exception=False)
    body = assert_error(client.get("/api/v1/regions/"), 500, "server_error")
    assert "boom" not in body["message"]  # nothing of the error's inside is told


def test_pages_outside_the_api_keep_their_html_pages():
    response = api().get("/kerja-sama/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    nul = api().get("/kerja-sama/?q=%00")
    assert nul.status_code == 400 and not nul["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/v1/regions/", "parent"),
        ("/api/v1/regions/", "kind"),
        ("/api/v1/listings/", "sort"),
        ("/api/v1/agreements/", "sort"),
    ],
)
def test_a_parameter_sent_empty_is_refused_as_the_schema_says(path, name):
    """The schema gives these a pattern or a list of values, which '' matches not; `?parent=`
    used to be taken as absent (the provinces listed)."""
    error = assert_error(api().get(path, {name: ""}), 400)
    assert name in error["fields"]


def test_an_empty_status_filter_is_refused(malang, member, token_for):
    from tenants.models import Role

    raw = token_for(member(malang, Role.ADMIN), malang)
    error = assert_error(api(token=raw).get("/api/v1/listings/own/", {"status": ""}), 400)
    assert "status" in error["fields"]


def test_a_password_only_session_is_told_to_pass_the_second_factor(malang, member):
    """A session that skipped the second factor is refused before any view runs; the API's
    answer says what to do (the matrix counts it as "MFA"), not a bare permission_denied."""
    from tenants.models import Role

    client = Client(HTTP_HOST=PLATFORM)
    client.force_login(member(malang, Role.ADMIN))  # TOTP set up, not passed in this session
    response = client.post("/api/v1/proposals/", {}, content_type="application/json")
    body = assert_error(response, 403, "second_factor_required")
    assert "TOTP" in body["message"]


def test_a_write_on_a_suspended_regions_api_is_refused_in_the_shape(malang, member, token_for):
    """The read-only region's middleware answers before the API's own check: in JSON, saying
    the region is read-only (its HTML page before)."""
    from tenants.models import Role, TenantStatus

    raw = token_for(member(malang, Role.ADMIN), malang)
    malang.status = TenantStatus.SUSPENDED
    malang.save(update_fields=["status"])
    response = api(MALANG, raw).post(
        "/api/v1/agreements/1/monitoring-reports/", "{}", content_type="application/json"
    )
    body = assert_error(response, 403, "region_read_only")
    assert "read-only" in body["message"]
