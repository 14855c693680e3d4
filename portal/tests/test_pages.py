"""Small promises of the shared layout, each of which was once broken in a real browser."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_titles_name_jejaring_once(client_for, malang, member):
    from tenants.models import Role

    assert title_of(client_for(None).get("/")).count("Jejaring") == 1
    assert title_of(client_for(None).get("/akun/login/")).endswith(" · Jejaring")
    viewer = member(malang, Role.VIEWER)
    assert title_of(client_for(malang, viewer).get("/dokumen/")).endswith(
        " · Kota Malang · Jejaring"
    )


def test_each_language_is_offered_in_its_own_name(client_for):
    client = client_for(None)
    for language in ("id", "en"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = client.get("/akun/login/").content.decode()
        assert '<option value="id" lang="id"' in page
        assert ">Bahasa Indonesia</option>" in page and ">English</option>" in page
        assert ">Inggris<" not in page


def test_an_unknown_subdomain_sends_people_to_the_platform_to_sign_in():
    response = Client(HTTP_HOST="kota-entah.localhost").get("/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'href="http://localhost:8000/akun/login/"' in page
    assert 'href="http://localhost:8000/akun/signup/"' in page
    assert 'href="http://localhost:8000/daftar-daerah/"' in page


def test_favicon_and_robots_are_served_at_the_root(client_for):
    client = client_for(None)
    assert client.get("/favicon.ico").status_code == 200
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and b"Disallow: /akun/" in b"".join(robots.streaming_content)
