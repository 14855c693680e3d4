"""The second factor is a property of the session: whoever must use it (platform staff, region
administrators, portal editors) reaches nothing else until this session has passed it, however
the session was obtained. Every login and password-reset entry point is allauth's."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.core import mail
from django.core.cache import cache
from django.test import Client

from conftest import PASSWORD, TOTP_SECRET
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def code_for(secret: str) -> str:
    steps = list(counters())
    return format_hotp_value(hotp_value(secret, steps[len(steps) // 2]))


def password_only(host: str, user) -> Client:
    """A session that knows the password and nothing more (any side door would give this)."""
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


STAFF_PAGES = ["/platform/permohonan/", "/platform/daerah/"]
ADMIN_PAGES = ["/anggota/", "/riwayat/", "/", "/dokumen/"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_password_only_staff_session_reaches_no_staff_page(staff_user, path):
    response = password_only("localhost", staff_user).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/reauthenticate/?next=")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_password_only_admin_session_reaches_no_workspace_page(member, malang, path):
    admin = member(malang, Role.ADMIN)
    response = password_only("kota-malang.localhost", admin).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/2fa/reauthenticate/?next=")


def test_a_password_only_staff_session_cannot_act_by_post(staff_user, malang):
    response = password_only("localhost", staff_user).post(
        f"/platform/daerah/{malang.pk}/tangguhkan/", {"reason": "uji"}
    )
    assert response.status_code == 403
    malang.refresh_from_db()
    assert not malang.is_suspended


def test_passing_totp_again_opens_the_pages(staff_user):
    client = password_only("localhost", staff_user)
    response = client.post("/akun/2fa/reauthenticate/", {"code": code_for(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/platform/permohonan/").status_code == 200


def test_wagtail_login_is_allauths_login(staff_user):
    client = Client(HTTP_HOST="localhost")
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/login/?next=%2Fcms%2Fpages%2F"
    # Posting a password to Wagtail's old login address signs nobody in.
    response = client.post("/cms/login/", {"username": staff_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    # allauth asks for the second factor.
    response = client.post("/akun/login/", {"login": staff_user.email, "password": PASSWORD})
    assert response["Location"] == "/akun/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/cms/password_reset/", "/cms/password_reset/done/"])
def test_wagtail_password_reset_is_allauths(path, staff_user):
    client = Client(HTTP_HOST="localhost")
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/akun/password/reset/"
    client.post(path, {"email": staff_user.email})
    assert mail.outbox == []


def test_cms_answers_a_signed_in_non_editor_with_403_not_a_redirect_loop(
    user_factory, member, malang
):
    for user in (user_factory(), member(malang, Role.TKKSD)):
        response = Client(HTTP_HOST="localhost").get("/cms/", follow=False)
        assert response.status_code == 302  # anonymous: to the login page
        assert response["Location"].startswith("/akun/login/?next=/cms/")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        response = client.get("/cms/")
        assert response.status_code == 403
        assert "cms/not_an_editor.html" in [t.name for t in response.templates]


def test_cms_opens_for_an_editor_who_passed_totp(user_factory, client_for):
    from allauth.mfa.totp.internal.auth import TOTP

    editor = user_factory(is_superuser=True)
    assert password_only("localhost", editor).get("/cms/").status_code == 302  # needs TOTP first
    TOTP.activate(editor, TOTP_SECRET)
    assert client_for(None, editor).get("/cms/").status_code == 200


def test_favicon_is_served_to_everyone_and_never_redirected(member, malang):
    admin = member(malang, Role.ADMIN, mfa=False)  # must still set up TOTP
    for client in (Client(HTTP_HOST="localhost"), password_only("kota-malang.localhost", admin)):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def test_sub_resource_requests_are_refused_not_redirected_to_the_setup_page(member, malang):
    admin = member(malang, Role.ADMIN, mfa=False)
    client = password_only("kota-malang.localhost", admin)
    image = client.get("/gambar.png", HTTP_SEC_FETCH_DEST="image", HTTP_ACCEPT="image/*,*/*;q=0.8")
    assert image.status_code == 403
    fetch = client.get("/anggota/", HTTP_ACCEPT="application/json")
    assert fetch.status_code == 403
    page = client.get("/anggota/", HTTP_SEC_FETCH_DEST="document", HTTP_ACCEPT="text/html")
    assert page.status_code == 302 and page["Location"].startswith("/akun/2fa/totp/activate/")


def test_totp_activation_keeps_one_secret_across_page_loads_and_then_opens_the_workspace(
    member, malang
):
    """The bug: each GET of the activation page made a new secret, so the browser's own
    follow-up requests invalidated the QR code the person had just scanned."""
    admin = member(malang, Role.ADMIN, mfa=False)
    client = Client(HTTP_HOST="localhost")
    client.post("/akun/login/", {"login": admin.email, "password": PASSWORD})
    first = client.get("/akun/2fa/totp/activate/")
    assert first.status_code == 200
    secret = first.context["form"].secret
    again = client.get("/akun/2fa/totp/activate/")
    assert again.context["form"].secret == secret
    response = client.post("/akun/2fa/totp/activate/", {"code": code_for(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=admin, type="totp").exists()
    # Turning TOTP on counts as passing it in this session: straight to work.
    region = Client(HTTP_HOST="kota-malang.localhost")
    region.cookies["sessionid"] = client.cookies["sessionid"].value
    assert region.get("/anggota/").status_code == 200
    # A fresh login asks for the code.
    client.post("/akun/logout/")
    response = client.post("/akun/login/", {"login": admin.email, "password": PASSWORD})
    assert response["Location"] == "/akun/2fa/authenticate/"
    assert re.match(r"^[A-Z2-7]{32}$", secret)


def test_a_new_administrator_signs_in_and_sets_up_totp_in_one_step(member, malang):
    """The bug: right after signing in, the forced set-up asked for the password again (allauth
    counts only explicit reauthentications as recent) under a banner saying "scan the code",
    with no code on the page."""
    admin = member(malang, Role.ADMIN, mfa=False)
    client = Client(HTTP_HOST="localhost")
    page = client.post("/akun/login/", {"login": admin.email, "password": PASSWORD}, follow=True)
    url = page.redirect_chain[-1][0]
    assert url.startswith("/akun/2fa/totp/activate/?next=")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="password"' not in html
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'name="code"' in html and 'autocomplete="one-time-code"' in html
    secret = page.context["form"].secret
    assert secret in html  # the key to type when the code cannot be scanned
    done = client.post(url, {"code": code_for(secret)}, follow=True)
    assert Authenticator.objects.filter(user=admin, type="totp").exists()
    assert done.redirect_chain[-1][0] == "/akun/2fa/recovery-codes/"
    # The recovery codes page offers the way on to where the person was going.
    assert 'href="/ruang-kerja/"' in done.content.decode()


def test_an_old_session_is_still_asked_for_the_password_before_adding_totp(
    member, malang, settings
):
    """Only a fresh sign-in stands in for reauthentication: once the timeout has passed, adding
    an authenticator asks for the password again (allauth's protection of a left-open session)."""
    admin = member(malang, Role.ADMIN, mfa=False)
    client = Client(HTTP_HOST="localhost")
    client.post("/akun/login/", {"login": admin.email, "password": PASSWORD})
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    response = client.get("/akun/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/reauthenticate/")
