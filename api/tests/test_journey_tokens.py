"""A member's API token from start to end in headless Chromium (axe-core on every page of the
site visited): sign in, create a token on the region's subdomain, copy it, call the API with it
over real HTTP, revoke it, and see the next call refused. Then the API's docs, served by the
site itself under its Content-Security-Policy, render in the browser."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from conftest import UserFactory
from tests.test_browser_journeys import log_in

pytestmark = [pytest.mark.browser]


def call(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_member_creates_uses_and_revokes_a_token(e2e, audited):
    from tenants.models import Membership, Role, Tenant

    malang = Tenant.objects.get(region_id="35.73")
    opd = UserFactory(email="dinas.koperasi@malangkota.test")
    Membership.objects.create(user=opd, tenant=malang, role=Role.OPD, opd="Dinas Koperasi")

    tab = audited()
    page = tab.page
    log_in(tab, e2e, opd.email)
    region = e2e.replace("localhost", "kota-malang.localhost")
    page.goto(f"{region}/akses-api/")
    tab.check()
    page.fill("input[name=name]", "Sinkron SIPD")
    page.select_option("select[name=days]", "30")
    page.get_by_role("button", name=re.compile("Buat token|Create token")).click()
    page.wait_for_load_state("load")
    tab.check()
    token = page.input_value("#token-value")
    assert token.startswith("jjr_")

    status, body = call(f"{e2e}/api/v1/partners/", token)
    assert status == 200 and isinstance(body, list)

    page.goto(f"{region}/akses-api/")  # the token is not shown again
    tab.check()
    assert token not in page.content()
    page.get_by_role("button", name=re.compile("Cabut|Revoke")).click()
    page.wait_for_url(re.compile(r"/akses-api/$"))
    tab.check()
    status, body = call(f"{e2e}/api/v1/partners/", token)
    assert status == 401 and body["error"]["code"] == "authentication_failed"
    tab.assert_all_audited()
    tab.assert_no_failures()


def test_the_docs_render_under_the_sites_csp(e2e, browser):
    """Swagger UI (from the sidecar's static files) draws the operations; the browser reports
    no Content-Security-Policy violation and no failed request."""
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text)
        if "Content Security Policy" in message.text or "Refused" in message.text
        else None,
    )
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} {response.url}")
        if response.status >= 400
        else None,
    )
    try:
        response = page.goto(f"{e2e}/api/v1/docs/")
        assert response.status == 200
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/v1/listings/" in p for p in paths), paths
        assert problems == [], problems
    finally:
        context.close()
