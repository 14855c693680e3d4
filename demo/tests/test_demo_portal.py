"""Issue 8's "done when", on the whole demo as `make run` loads it: the Malang Raya agreements
signed in the demo are in the public registry with their documents and fingerprints (a downloaded
copy hashes to the fingerprint shown), and Kota Malang's profile shows its agreements, its
listings and its partners on the map."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from cooperation.models import SignedDocument
from demo import agreements as demo
from public_registry.models import PublishedAgreement

pytestmark = pytest.mark.django_db


def registry_url(name, *args):
    return reverse(f"public_registry:{name}", args=args, urlconf="portal.urls_public")


@pytest.mark.usefixtures("signature_checks_in_process")
def test_malang_raya_is_in_the_public_registry_and_on_kota_malangs_profile(
    django_capture_on_commit_callbacks, client_for, settings
):
    settings.LANGUAGE_CODE = "en"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    public = client_for(None)

    titles = [
        demo.MALANG_RAYA_KSB,
        *(title for _owner, _urusan, title, _opd in demo.MALANG_RAYA_PKS),
    ]
    records = {r.title: r for r in PublishedAgreement.objects.filter(title__in=titles)}
    assert set(records) == set(titles)
    for record in records.values():
        signed = set(
            SignedDocument.objects.filter(cooperation_id=record.cooperation_id).values_list(
                "sha256", flat=True
            )
        )
        published = list(record.documents.all())
        assert signed and {d.sha256 for d in published} == signed
        page = public.get(registry_url("detail", record.pk))
        assert page.status_code == 200
        html = page.content.decode()
        for document in published:
            assert document.sha256 in html
            download = public.get(registry_url("document", record.pk, document.pk))
            assert download.status_code == 200
            body = b"".join(download.streaming_content) if download.streaming else download.content
            assert hashlib.sha256(body).hexdigest() == document.sha256
    # The public list finds them.
    listing = public.get(registry_url("list"), {"q": "Malang Raya"}).content.decode()
    assert demo.MALANG_RAYA_PKS[0][2][:40] in listing

    profile = public.get("/kota-malang/")
    assert profile.status_code == 200
    html = profile.content.decode()
    assert demo.MALANG_RAYA_KSB[:40] in html  # its agreements
    assert "Tempe Sanan" in html  # its listings
    partners = html[html.index('id="partners-title"') :]
    assert "Kota Batu" in partners and "Kabupaten Malang" in partners
    data = json.loads(
        re.search(
            r'<script id="partner-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert data["home"]["name"] == "Kota Malang"
    assert {"Kota Batu", "Kabupaten Malang"} <= {p["name"] for p in data["partners"]}
