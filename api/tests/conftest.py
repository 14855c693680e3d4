"""Fixtures of the API's tests: tokens for members, API clients on either host, and the
marketplace's and agreements' own builders (through their actions)."""

from __future__ import annotations

import pytest
from django.test import Client

from api import tokens
from marketplace.tests.conftest import fields, listing_fields, make_listing  # noqa: F401
from tenants.models import Membership

PLATFORM = "localhost"
MALANG = "kota-malang.localhost"
BATU = "kota-batu.localhost"


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """These tests read the English source texts (the product speaks Indonesian by default)."""
    settings.LANGUAGE_CODE = "en"


def token_of(user, tenant, **kwargs) -> str:
    membership = Membership.objects.select_related("tenant__region", "user").get(
        user=user, tenant=tenant
    )
    _token, raw = tokens.create_token(
        membership=membership, name=kwargs.get("name", "Integrasi"), days=kwargs.get("days", 30)
    )
    return raw


def api(host: str = PLATFORM, token: str | None = None) -> Client:
    """A client on `host` that sends `token` (no session, no cookies)."""
    headers = {"HTTP_HOST": host}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client(**headers)


@pytest.fixture
def token_for():
    return token_of


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape, with `status` and (when given) `code`."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "fields"} <= set(body["error"]), body
    assert body["error"]["message"], body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
