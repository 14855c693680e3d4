from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
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


def test_indonesian_catalogue_is_complete():
    catalogue = polib.pofile(Path(settings.BASE_DIR) / "portal/locale/id/LC_MESSAGES/django.po")
    assert len(catalogue) > 200
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
