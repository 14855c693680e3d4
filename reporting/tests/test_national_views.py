"""The national pages (reporting/views_national.py) as each kind of person gets them: the
Ministry's official with and without the second factor, East Java's office (a province),
Kalimantan Barat's office (another province), Kota Malang's office (a region of the same
province), a TKKSD member (the wrong role), platform staff, anonymous; the public open data."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from openpyxl import load_workbook

from conftest import TOTP_SECRET, UserFactory, host_client
from reporting import actions
from reporting.ministry import grant_ministry_role
from tenants.models import Role

from .conftest import H1, TODAY, fill_register, letter

pytestmark = pytest.mark.django_db

SECRET_REASON = "Lampiran PKS nomor 7 belum dipindai"


@pytest.fixture
def world(malang, batu, jatim, kalbar, office_of, staff_user, member):
    offices = {t.region_id: office_of(t) for t in (malang, batu, jatim, kalbar)}
    fill_register(malang, offices["35.73"], signed=2, in_process=1)
    fill_register(batu, offices["35.79"], signed=1, in_process=0)
    fill_register(jatim, offices["35"], signed=1, in_process=0, ksdpk=1)
    malang_report = actions.submit_report(
        membership=offices["35.73"], semester=H1, letter=letter(), today=TODAY
    )
    batu_report = actions.submit_report(
        membership=offices["35.79"], semester=H1, letter=letter("050/9/35.79/2026"), today=TODAY
    )
    actions.accept_submission(membership=offices["35"], submission=malang_report)
    actions.return_submission(
        membership=offices["35"], submission=batu_report, reason=SECRET_REASON
    )
    compiled = actions.compile_province(
        membership=offices["35"], semester=H1, letter=letter("050/1/35/2026"), today=TODAY
    )
    official = UserFactory()
    grant_ministry_role(email=official.email, unit="Ditjen Bina Adwil", acting_user=staff_user)
    TOTP.activate(official, TOTP_SECRET)
    password_only = host_client("localhost")
    password_only.force_login(official)
    clients = {
        "ministry": host_client("localhost", official),
        "ministry_password_only": password_only,
        "province": host_client("localhost", offices["35"].user),
        "other_province": host_client("localhost", offices["61"].user),
        "same_province_region": host_client("localhost", offices["35.73"].user),
        "wrong_role": host_client("localhost", member(malang, Role.TKKSD)),
        "staff": host_client("localhost", staff_user),
        "anonymous": host_client("localhost"),
    }
    return {"clients": clients, "compiled": compiled, "malang": malang_report}


def answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if "/akun/2fa/" in location:
            return "MFA"
        if "/akun/login/" in location:
            return "LOGIN"
    return response.status_code


NATIONAL_ROUTES = [
    "/nasional/laporan/?year=2026&semester=1",
    "/nasional/laporan/2026/1/unduh/xlsx/",
    "/nasional/laporan/2026/1/unduh/pdf/",
    "/nasional/laporan/kiriman/{compiled}/",
    "/nasional/laporan/kiriman/{compiled}/berkas/pdf/",
    "/nasional/laporan/kiriman/{malang}/",
    "/nasional/laporan/kiriman/{malang}/berkas/xlsx/",
]
EXPECTED = {
    "ministry": 200,
    "ministry_password_only": "MFA",
    "province": 403,
    "other_province": 403,
    "same_province_region": 403,
    "wrong_role": 403,
    "staff": 403,
    "anonymous": "LOGIN",
}


def test_only_the_ministry_reads_the_national_pages(world):
    paths = [
        p.format(compiled=world["compiled"].pk, malang=world["malang"].pk) for p in NATIONAL_ROUTES
    ]
    got = {
        (actor, path): answer(client.get(path))
        for actor, client in world["clients"].items()
        for path in paths
    }
    assert got == {(actor, path): EXPECTED[actor] for actor in EXPECTED for path in paths}


def test_the_staff_page_is_staff_only(world):
    got = {
        actor: answer(client.get("/platform/kemendagri/"))
        for actor, client in world["clients"].items()
    }
    assert got == {
        **{actor: 403 for actor in EXPECTED},
        "staff": 200,
        "anonymous": "LOGIN",
        "ministry_password_only": "MFA",
    }


def test_the_national_view_shows_every_province_and_the_sums(world, settings):
    settings.LANGUAGE_CODE = "en"
    client = world["clients"]["ministry"]
    page = client.get("/nasional/laporan/?year=2026&semester=1", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Jawa Timur" in html and "Kalimantan Barat" in html and "Papua" in html
    assert f"/nasional/laporan/kiriman/{world['compiled'].pk}/" in html
    assert html.count('id="provinsi-') == 38
    # The map: each kabupaten/kota with a known seat, coloured by its state.
    script = r'<script id="national-map-data" type="application/json">(.*?)</script>'
    found = re.search(script, html)
    points = {p["name"]: p["state"] for p in json.loads(found.group(1))["points"]}
    assert points["Kota Malang"] == "platform"
    assert points["Kota Batu"] == "not_included"  # returned: the province left it out
    assert points["Kota Pontianak"] == "province_not_reported"
    total = world["compiled"].figures["total"]
    assert f"<strong>{total}</strong>" in html
    # The province's frozen report: its files, with their fingerprints.
    detail = client.get(f"/nasional/laporan/kiriman/{world['compiled'].pk}/").content.decode()
    pdf = world["compiled"].file("pdf")
    assert pdf.sha256 in detail
    download = client.get(f"/nasional/laporan/kiriman/{world['compiled'].pk}/berkas/pdf/")
    assert hashlib.sha256(download.content).hexdigest() == pdf.sha256
    assert download["Content-Disposition"].startswith("attachment;")
    # The national compilation as XLSX.
    xlsx = client.get("/nasional/laporan/2026/1/unduh/xlsx/")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 4
    assert client.get("/nasional/laporan/2026/3/unduh/xlsx/").status_code == 404
    assert client.get("/nasional/laporan/2026/1/unduh/csv/").status_code == 404
    assert client.get("/nasional/laporan/kiriman/999999/").status_code == 404


def test_the_open_data_is_public_and_figures_only(world):
    anonymous = world["clients"]["anonymous"]
    index = anonymous.get("/laporan-kerja-sama/")
    assert index.status_code == 200
    assert "/laporan-kerja-sama/2026/1/" in index.content.decode()
    page = anonymous.get("/laporan-kerja-sama/2026/1/")
    assert page.status_code == 200
    data = anonymous.get("/laporan-kerja-sama/2026/1/unduh/json/")
    body = json.loads(data.content)
    assert body["national"]["total"] == world["compiled"].figures["total"]
    assert {p["code"]: p["state"] for p in body["provinces"]}["35"] == "submitted"
    csv = anonymous.get("/laporan-kerja-sama/2026/1/unduh/csv/")
    assert csv["Content-Type"].startswith("text/csv")
    published = page.content.decode() + data.content.decode() + csv.content.decode()
    for internal in (
        SECRET_REASON,
        "050/123/35.73.112/2026",
        "050/1/35/2026",
        "Erik Setyo",
        "197001011990031001",
    ):
        assert internal not in published
    assert anonymous.get("/laporan-kerja-sama/2026/1/unduh/xlsx/").status_code == 404
