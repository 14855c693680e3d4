import pytest


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """These tests read the interface's and the e-mails' English source texts; the product's
    default language is Indonesian (the catalogues' completeness is tested in portal/tests)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client_for(client_for):
    """The test clients read the pages in English (the platform's default is Indonesian)."""
    from django.conf import settings

    def make(tenant, user=None):
        client = client_for(tenant, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def admin(malang, member):
    from tenants.models import Role

    return member(malang, Role.ADMIN)


@pytest.fixture
def office(malang, admin):
    """The cooperation office's membership (the actions' first argument)."""
    from .factories import membership_of

    return membership_of(admin, malang)
