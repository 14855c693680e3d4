"""The production settings pass Django's deployment checklist with no warnings, and the base
settings refuse to serve with DEBUG off and the development secret key. Each case starts a fresh
Python process with the environment production (or `make run`) gives it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of the test run's own configuration leaks in (.env is read by the settings,
        # but every variable these cases depend on is given explicitly).
        if key
        not in {
            "JEJARING_TEST_SETTINGS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_DEBUG",
            # Set by the browser journeys (Playwright) in this process; never in production.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(environ)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "JEJARING_BASE_DOMAIN": "jejaring.example.id",
        "DATABASE_URL": "postgres://jejaring:secret@db:5432/jejaring",
        **overrides,
    }


def test_check_deploy_passes_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?:" not in output


def test_production_cookies_are_secure_with_hsts():
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG)",
        **production_env(),
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"], result.stderr


def test_debug_off_refuses_the_development_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=settings.DEV_SECRET_KEY,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "development key" in result.stderr


def test_cookies_over_plain_http_are_not_secure_even_with_debug_off():
    """`make run` serves http://localhost with DEBUG off: Secure cookies would never come back."""
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.DEBUG)"
    plain = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        JEJARING_SCHEME="http",
    )
    assert plain.stdout.split() == ["False", "False"], plain.stderr
    https = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        JEJARING_SCHEME="https",
    )
    assert https.stdout.split() == ["True", "False"], https.stderr
