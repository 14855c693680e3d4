"""The public search page: typos forgiven (fuzziness AUTO) for anyone, a query longer than the
search box holds answered by the page itself (and never refused by the web server before it),
and the sort: relevance for typed words, the most recent first without."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Listing
from search.models import SearchDocument
from search.query import FACETS, MAX_PAGE, MAX_QUERY_CHARS
from tenants.models import Role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEARCH = reverse("marketplace:search", urlconf="portal.urls_public")


def titles(response) -> list[str]:
    return [row.listing.title for row in response.context["rows"]]


# --- Typos -----------------------------------------------------------------------------------


def test_typos_are_forgiven_anonymously_and_for_a_member(
    malang, batu, member, make_listing, client_for
):
    make_listing(malang, title="Tempe Sanan")
    make_listing(batu, title="Keripik apel", description="Keripik apel khas Kota Batu.")
    batu_member = member(batu, Role.VIEWER)
    malang_admin = member(malang, Role.ADMIN)
    for client in (
        client_for(None),
        client_for(None, batu_member),
        client_for(None, malang_admin),
    ):
        swapped = client.get(SEARCH, {"q": "tmepe"})
        assert swapped.status_code == 200
        assert titles(swapped) == ["Tempe Sanan"]
        assert "tempe" in swapped.context["results"].corrected_words
        assert titles(client.get(SEARCH, {"q": "keripk"})) == ["Keripik apel"]
        assert titles(client.get(SEARCH, {"q": "témpé"})) == ["Tempe Sanan"]
        # Two letters are taken as typed; five letters forgive one edit, not two.
        assert titles(client.get(SEARCH, {"q": "tmpee"})) == []


# --- A very long query -----------------------------------------------------------------------


def test_a_query_longer_than_the_box_gets_the_pages_own_message(malang, make_listing, client_for):
    make_listing(malang, title="Tempe Sanan")
    client = client_for(None)
    too_long = "tempe   " * 60  # 480 characters; the first 200 end between two words
    response = client.get(SEARCH, {"q": too_long})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="q-error"' in html and 'aria-invalid="true"' in html
    assert f"at most {MAX_QUERY_CHARS} characters" in html
    # The first characters are still searched and shown in the box, which can hold them.
    assert titles(response) == ["Tempe Sanan"]
    assert response.context["q"] == too_long[:MAX_QUERY_CHARS]
    assert f'maxlength="{MAX_QUERY_CHARS}"' in html
    assert "truncated" not in response.context["results"].notices  # said once, by the form

    for fits in ("tempe " + "x" * (MAX_QUERY_CHARS - 6), "é" * MAX_QUERY_CHARS):
        ok = client.get(SEARCH, {"q": fits})
        assert ok.status_code == 200 and "q-error" not in ok.content.decode()


def longest_search_line() -> str:
    """The longest request line the search page's own form and links send: the longest query
    the box holds, in 4-byte characters (percent-encoded: 12 bytes each), the distance sort
    from a village's code, the last page and every facet with as many values as count
    (marketplace/selectors.filters_from), each of the longest code."""
    params = [
        ("q", "\U0001f33e" * MAX_QUERY_CHARS),
        ("sort", "distance"),
        ("near", "35.73.01.1007"),
        ("page", str(MAX_PAGE)),
    ]
    params += [(name, "x" * 13) for name in FACETS for _ in range(20)]
    return f"GET {SEARCH}?{urlencode(params)} HTTP/1.1"


def request_line_limits() -> dict[str, int]:
    found = {}
    serve = (ROOT / "scripts" / "serve.sh").read_text()
    match = re.search(r"gunicorn .*?--limit-request-line (\d+)", serve, re.S)
    found["scripts/serve.sh"] = int(match.group(1)) if match else 4094
    dockerfile = (ROOT / "Dockerfile").read_text()
    match = re.search(r'CMD \["gunicorn".*?"--limit-request-line", "(\d+)"', dockerfile, re.S)
    found["Dockerfile"] = int(match.group(1)) if match else 4094
    return found


def test_the_web_server_lets_any_search_of_the_page_through(malang, make_listing, client_for):
    line = longest_search_line()
    assert len(line) > 4094  # gunicorn's default limit would answer with its bare 414
    for where, limit in request_line_limits().items():
        # gunicorn accepts at most 8190; below the line's length it refuses the search.
        assert len(line) <= limit <= 8190, where
    make_listing(malang, title="Tempe Sanan")
    path = line.removeprefix("GET ").removesuffix(" HTTP/1.1")
    assert client_for(None).get(path).status_code == 200


# --- The sort --------------------------------------------------------------------------------


def selected_sort(response) -> str:
    return re.search(
        r'<select id="sort"[^>]*>.*?<option value="(\w+)" selected>',
        response.content.decode(),
        re.S,
    ).group(1)


def test_typed_words_are_sorted_by_relevance_and_none_by_the_most_recent(
    malang, make_listing, client_for
):
    relevant = make_listing(
        malang, title="Tempe Sanan", description="Tempe, tempe dan tempe dari Sanan."
    )
    recent = make_listing(
        malang, title="Keripik singkong", description="Keripik singkong, juga tempe goreng."
    )
    now = timezone.now()
    for listing, published_at in ((relevant, now - timedelta(days=3)), (recent, now)):
        Listing.objects.filter(pk=listing.pk).update(published_at=published_at)
        SearchDocument.objects.filter(doc_type="listing", object_id=listing.pk).update(
            published_at=published_at
        )
    client = client_for(None)

    # The first visit: no words, the most recent first, and the select offers relevance, so
    # the words typed next are ranked by relevance.
    first = client.get(SEARCH)
    assert first.context["results"].request.sort == "recent"
    assert selected_sort(first) == "relevance"
    typed = client.get(SEARCH, {"q": "tempe", "sort": selected_sort(first)})
    assert typed.context["results"].request.sort == "relevance"
    assert titles(typed) == ["Tempe Sanan", "Keripik singkong"]
    # Words without a sort: relevance too.
    assert client.get(SEARCH, {"q": "tempe"}).context["results"].request.sort == "relevance"
    # Relevance without words: the most recent first, the select still on relevance.
    empty = client.get(SEARCH, {"sort": "relevance"})
    assert titles(empty) == ["Keripik singkong", "Tempe Sanan"]
    assert selected_sort(empty) == "relevance"
    # A sort the person chose is kept.
    chosen = client.get(SEARCH, {"q": "tempe", "sort": "recent"})
    assert titles(chosen) == ["Keripik singkong", "Tempe Sanan"]
    assert selected_sort(chosen) == "recent"
