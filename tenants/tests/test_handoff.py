"""One login across the platform and every region's subdomain (tenants/handoff.py).

On `localhost` a region's subdomain cannot read the platform's cookie; it adopts the platform's
session through a one-time token, bound to its host and to the browser that asked (a state
cookie). Each test below isolates ONE of those properties: the others are satisfied, so the
test fails exactly when that property breaks."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from conftest import PASSWORD
from tenants.handoff import STATE_COOKIE
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, email, remember=False):
    data = {"login": email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    return client.post("/akun/login/", data)


def ask_for_handoff(region, platform, path="/anggota/"):
    """Region -> platform -> back. Returns (accept path on the region, the state cookie)."""
    first = region.get(path)
    assert first.status_code == 302
    start = first["Location"]
    assert start.startswith("http://localhost:8000/akun/sesi/?next=")
    state = region.cookies[STATE_COOKIE].value
    back = platform.get(start.removeprefix("http://localhost:8000"))
    assert back.status_code == 302
    assert back["Location"].startswith("http://kota-malang.localhost/akun/sesi/terima/?token=")
    return back["Location"].removeprefix("http://kota-malang.localhost"), state


@pytest.fixture
def signed_in(client_for, member, malang):
    user = member(malang, Role.TKKSD)
    platform = client_for(None)
    login(platform, user.email)
    return user, platform


def test_the_region_adopts_the_platforms_session_and_logout_ends_it_everywhere(
    signed_in, client_for, malang
):
    _, platform = signed_in
    region = client_for(malang)
    accept_path, _ = ask_for_handoff(region, platform)
    adopted = region.get(accept_path)
    assert adopted.status_code == 302 and adopted["Location"] == "/anggota/"
    assert region.cookies["sessionid"].value == platform.cookies["sessionid"].value
    assert region.get("/").status_code == 200
    region.post("/akun/logout/")
    assert platform.get("/ruang-kerja/")["Location"].startswith("/akun/login/")


def test_a_token_works_once_even_with_the_right_state_cookie(signed_in, client_for, malang):
    _, platform = signed_in
    region = client_for(malang)
    accept_path, state = ask_for_handoff(region, platform)
    assert region.get(accept_path).status_code == 302
    replay = client_for(malang)
    replay.cookies[STATE_COOKIE] = state  # everything right but the token's second use
    assert replay.get(accept_path).status_code == 400
    assert "sessionid" not in replay.cookies


def test_a_token_works_only_on_the_host_it_was_issued_for(signed_in, client_for, malang, batu):
    _, platform = signed_in
    accept_path, state = ask_for_handoff(client_for(malang), platform)
    other = client_for(batu)
    other.cookies[STATE_COOKIE] = state  # the right browser state, the wrong host
    assert other.get(accept_path).status_code == 400
    assert "sessionid" not in other.cookies


def test_a_token_works_only_in_the_browser_that_asked_for_it(signed_in, client_for, malang):
    """Login CSRF: an attacker's own token link, sent to a victim, must not sign the victim's
    browser into the attacker's account."""
    _, attacker_platform = signed_in
    accept_path, _ = ask_for_handoff(client_for(malang), attacker_platform)
    victim = client_for(malang)
    victim.get("/")  # the victim's browser has a state cookie of its own
    assert victim.get(accept_path).status_code == 400
    assert "sessionid" not in victim.cookies


@pytest.mark.parametrize(
    "next_path", ["//evil.example/", "http://evil.example/", "/\\evil.example", "anggota/"]
)
def test_the_way_back_stays_on_the_regions_host(signed_in, client_for, malang, next_path):
    _, platform = signed_in
    region = client_for(malang)
    accept_path, _ = ask_for_handoff(region, platform)
    token = parse_qs(urlsplit(accept_path).query)["token"][0]
    response = region.get("/akun/sesi/terima/", {"token": token, "next": next_path})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_handoff_refuses_foreign_targets_and_asks_anonymous_people_to_log_in(client_for):
    platform = client_for(None)
    state = "s" * 32
    for target in ("http://evil.example/", "http://nowhere.localhost/"):
        assert platform.get("/akun/sesi/", {"next": target, "state": state}).status_code == 400
    assert platform.get("/akun/sesi/", {"next": "http://kota-malang.localhost/"}).status_code == 400
    target = "http://kota-malang.localhost/"
    response = platform.get("/akun/sesi/", {"next": target, "state": state})
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/?next=%2Fakun%2Fsesi%2F%3Fnext%3D")
    assert client_for(None).get("/akun/sesi/terima/", {"token": "x"}).status_code == 400


@pytest.mark.parametrize("remember", [False, True])
def test_the_regions_cookie_is_as_persistent_as_the_login_asked(
    client_for, member, malang, remember
):
    user = member(malang, Role.TKKSD)
    platform = client_for(None)
    login(platform, user.email, remember=remember)
    region = client_for(malang)
    accept_path, _ = ask_for_handoff(region, platform)
    region.get(accept_path)
    cookie = region.cookies["sessionid"]
    assert bool(cookie["max-age"]) is remember


def test_signing_in_on_a_regions_subdomain_signs_in_the_platform_too(client_for, member, malang):
    user = member(malang, Role.TKKSD)
    region = client_for(malang)
    # The region's login page sends the browser to the platform, remembering where it was.
    response = region.get("/akun/login/", {"next": "/dokumen/"})
    assert response.status_code == 302
    start = response["Location"]
    assert start.startswith("http://localhost:8000/akun/sesi/?next=")
    assert "kota-malang.localhost%2Fdokumen%2F" in start
    platform = client_for(None)
    to_login = platform.get(start.removeprefix("http://localhost:8000"))
    assert to_login["Location"].startswith("/akun/login/?next=")
    response = platform.post(
        to_login["Location"].split("?")[0] + "?" + to_login["Location"].split("?", 1)[1],
        {"login": user.email, "password": PASSWORD},
    )
    # allauth follows `next` back to the handoff, which returns to the region.
    back = platform.get(response["Location"])
    accept = back["Location"].removeprefix("http://kota-malang.localhost")
    assert region.get(accept)["Location"] == "/dokumen/"
    assert region.get("/dokumen/").status_code == 200
    # One session, both hosts: the platform knows the person (no login page).
    assert "_auth_user_id" in platform.session


def test_sign_up_and_password_reset_on_a_region_happen_on_the_platform(client_for, malang):
    region = client_for(malang)
    assert region.get("/akun/signup/")["Location"] == "http://localhost:8000/akun/signup/"
    assert (
        region.get("/akun/password/reset/")["Location"]
        == "http://localhost:8000/akun/password/reset/"
    )


def test_a_language_chosen_on_the_platform_follows_the_person_to_the_region(
    signed_in, client_for, malang
):
    _, platform = signed_in
    platform.post("/i18n/setlang/", {"language": "en", "next": "/ruang-kerja/"})
    region = client_for(malang)
    accept_path, _ = ask_for_handoff(region, platform)
    region.get(accept_path)
    page = region.get("/").content.decode()
    assert 'lang="en"' in page
    # ...and back: Indonesian chosen on the region is Indonesian on the platform.
    region.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert 'lang="id"' in platform.get("/").content.decode()
