"""The demo links to the port the platform is served on (`make run PORT=9000`), not to 8000."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from demo.loader import where_to_start
from tenants.models import Invitation, Role

ROOT = Path(settings.BASE_DIR)
MAKE = shutil.which("make")


def make_sees(*args: str) -> set[str]:
    """The JEJARING_PORTs that manage.py sees when `make` runs it (MANAGE is replaced by a
    command that prints it, so nothing is migrated or loaded; the steps' announcements and the
    database's start are left out)."""
    env = {k: v for k, v in os.environ.items() if k not in {"JEJARING_PORT", "PORT", "MAKEFLAGS"}}
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [MAKE, "-s", "--no-print-directory", *args, "MANAGE=printenv JEJARING_PORT #"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line for line in result.stdout.splitlines() if line.isdigit()}


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_run_gives_its_port_to_the_demo_loader():
    # `make run` loads the demo through its `data` prerequisite, before the server starts.
    assert make_sees("data", "PORT=9123") == {"9123"}
    assert make_sees("demo", "PORT=9124") == {"9124"}
    assert make_sees("demo") == {"8000"}


def test_the_demo_prints_links_at_the_configured_port(settings):
    settings.JEJARING_PORT = "9123"
    message = where_to_start()
    assert "http://localhost:9123/" in message
    assert "http://kota-malang.localhost:9123/" in message
    assert ":8000" not in message


@pytest.mark.django_db
def test_links_the_demo_e_mails_carry_use_the_configured_port(settings, malang):
    settings.JEJARING_PORT = "9123"
    invitation = Invitation(tenant=malang, email="x@contoh.test", role=Role.VIEWER)
    assert invitation.accept_url.startswith("http://kota-malang.localhost:9123/undangan/")
