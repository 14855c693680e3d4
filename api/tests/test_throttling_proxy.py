"""The anonymous rate limit counts the connection's address: an X-Forwarded-For the client
makes up is ignored, unless proxies in front are configured, and then only the address the
outermost proxy saw counts."""

import pytest
from django.test import Client

from api.throttling import AnonThrottle, client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_per_minute(monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "3/min"})


def call(forwarded_for: str | None = None, remote: str = "198.51.100.20"):
    headers = {"HTTP_HOST": "localhost", "REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client(**headers).get("/api/v1/regions/")


def with_proxies(settings, count):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}


def test_without_a_proxy_a_made_up_forwarded_for_gets_no_fresh_allowance(settings):
    with_proxies(settings, None)
    answers = [call(f"203.0.113.{n}").status_code for n in range(1, 5)]
    assert answers == [200, 200, 200, 429]
    # Another connection's address has its own allowance.
    assert call("203.0.113.9", remote="198.51.100.21").status_code == 200


def test_behind_one_proxy_the_address_it_saw_counts_not_the_clients_claim(settings):
    with_proxies(settings, 1)
    # The proxy (REMOTE_ADDR 10.0.0.2) appends the address it received from: 192.0.2.7.
    answers = [call(f"203.0.113.{n}, 192.0.2.7", remote="10.0.0.2").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    # Another client behind the same proxy is counted on its own.
    assert call("192.0.2.8", remote="10.0.0.2").status_code == 200


def test_behind_two_proxies_the_outermost_ones_entry_counts():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.7, 10.0.0.1"}
    assert client_address(meta, 2) == "192.0.2.7"
    assert client_address(meta, 1) == "10.0.0.1"
    assert client_address(meta, None) == client_address(meta, 0) == "10.0.0.2"
    assert client_address({"REMOTE_ADDR": "10.0.0.2"}, 2) == "10.0.0.2"  # no header: the peer
