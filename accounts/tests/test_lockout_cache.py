# ruff: noqa: S608 (the tables' names come from the settings; every value is a bound parameter)
"""A lockout holds whatever fills the shared cache. allauth's counters (failed passwords, failed
second-factor codes, used TOTP codes) and the API's throttles live in a cache of their own
(core/cache.py); the shared cache, which anonymous page views fill, culls a third of itself
when full, and would take a lockout with it."""

import base64
import pickle

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache, caches
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from conftest import PASSWORD, TOTP_SECRET
from core.cache import COUNTERS_ALIAS, CounterCache
from tenants.models import Role

pytestmark = pytest.mark.django_db

# A cached value as the database cache stores it (base64 of a pickle).
FILLER = base64.b64encode(pickle.dumps("x")).decode()


def login(client, email, password=PASSWORD):
    return client.post("/akun/login/", {"login": email, "password": password})


def current_code() -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(TOTP_SECRET, counters[len(counters) // 2]))


def shared_cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {cache._table}")
        return cursor.fetchone()[0]


def fill_the_shared_cache_past_its_limit(client_for) -> None:
    """What a crawl of the registry does in seconds: entries under the registry's keys until the
    shared cache is full (written at once in SQL), then one more anonymous search, whose
    cached result makes the cache cull."""
    limit = cache._max_entries
    with schema_context(get_public_schema_name()):
        keys = [cache.make_key(f"public_registry:list:0:2026-01-01:{n:032x}") for n in range(2)]
    prefix = keys[0].rsplit(":", 1)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {cache._table} (cache_key, value, expires) "
            "SELECT %s || ':' || lpad(to_hex(n), 32, '0'), %s, "
            "now() + interval '1 hour' FROM generate_series(1, %s) AS n "
            "ON CONFLICT DO NOTHING",
            [prefix, FILLER, limit + 1],
        )
    assert shared_cache_rows() > limit
    response = client_for(None).get("/kerja-sama/", {"q": "tempe-yang-belum-dicari"})
    assert response.status_code == 200
    assert shared_cache_rows() < limit  # the shared cache did cull


def test_a_password_lockout_holds_when_the_shared_cache_culls(client_for, user_factory):
    user = user_factory(email="terkunci@contoh.test")
    for _ in range(5):
        login(client_for(None), user.email, "tebakan-salah")
    refused = login(client_for(None), user.email)
    assert refused.context["form"].errors.as_data()["__all__"][0].code == (
        "too_many_login_attempts"
    )

    fill_the_shared_cache_past_its_limit(client_for)

    response = login(client_for(None), user.email)
    assert "_auth_user_id" not in response.wsgi_request.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == (
        "too_many_login_attempts"
    )


def test_a_second_factor_lockout_holds_when_the_shared_cache_culls(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    client = client_for(None)
    assert login(client, admin.email)["Location"] == "/akun/2fa/authenticate/"
    for _ in range(5):
        client.post("/akun/2fa/authenticate/", {"code": "000000"})
    client.post("/akun/2fa/authenticate/", {"code": current_code()})
    assert "_auth_user_id" not in client.session  # locked: even the right code is refused

    fill_the_shared_cache_past_its_limit(client_for)

    response = client.post("/akun/2fa/authenticate/", {"code": current_code()})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == [
        "too_many_login_attempts"
    ]


def test_the_counters_cache_never_culls_a_live_counter(settings):
    counters = caches[COUNTERS_ALIAS]
    assert isinstance(counters, CounterCache)
    limit = counters._max_entries
    counters.set("allauth:rl:lockout", [1.0], 300)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {counters._table} (cache_key, value, expires) "
            "SELECT 'filler:' || n, %s, now() + interval '1 minute' "
            "FROM generate_series(1, %s) AS n",
            [FILLER, limit + 1],
        )
        cursor.execute(
            f"INSERT INTO {counters._table} (cache_key, value, expires) "
            "SELECT 'expired:' || n, %s, now() - interval '1 minute' "
            "FROM generate_series(1, 10) AS n",
            [FILLER],
        )
    counters.set("allauth:rl:another", [1.0], 300)  # over the limit: a sweep
    assert counters.get("allauth:rl:lockout") == [1.0]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {counters._table} WHERE cache_key LIKE 'expired:%%'")
        assert cursor.fetchone()[0] == 0  # expired entries are swept
        cursor.execute(f"SELECT COUNT(*) FROM {counters._table} WHERE cache_key LIKE 'filler:%%'")
        assert cursor.fetchone()[0] == limit + 1  # live ones are all kept


def test_the_api_throttles_count_in_the_counters_cache(settings):
    assert settings.CACHES["api"]["LOCATION"] == settings.CACHES[COUNTERS_ALIAS]["LOCATION"]
    assert settings.CACHES["api"]["LOCATION"] != settings.CACHES["default"]["LOCATION"]
