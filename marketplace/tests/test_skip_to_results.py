"""The marketplace's search page offers, right after the skip link to the content, a jump past
the search form and the filters to the results (the first result was 55 Tab presses away)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_search_page_has_a_skip_link_to_its_results(client_for, malang, make_listing):
    make_listing(malang, title="Tempe Sanan")
    page = client_for(None).get("/pasar/").content.decode()
    links = re.findall(r'<a class="skip-link" href="#([\w-]+)">', page)
    assert links[:2] == ["main", "hasil"]
    assert page.index('class="skip-link" href="#hasil"') < page.index('class="site-header"')
    (results,) = re.findall(r'<section id="hasil" tabindex="-1"[^>]*>', page)
    assert page.index(results) < page.index("Tempe Sanan")  # the results follow the target
