"""Anonymous visitors' pages from the cache (core/http_cache.py): the same bytes as rendered,
304 to a matching conditional request, renewed by what changes them and only that (a publication
in one region leaves another region's pages alone), never for signed-in visitors, whose answers
are private."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from agreements.tests.factories import membership_of, new_agreement, to_ksb_signed
from cms.pages import ensure_sections
from cms.tests.factories import published_listing
from core import http_cache
from public_registry.models import PublishedAgreement
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


NEWS_DAY = ["/", "/kota-malang/", "/kerja-sama/?status=in_force", "/kerja-sama/{record}/"]


@pytest.fixture
def portal(db):
    ensure_sections()
    http_cache._local.entries.clear()


@pytest.fixture
def signed(malang, member, portal, django_capture_on_commit_callbacks):
    """A Kota Malang agreement with Kabupaten Malang, signed and published (after commit)."""
    office = membership_of(member(malang, Role.ADMIN), malang)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office))
    return PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)


def publish_in_malang(malang, member, callbacks) -> PublishedAgreement:
    office = membership_of(member(malang, Role.ADMIN, email="kedua@malangkota.go.id"), malang)
    with callbacks(execute=True), tenant_context(malang):
        agreement = to_ksb_signed(office, new_agreement(office, title="Kerja sama kedua"))
    return PublishedAgreement.objects.get(cooperation_id=agreement.cooperation_id)


def anonymous() -> Client:
    return Client(HTTP_HOST="localhost")


def test_the_cached_page_is_the_rendered_page_byte_for_byte(signed, settings):
    for path in (p.format(record=signed.pk) for p in NEWS_DAY):
        settings.JEJARING_PAGE_CACHE = False
        uncached = anonymous().get(path)
        assert uncached.status_code == 200, path
        assert not uncached.has_header("ETag")
        settings.JEJARING_PAGE_CACHE = True
        stored, served = anonymous().get(path), anonymous().get(path)
        assert stored.content == uncached.content == served.content, path
        assert served["ETag"] == stored["ETag"]
        assert served["Content-Security-Policy"] == uncached["Content-Security-Policy"]
        assert served["Cache-Control"] == "public, max-age=60, stale-while-revalidate=240"
        assert "Last-Modified" in served
        assert not served.cookies


def test_a_matching_if_none_match_is_answered_304(signed):
    first = anonymous().get("/kerja-sama/")
    assert first.status_code == 200
    again = anonymous().get("/kerja-sama/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    other = anonymous().get("/kerja-sama/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert other.content == first.content


def test_a_publication_in_one_region_renews_its_pages_not_another_regions(
    signed, malang, member, django_capture_on_commit_callbacks
):
    pages = {
        "malang": "/kota-malang/",
        "batu": "/kota-batu/",
        "malang_list": "/kerja-sama/?region=35.73",
        "batu_list": "/kerja-sama/?region=35.79",
        "home": "/",
    }
    before = {name: anonymous().get(path)["ETag"] for name, path in pages.items()}
    publish_in_malang(malang, member, django_capture_on_commit_callbacks)
    after = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = anonymous().get(path)
        reads = [q for q in queries.captured_queries if not q["sql"].startswith("SET ")]
        after[name] = (response["ETag"], len(reads), response.content.decode())
    assert after["malang"][0] != before["malang"]
    assert "Kerja sama kedua" in after["malang"][2]
    assert after["malang_list"][0] != before["malang_list"]
    assert after["home"][0] != before["home"]
    # Batu's pages: the same answer, from the cache (one read of the generations, no render).
    assert after["batu"][0] == before["batu"]
    assert after["batu_list"][0] == before["batu_list"]
    assert after["batu"][1] <= 1
    assert after["batu_list"][1] <= 1


def test_a_listing_renews_its_regions_profile_and_the_home_page_only(
    signed, malang, batu, django_capture_on_commit_callbacks
):
    before = {path: anonymous().get(path)["ETag"] for path in ("/kota-batu/", "/kota-malang/")}
    with django_capture_on_commit_callbacks(execute=True):
        published_listing(batu, "Apel Batu segar")
    batu_page = anonymous().get("/kota-batu/")
    assert "Apel Batu segar" in batu_page.content.decode()
    assert batu_page["ETag"] != before["/kota-batu/"]
    assert anonymous().get("/kota-malang/")["ETag"] == before["/kota-malang/"]


def test_signed_in_visitors_get_private_answers_never_the_cached_page(
    signed, malang, member, client_for
):
    anonymous().get("/")  # the anonymous page is in the cache
    user = member(malang, Role.TKKSD)
    for client, path in (
        (client_for(None, user), "/"),
        (client_for(None, user), "/kota-malang/"),
        (client_for(None, user), f"/kerja-sama/{signed.pk}/"),
        (client_for(malang, user), "/"),
        (client_for(malang, user), "/kerja-sama/"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "private" in response["Cache-Control"], path
        assert "public" not in response["Cache-Control"], path
        assert not response.has_header("ETag"), path
        assert "Log out" in response.content.decode(), path  # rendered for them


def test_an_answer_that_sets_a_cookie_is_private_and_not_stored(portal):
    # The marketplace's search page is not cached; the login page sets the CSRF cookie.
    response = anonymous().get("/akun/login/")
    assert response.cookies
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_requests_with_a_session_or_another_method_pass_by_the_cache(signed):
    stored = anonymous().get("/")
    client = anonymous()
    client.cookies["sessionid"] = "not-a-session"
    assert not client.get("/").has_header("ETag")
    assert not anonymous().head("/").has_header("ETag") or stored.has_header("ETag")


def test_the_language_switch_checks_the_token_of_signed_in_people_only(malang, member, portal):
    visitor = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    answer = visitor.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert answer.status_code == 302
    assert visitor.get("/")["Content-Language"] == "id"
    signed_in = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    signed_in.force_login(member(malang, Role.TKKSD))
    assert signed_in.post("/i18n/setlang/", {"language": "id", "next": "/"}).status_code == 403
