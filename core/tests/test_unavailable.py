"""A database outage is answered with the product's 503 page (core/unavailable.py), never a
traceback; any other error keeps the 500 page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from core.unavailable import is_database_outage

pytestmark = pytest.mark.django_db

TENANT_LOOKUP = "django_tenants.middleware.main.TenantMainMiddleware.get_tenant"


def _client(host: str) -> Client:
    # As a browser sees it: the error becomes the server's answer, not an exception in the test.
    return Client(HTTP_HOST=host, raise_request_exception=False)


def _assert_product_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Jejaring sedang tidak tersedia" in body
    assert "temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_platform_page_during_an_outage_is_the_products_503():
    refused = OperationalError('connection to server at "127.0.0.1", port 54330 failed')
    with mock.patch(TENANT_LOOKUP, side_effect=refused):
        response = _client("localhost").get("/")
    _assert_product_503(response)


def test_region_page_during_an_outage_is_the_products_503(malang, member):
    user = member(malang)
    client = _client("kota-malang.localhost")
    client.force_login(user)
    # The tenant was found (a connection was open), then the server went away mid-request.
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = client.get("/kerja-sama/")
    _assert_product_503(response)


def test_other_errors_keep_the_500_page():
    with mock.patch(TENANT_LOOKUP, side_effect=ValueError("a bug")):
        response = _client("localhost").get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def test_outage_found_through_the_exception_chain():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as outer:
        assert is_database_outage(outer)
    assert not is_database_outage(ValueError("x"))
    assert not is_database_outage(None)
