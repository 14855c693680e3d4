"""Browser journeys: real headless Chromium (Debian's, driven by Playwright) against a live
server on localhost, with regions on their real subdomains (*.localhost resolves to loopback)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def e2e(transactional_db, live_server, settings):
    """A live platform with the registry, the template and the demo-like regions committed.

    Transactional tests end with a flush of the public schema's tables; this fixture restores
    what the session set-up had made, and drops the schemas its tenants created."""
    from tenants.models import Region, Tenant
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_public_tenant, ensure_template
    from tenants.registry import AREA_LEVELS, TENANT_LEVELS, upsert_level

    settings.JEJARING_PORT = str(live_server.thread.port)
    settings.CSRF_TRUSTED_ORIGINS = [
        f"http://*.localhost:{live_server.thread.port}",
        f"http://localhost:{live_server.thread.port}",
    ]
    if Region.objects.filter(code__in=["35.73.01.1007", "35.73"]).count() < 2:
        for level in (*TENANT_LEVELS, *AREA_LEVELS):
            upsert_level(Region, level)
    ensure_public_tenant()
    ensure_template()
    for code in ("35.73", "35.79"):
        if not Tenant.objects.filter(region_id=code).exists():
            provision_region(region=Region.objects.get(code=code), acting_user=None)
    yield f"http://localhost:{live_server.thread.port}"
    from django.db import connection

    connection.set_schema_to_public()
    for tenant in Tenant.objects.regions():
        tenant.delete(force_drop=True)
