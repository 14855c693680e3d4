"""A rate limit's refusal (allauth's: sign-up, login, password reset) is the product's own page
in the visitor's language, not a bare English one."""

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "warga@contoh.test", "password1": "x", "password2": "y"}


@pytest.fixture
def one_signup_a_minute(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}


@pytest.mark.parametrize(
    ("language", "heading"), [("id", "Terlalu banyak percobaan"), ("en", "Too many attempts")]
)
def test_the_429_page_is_the_products_own_in_the_visitors_language(
    client_for, one_signup_a_minute, language, heading
):
    client = client_for(None)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    assert client.post("/akun/signup/", SIGNUP).status_code == 200  # the form's own errors
    refused = client.post("/akun/signup/", SIGNUP)
    assert refused.status_code == 429
    assert "429.html" in [t.name for t in refused.templates]
    page = refused.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page  # the product's layout, with its navigation
    assert f'<html lang="{language}"' in page
    assert "too_many_requests" in page


def test_the_handler_is_wired_on_the_platform_and_the_regions(client_for, malang):
    from portal import urls_public, urls_tenant

    assert urls_public.handler429 == urls_tenant.handler429 == "portal.views.too_many_requests"
