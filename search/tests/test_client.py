"""The Elasticsearch client without a server; against a real one when ELASTICSEARCH_URL is set."""

import os
import time

import pytest

from search import client as search_client


@pytest.fixture(autouse=True)
def _fresh_client():
    search_client.get_client.cache_clear()
    yield
    search_client.get_client.cache_clear()


def test_not_configured_is_reported_not_raised(settings):
    settings.ELASTICSEARCH_URL = ""
    assert search_client.is_available() is False
    with pytest.raises(search_client.SearchNotConfigured):
        search_client.get_client()


def test_unreachable_server_answers_false_quickly(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    started = time.monotonic()
    assert search_client.is_available() is False
    assert time.monotonic() - started < 5


@pytest.mark.elasticsearch
@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL")
def test_real_server_answers(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    assert search_client.is_available() is True
