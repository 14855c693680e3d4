import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from core.cache import make_key, reverse_key

pytestmark = pytest.mark.django_db


def test_cache_keys_are_per_tenant_except_allauths(malang, batu):
    with tenant_context(malang):
        cache.set("wagtail-site-root-paths", "malang")
        rl_key_malang = make_key("allauth:rl:login", "", 1)
        site_key_malang = make_key("wagtail-site-root-paths", "", 1)
    with tenant_context(batu):
        assert cache.get("wagtail-site-root-paths") is None
        assert make_key("allauth:rl:login", "", 1) == rl_key_malang
        assert make_key("allauth.mfa.totp.used?user=1&code=123456", "", 1).startswith("_platform_:")
        assert make_key("wagtail-site-root-paths", "", 1) != site_key_malang
    with schema_context("public"):
        assert connection.schema_name == "public"
    assert reverse_key(site_key_malang) == "wagtail-site-root-paths"


CATALOGUE = Path(settings.BASE_DIR) / "portal/locale/id/LC_MESSAGES/django.po"


def catalogues(root: Path) -> list[Path]:
    """The project's catalogue and the apps' own (agreements/locale/..., and so on)."""
    return sorted(root.glob("*/locale/id/LC_MESSAGES/django.po"))


def test_indonesian_catalogues_are_complete():
    assert len(polib.pofile(CATALOGUE)) > 200
    for path in catalogues(Path(settings.BASE_DIR)):
        catalogue = polib.pofile(path)
        assert [e.msgid for e in catalogue.untranslated_entries()] == [], path
        assert [e.msgid for e in catalogue.fuzzy_entries()] == [], path


def test_every_string_in_the_code_is_in_a_catalogue(tmp_path, monkeypatch, settings):
    """makemessages, run over a scratch copy of the source, finds no string that the real
    catalogues lack: a new {% translate %} or gettext() cannot ship untranslated. (Run over the
    tree itself it would rewrite the real catalogues.)"""
    root = Path(settings.BASE_DIR)
    real = {path: path.read_bytes() for path in catalogues(root)}
    copy = tmp_path / "src"
    skip = shutil.ignore_patterns("tests", "__pycache__", "*.mo", "static", "data", "migrations")
    for package in sorted(p.parent for p in root.glob("*/__init__.py")):
        shutil.copytree(package, copy / package.name, ignore=skip)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "portal" / "locale"]
    call_command("makemessages", locale=["id"], verbosity=0)
    assert {path: path.read_bytes() for path in catalogues(root)} == real  # untouched
    translated = {e.msgid for path in real for e in polib.pofile(path).translated_entries()}
    extracted = {e.msgid for path in catalogues(copy) for e in polib.pofile(path) if not e.obsolete}
    assert len(extracted) > 200
    assert sorted(extracted - translated) == []
