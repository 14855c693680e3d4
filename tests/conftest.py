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
def e2e(committed_platform, live_server, settings):
    """A live platform on a real port, its regions on their *.localhost subdomains."""
    settings.JEJARING_PORT = str(live_server.thread.port)
    settings.CSRF_TRUSTED_ORIGINS = [
        f"http://*.localhost:{live_server.thread.port}",
        f"http://localhost:{live_server.thread.port}",
    ]
    return f"http://localhost:{live_server.thread.port}"
