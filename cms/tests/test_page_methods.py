"""Portal pages answer OPTIONS with the methods they accept (GET, HEAD, OPTIONS), never with
Wagtail's default DELETE, PATCH, POST and PUT, and refuse those with 405."""

import pytest
from wagtail.models import Page, get_page_models

from tenants.models import Region

pytestmark = pytest.mark.django_db

ACCEPTED = {"GET", "HEAD", "OPTIONS"}


def allowed(response) -> set[str]:
    return {method.strip() for method in response["Allow"].split(",")}


def test_every_portal_page_type_accepts_only_what_it_serves():
    for model in get_page_models():
        if model is Page:
            continue  # Wagtail's root: never served
        assert set(model.allowed_http_method_names()) == ACCEPTED, model


def test_the_home_page_and_a_regions_page_answer_options_truthfully(client_for, malang):
    client = client_for(None)
    region_path = f"/{Region.objects.get(code='35.73').slug}/"
    for path in ("/", region_path):
        assert client.get(path).status_code == 200, path
        options = client.options(path)
        assert options.status_code == 200 and allowed(options) == ACCEPTED, path
        for method in ("post", "put", "patch", "delete"):
            refused = getattr(client, method)(path)
            assert refused.status_code == 405, (path, method)
            assert allowed(refused) == ACCEPTED
