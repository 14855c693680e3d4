"""Accounts through django-allauth: verification, login by e-mail, no enumeration, rate limits
shared across subdomains, MFA for administrators and staff, one session everywhere."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from conftest import PASSWORD, TOTP_SECRET
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, email, password=PASSWORD):
    return client.post("/akun/login/", {"login": email, "password": password})


def test_signup_requires_email_verification_before_login(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for(None)
    response = client.post(
        "/akun/signup/",
        {"email": "Camat.Baru@Contoh.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="camat.baru@contoh.test")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    # Logging in before verifying sends another confirmation, not a session.
    client.logout()
    response = login(client, "camat.baru@contoh.test")
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session
    link = re.search(
        r"http://localhost(?::\d+)?(/akun/confirm-email/[^\s]+)", mail.outbox[0].body
    ).group(1)
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    response = login(client, "camat.baru@contoh.test")
    assert response.status_code == 302
    assert response["Location"] == "http://localhost:8000/ruang-kerja/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_a_taken_address_reveals_nothing(client_for, user_factory):
    existing = user_factory(email="sudah.ada@contoh.test")
    response = client_for(None).post(
        "/akun/signup/",
        {"email": "sudah.ada@contoh.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302  # looks like any successful signup
    assert User.objects.filter(email="sudah.ada@contoh.test").count() == 1
    assert mail.outbox[0].to == [existing.email]  # the owner is told, not the requester


def test_password_reset_does_not_reveal_whether_an_account_exists(client_for, user_factory):
    user_factory(email="ada@contoh.test")
    known = client_for(None).post("/akun/password/reset/", {"email": "ada@contoh.test"})
    unknown = client_for(None).post("/akun/password/reset/", {"email": "tidak.ada@contoh.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@contoh.test", "tidak.ada@contoh.test"]


def test_wrong_password_and_unknown_account_look_the_same(client_for, user_factory, settings):
    user_factory(email="ada@contoh.test")
    wrong = login(client_for(None), "ada@contoh.test", "salah-sekali")
    unknown = login(client_for(None), "tidak.ada@contoh.test", "salah-sekali")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_failed_login_limit_counts_per_account_and_regions_have_no_login_form_of_their_own(
    client_for, user_factory, malang, batu
):
    user = user_factory(email="sasaran@contoh.test")
    # A region's subdomain has no password form to hammer: it sends people to the platform.
    for tenant in (malang, batu):
        response = login(client_for(tenant), user.email, "tebakan-salah")
        assert response.status_code == 405
    # Five failures on the platform, from separate clients (cookie jars)...
    for _ in range(5):
        login(client_for(None), user.email, "tebakan-salah")
    # ...and even the right password is refused for a while.
    response = login(client_for(None), user.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "too_many_login_attempts"


def current_code() -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current time step
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


def test_admin_login_asks_for_the_second_factor(client_for, member, malang):
    admin = member(malang, Role.ADMIN)
    client = client_for(None)
    response = login(client, admin.email)
    assert response.status_code == 302 and response["Location"] == "/akun/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/akun/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post("/akun/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client_for(malang).get("/").status_code == 302  # another cookie jar: not signed in
    region = client_for(malang)
    region.cookies["sessionid"] = client.cookies["sessionid"].value
    assert region.get("/anggota/").status_code == 200


def test_a_recovery_code_works_once_as_the_second_factor(client_for, member, malang):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    admin = member(malang, Role.ADMIN)
    code = RecoveryCodes.activate(admin).generate_codes()[0]
    client = client_for(None)
    login(client, admin.email)
    client.post("/akun/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(admin.pk)
    client.post("/akun/logout/")
    login(client, admin.email)
    client.post("/akun/2fa/authenticate/", {"code": code})
    assert "_auth_user_id" not in client.session


def test_admins_and_staff_without_mfa_must_set_it_up_first(
    client_for, member, malang, user_factory
):
    admin = member(malang, Role.ADMIN, mfa=False)
    response = client_for(malang, admin).get("/anggota/?halaman=2&urut=nama")
    assert response.status_code == 302
    # The whole path, query string included, survives as one encoded `next` parameter.
    assert response["Location"] == (
        "/akun/2fa/totp/activate/?next=%2Fanggota%2F%3Fhalaman%3D2%26urut%3Dnama"
    )
    staff = user_factory(is_staff=True)
    assert (
        client_for(None, staff)
        .get("/platform/permohonan/")["Location"]
        .startswith("/akun/2fa/totp/activate/")
    )
    # The setup page stays reachable (allauth first asks a session without a recent password
    # entry to re-enter it): no redirect loop back to the activation page.
    response = client_for(malang, admin).get("/akun/2fa/totp/activate/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/akun/reauthenticate/")


@pytest.mark.parametrize("role", [Role.TKKSD, Role.OPD, Role.CAMAT, Role.LURAH, Role.VIEWER])
def test_other_roles_may_use_mfa_but_are_not_forced(client_for, member, malang, role):
    user = member(
        malang, role, area={"camat": "35.73.01", "lurah": "35.73.01.1007"}.get(role), opd="Bappeda"
    )
    assert client_for(malang, user).get("/").status_code == 200


def test_pages_are_indonesian_first_with_english_available(client_for):
    client = client_for(None)
    # An English browser still gets Indonesian until the person chooses otherwise.
    page = client.get("/akun/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page and "Masuk" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/login/"})
    english = client.get("/akun/login/").content.decode()
    assert 'lang="en"' in english and "Sign In" in english


def test_account_emails_greet_from_the_platform_not_the_host(client_for, user_factory):
    user_factory(email="lupa@contoh.test")
    client_for(None).post("/akun/password/reset/", {"email": "lupa@contoh.test"})
    (message,) = mail.outbox
    assert message.body.startswith("Halo dari Jejaring!")  # not "Halo dari localhost:8000!"


def test_password_reset_followed_through_its_emailed_link(client_for, user_factory):
    user = user_factory(email="lupa@contoh.test")
    client = client_for(None)
    client.post("/akun/password/reset/", {"email": user.email})
    body = mail.outbox[0].body
    link = re.search(r"http://localhost(?::\d+)?(/akun/password/reset/key/\S+)", body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    new_password = "kata-sandi-baru-yang-panjang-2026"
    response = client.post(action, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password) and not user.check_password(PASSWORD)
    # The link works once.
    again = client.post(action, {"password1": PASSWORD, "password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert again.status_code in (200, 302)
    # The new password signs in.
    assert login(client_for(None), user.email, new_password).status_code == 302
